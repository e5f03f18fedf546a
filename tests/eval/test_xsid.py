"""xSID: reading conll, locating slot values, scoring, and a whole run with injected predictors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun
from tandem.eval.xsid import Labels, Parse, align, device_predictor, load, predicted_spans, read_conll, run, score
from tests.eval.scripted import ScriptedModel

EN = """# text = Is it going to rain today?
# intent = weather/find
# slots: 15:19:weather/attribute,20:25:datetime
1\tIs\tweather/find\tO
2\tit\tweather/find\tO
3\tgoing\tweather/find\tO
4\tto\tweather/find\tO
5\train\tweather/find\tB-weather/attribute
6\ttoday\tweather/find\tB-datetime
7\t?\tweather/find\tO

# text = wake me up at 7 am tomorrow
# intent = alarm/set_alarm
1\twake\talarm/set_alarm\tO
2\tme\talarm/set_alarm\tO
3\tup\talarm/set_alarm\tO
4\tat\talarm/set_alarm\tB-datetime
5\t7\talarm/set_alarm\tI-datetime
6\tam\talarm/set_alarm\tI-datetime
7\ttomorrow\talarm/set_alarm\tI-datetime
"""
ZH = """# text = 今天会下雨吗？
# intent = weather/find
1\t今天\tweather/find\tB-datetime
2\t会\tweather/find\tO
3\t下雨\tweather/find\tB-weather/attribute
4\t吗？\tweather/find\tO
"""


@pytest.fixture
def split(tmp_path: Path) -> Path:
    (tmp_path / "en.test.conll").write_text(EN, encoding="utf-8")
    (tmp_path / "zh.test.conll").write_text(ZH, encoding="utf-8")
    return tmp_path


def test_reads_utterances_and_labels(split: Path) -> None:
    data = load(split)
    assert list(data) == ["en", "zh"]
    first = data["en"][0]
    assert (first.text, first.intent, first.tokens[4], first.tags[4]) == (
        "Is it going to rain today?", "weather/find", "rain", "B-weather/attribute")
    assert Labels.of(data["en"] + data["zh"]) == Labels(("alarm/set_alarm", "weather/find"),
                                                        ("datetime", "weather/attribute"))
    assert len(read_conll(split / "zh.test.conll")) == 1


def test_values_align_to_tokens_ignoring_spaces_and_case() -> None:
    tokens = ("wake", "me", "up", "at", "7", "am", "tomorrow")
    assert align(tokens, "at 7 AM tomorrow") == (3, 7)
    assert align(("今天", "会", "下雨", "吗？"), "下雨") == (2, 3)
    assert align(tokens, "at 8 am") is None
    assert align(("a", "b", "a"), "a", taken={0}) == (2, 3)
    assert predicted_spans(tokens, Parse("x", (("datetime", "at 7 am tomorrow"), ("x", "nowhere")))) == {
        ("datetime", 3, 7)}


def test_score_is_strict(split: Path) -> None:
    utterance = load(split)["en"][1]  # datetime spans tokens 3..7
    short = score(utterance, Parse("alarm/set_alarm", (("datetime", "7 am tomorrow"),)))
    assert (short.intent_ok, short.exact, short.slots.tp, short.slots.fp, short.slots.fn) == (True, False, 0, 1, 1)
    assert score(utterance, Parse("alarm/set_alarm", (("datetime", "at 7 am tomorrow"),))).exact


def test_run_with_the_fast_tier_reports_per_language(split: Path) -> None:
    answers = {"Is it going to rain today?": Parse("weather/find", (("weather/attribute", "rain"),)),
               "今天会下雨吗？": Parse("weather/find", (("datetime", "今天"), ("weather/attribute", "下雨")))}
    report = run(EvalRun(data=split, tier="fast", fast_parser=lambda text, lang: answers.get(text, Parse(None))))
    en, zh, both = report.rows["en"], report.rows["zh"], report.rows["all"]
    # en: 1 of 2 intents; spans: gold 3, predicted 1 (right) -> P 1, R 1/3; no exact match
    assert (en["intent_acc"], en["slot_p"], en["slot_r"], en["exact_match"], en["n"]) == (0.5, 1.0, 1 / 3, 0.0, 2)
    assert (zh["intent_acc"], zh["slot_f1"], zh["exact_match"], zh["answered"]) == (1.0, 1.0, 1.0, 1.0)
    assert en["answered"] == 0.5
    assert both["n"] == 3 and both["slot_r"] == pytest.approx(3 / 5)
    assert report.model is None and report.options["tier"] == "fast"
    assert [(i["id"], i["predicted_intent"], i["exact"]) for i in report.items] == [
        ("en-0", "weather/find", False), ("en-1", None, False), ("zh-0", "weather/find", True)]


def test_fast_tier_needs_a_parser(split: Path) -> None:
    with pytest.raises(ConfigError):
        run(EvalRun(data=split, tier="fast"))


def test_device_predictor_asks_for_the_label_inventory(split: Path) -> None:
    model = ScriptedModel(lambda r: json.dumps({"intent": "weather/find", "slots": [
        {"type": "datetime", "value": "today"}]}))
    labels = Labels.of(load(split)["en"])
    parse = device_predictor(model, labels)(load(split)["en"][0])
    assert parse == Parse("weather/find", (("datetime", "today"),))
    schema = model.requests[0].response_format.schema or {}
    assert schema["properties"]["intent"]["enum"] == ["alarm/set_alarm", "weather/find"]
    assert device_predictor(ScriptedModel(lambda r: "not json"), labels)(load(split)["en"][0]) == Parse(None)


def test_device_tier_runs_the_real_loader(split: Path, tiny_registry) -> None:  # type: ignore[no-untyped-def]
    report = run(EvalRun(data=split / "zh.test.conll", model_id="device:tiny",
                         load_model=lambda: tiny_registry.get("device:tiny")))
    row = report.rows["zh"]
    assert row["n"] == 1 and 0.0 <= row["slot_f1"] <= 1.0 and "all" not in report.rows
