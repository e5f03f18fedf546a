"""PII: the three formats, the matching rules on hand-made spans, and a run with Tandem's pattern detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun
from tandem.eval.pii import Gold, load, match, read_file, run
from tandem.privacy.detect import Finding
from tandem.privacy.patterns import PatternDetector

PRESIDIO = [{"full_text": "Mail jane@example.com or call Jane Roe at Acme.", "spans": [
    {"entity_type": "EMAIL_ADDRESS", "start_position": 5, "end_position": 21, "entity_value": "jane@example.com"},
    {"entity_type": "PERSON", "start_position": 30, "end_position": 38, "entity_value": "Jane Roe"},
    {"entity_type": "ORGANIZATION", "start_position": 42, "end_position": 46, "entity_value": "Acme"}]},
    {"full_text": "Nothing personal here.", "spans": []}]
MULTIPRIV = [{"name": "jANE rOE", "age": 30, "emailAddress": "jr@example.org",
              "naturalParagraph": "Jane Roe (jr@example.org) is 30. Jane likes tea."}]
CLUENER = [{"text": "张三住在北京市海淀区",
            "label": {"name": {"张三": [[0, 1]]}, "address": {"北京市海淀区": [[4, 9]]}}}]


@pytest.fixture
def split(tmp_path: Path) -> Path:
    (tmp_path / "presidio.json").write_text(json.dumps(PRESIDIO))
    (tmp_path / "multipriv.json").write_text(json.dumps(MULTIPRIV))
    (tmp_path / "cluener.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in CLUENER))
    return tmp_path


def test_formats_are_recognised(split: Path) -> None:
    data = load(split)
    assert data["presidio"][0].gold == (Gold(5, 21, "EMAIL"), Gold(30, 38, "PERSON"), Gold(42, 46, None))
    multipriv = data["multipriv"][0]
    found = {(multipriv.text[g.start:g.end], g.category) for g in multipriv.gold}
    assert found == {("Jane Roe", "PERSON"), ("jr@example.org", "EMAIL"), ("Jane", "PERSON")}
    zh = data["cluener"][0]
    assert zh.language == "zh" and [zh.text[g.start:g.end] for g in zh.gold] == ["张三", "北京市海淀区"]


def test_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps([{"foo": 1}]))
    with pytest.raises(ConfigError):
        read_file(tmp_path / "x.json")


def test_matching_rules() -> None:
    gold = [Gold(0, 10, "PERSON"), Gold(20, 30, None), Gold(40, 50, "EMAIL")]
    found = [Finding(0, 8, "PERSON", "x"),  # IoU 0.8: a hit
             Finding(22, 25, "LOCATION", "x"),  # inside an unscored gold span: ignored
             Finding(60, 65, "PHONE", "x"),  # nothing there: a false positive
             Finding(40, 44, "EMAIL", "x"),  # IoU 0.4: a false positive, and the email is missed
             Finding(0, 10, "HEALTH", "x")]  # topics are not spans
    counts = match(gold, found)
    assert {k: (v.tp, v.fp, v.fn) for k, v in counts.items()} == {
        "PERSON": (1, 0, 0), "PHONE": (0, 1, 0), "EMAIL": (0, 1, 1)}


def test_run_with_the_pattern_detector(split: Path) -> None:
    report = run(EvalRun(data=split / "presidio.json", detector=PatternDetector()))
    email, everything = report.rows["en EMAIL"], report.rows["en all"]
    assert (email["precision"], email["recall"], email["n_gold"]) == (1.0, 1.0, 1)
    # one text holds scored PII and the email in it is found
    assert (everything["any_pii_recall"], everything["n_texts"]) == (1.0, 1)
    with pytest.raises(ConfigError):
        run(EvalRun(data=split))
