"""The speech bench never shows report-half items: their error and reads are counted, their words are not
(review of session 8, R19)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "speech.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("speech_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _row(half: str, text: str) -> dict[str, Any]:
    return {"lang": "de", "half": half, "context": "none", "voice": "pico:de-DE", "text": text,
            "heard": text.upper(), "detected": "de", "error": 0.25, "cpu_rtf": 0.4, "intent": "order_food",
            "read": True, "read_written": True}


def test_report_half_requests_are_counted_never_shown(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    rows = [_row("report", "Zeig mir den Weg"), _row("tune", "Bring mir Suppe")]
    bench._print_requests(rows)
    shown = capsys.readouterr().out
    assert "Bring mir Suppe" in shown and "BRING MIR SUPPE" in shown
    assert "Zeig mir den Weg" not in shown and "ZEIG MIR DEN WEG" not in shown
    assert "report" in shown and "25.0%" in shown  # the report half's figures are still printed
    written = json.dumps(bench._aggregates_only(rows))
    assert "Zeig mir den Weg" not in written and "ZEIG" not in written and "Bring mir Suppe" in written
