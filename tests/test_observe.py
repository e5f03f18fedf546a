"""Logging: one logger per package, JSON lines with TANDEM_LOG_JSON=1; event counts for /metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from tandem.observe import configure_logging, count, counts


@pytest.fixture
def restore_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger("tandem")
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_when_asked(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                               restore_logging: object) -> None:
    monkeypatch.setenv("TANDEM_LOG_JSON", "1")
    configure_logging()
    logging.getLogger("tandem.router").warning("routing: %s", "detector-error",
                                               extra={"event": "router_fail_closed", "reason": "detector-error"})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["logger"] == "tandem.router" and line["level"] == "warning"
    assert line["message"] == "routing: detector-error" and line["reason"] == "detector-error"


def test_plain_lines_by_default_and_configuring_twice_keeps_one_handler(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, restore_logging: object) -> None:
    monkeypatch.delenv("TANDEM_LOG_JSON", raising=False)
    configure_logging()
    configure_logging()
    logging.getLogger("tandem.agent").error("partner answer unreadable")
    err = capsys.readouterr().err
    assert err.count("partner answer unreadable") == 1 and "tandem ERROR tandem.agent:" in err


def test_counts_add_up() -> None:
    before = counts().get(("test_events", "a"), 0)
    count("test_events", "a")
    count("test_events", "a")
    assert counts()[("test_events", "a")] == before + 2
