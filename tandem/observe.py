"""Logging and event counts, for every package.

Each package logs to its own logger (``tandem.router``, ``tandem.agent``, ``tandem.services`` ...; stdlib
``logging``). ``configure_logging`` sends them to stderr, as JSON lines when ``TANDEM_LOG_JSON=1``
(one object per record: time, level, logger, message, and the record's ``event`` / ``reason`` extras).

``count(event, reason)`` records a decision worth watching: a fallback, a fail-closed decision, a partner
failure. The counts are process-wide; ``/metrics`` exports them as ``tandem_<event>_total{reason=...}``.
Reasons are short, fixed words (never request text), so the label stays small.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import threading
from collections import Counter

__all__ = ["JsonFormatter", "configure_logging", "count", "counts"]

_lock = threading.Lock()
_counts: Counter[tuple[str, str]] = Counter()


def count(event: str, reason: str) -> None:
    """One more ``event`` (e.g. ``router_fallbacks``) for ``reason`` (e.g. ``detector-error``)."""
    with _lock:
        _counts[(event, reason)] += 1


def counts() -> dict[tuple[str, str], int]:
    """A snapshot: ``{(event, reason): n}``."""
    with _lock:
        return dict(_counts)


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for key in ("event", "reason"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(json_lines: bool | None = None, level: str | None = None) -> None:
    """Send ``tandem.*`` records to stderr (once per process; calling again replaces the handler)."""
    if json_lines is None:
        json_lines = os.environ.get("TANDEM_LOG_JSON", "") in ("1", "true", "yes")
    root = logging.getLogger("tandem")
    for handler in [h for h in root.handlers if getattr(h, "_tandem", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("tandem %(levelname)s %(name)s: "
                                                                               "%(message)s"))
    handler._tandem = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("TANDEM_LOG_LEVEL", "WARNING")).upper())
