"""bench/understand.py lists wrong items of a tune half only: --misses lists every one (of any set), a report-half item
never, and --misses without --half tune is refused."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tandem.agent.understand import Understanding

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_understand", ROOT / "bench" / "understand.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cases(bench: ModuleType, half: str, n: int) -> list[Any]:
    """``n`` English requests of ``half`` (by the bench's own hash), each wanting a reminder."""
    found, i = [], 0
    while len(found) < n:
        case = bench.Case("en", "set_reminder", f"own probe <{i}>")
        found += [case] if case.half == half else []
        i += 1
    return found


def _none(text: str) -> Understanding:
    return Understanding((), "none", 0.0, "en")


def test_misses_lists_every_wrong_tune_item_and_no_report_item(bench: ModuleType,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    tune, report = _cases(bench, "tune", 12), _cases(bench, "report", 5)
    assert len(bench.run_tier("x", _none, tune + report)["en"]["errors"]) == 8  # a few by default
    monkeypatch.setattr(bench, "LISTED", 10**6)  # what --misses sets
    listed = bench.run_tier("x", _none, tune + report)["en"]["errors"]
    assert len(listed) == 12 and not any(c.text in line for c in report for line in listed)


@pytest.mark.parametrize("argv", [["--misses"],
                                  ["--misses", "--half", "all", "--data", "bench/data/understand_fresh.tsv"]])
def test_misses_outside_the_tune_half_is_refused(bench: ModuleType, argv: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.main(argv)
    assert "--misses lists tune-half items only" in capsys.readouterr().err


def test_a_reminders_rule_is_the_date_readers_not_a_slot(bench: ModuleType) -> None:
    """The rule of days said to come back (``when_repeat``, filled from the date reader) is no slot value the bench
    counts, as the time it comes with is none: a reminder said for every day is no wrong slot (slots22's request)."""
    case = bench.Case("en", "set_reminder", "remind me every day at 8 to take my pills", {"todo": "take my pills"})
    predicted = {"todo": "take my pills", "when": "2026-12-08T08:00", "when_repeat": "FREQ=DAILY"}
    assert bench._slot_counts(case, predicted) == (1, 1, 1)
