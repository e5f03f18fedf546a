"""The loaders of bench/pii_sets.py that parse a corpus format (the sets themselves are not in the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from pii_sets import bmes


def test_bmes_sentences_keep_their_spans_and_only_those_naming_a_scored_kind() -> None:
    raw = "王 B-PER\n小 M-PER\n明 E-PER\n在 O\n京 S-LOC\n。 O\n\n  \n天 O\n津 B-LOC\n港 E-LOC\n\n李 S-PER\n"
    samples = bmes(raw, "t", "zh", {"PER": "PERSON", "LOC": ""})
    assert [s.text for s in samples] == ["王小明在京。", "李"]
    first = samples[0].gold
    assert [(g.value, g.category, g.start, g.end) for g in first] == [("王小明", "PERSON", 0, 3), ("京", "", 4, 5)]
