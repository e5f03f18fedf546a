"""Progress lines on stderr for long work (joining and verifying weights, loading models)."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """A ``Progress`` callback that redraws one line per stage at most ten times a second."""

    def __init__(self) -> None:
        self._stage, self._last = "", 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if stage == self._stage and not finished and now - self._last < 0.1:
            return
        if stage != self._stage and self._stage:
            sys.stderr.write("\n")
        self._stage, self._last = stage, now
        pct = f" {100 * done / total:5.1f}%" if total > 1 else ""
        sys.stderr.write(f"\r{stage}{pct}")
        if finished:
            sys.stderr.write("\n")
            self._stage = ""
        sys.stderr.flush()
