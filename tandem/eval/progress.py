"""A progress bar on stderr: suites take minutes on a 2-core device, so the bar shows rate and ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar", "quiet"]


def quiet(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing (tests, ``--json`` pipelines that capture stderr)."""


class ProgressBar:
    """A ``(stage, done, total)`` callback that redraws one line at most five times a second."""

    def __init__(self, stream: TextIO | None = None, width: int = 24) -> None:
        self._stream = stream or sys.stderr
        self._width = width
        self._stage = ""
        self._started = 0.0
        self._drawn = 0.0
        # a log file gets a line every 10 s, not hundreds of redraws
        self._every = 0.2 if getattr(self._stream, "isatty", lambda: False)() else 10.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self._stage:
            if self._stage:
                self._stream.write("\n")
            self._stage, self._started, self._drawn = stage, now, 0.0
        finished = total > 0 and done >= total
        if not finished and now - self._drawn < self._every:
            return
        self._drawn = now
        self._stream.write("\r" + self.line(stage, done, total, now - self._started))
        if finished:
            self._stream.write("\n")
            self._stage = ""
        self._stream.flush()

    def line(self, stage: str, done: int, total: int, elapsed: float) -> str:
        """The text of one redraw: ``stage [#####-----] done/total rate ETA``."""
        fill = round(self._width * done / total) if total else 0
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = f" ETA {_clock((total - done) / rate)}" if rate > 0 and done < total else ""
        return f"{stage} [{'#' * fill}{'-' * (self._width - fill)}] {done}/{total} {rate:.2f}/s{eta}  "


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
