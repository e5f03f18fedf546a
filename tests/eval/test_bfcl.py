"""BFCL: schema normalisation, the AST checker on hand-made cases, reading both data layouts, and runs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tandem.eval.base import EvalRun
from tandem.eval.bfcl import (
    call_matches,
    is_correct,
    load,
    read_calls,
    run,
    to_json_schema,
    value_matches,
)
from tests.eval.scripted import ScriptedModel

AREA = {"name": "geo.area", "description": "Area of a triangle.", "parameters": {
    "type": "dict", "required": ["base", "height", "ghost"], "properties": {
        "base": {"type": "integer"}, "height": {"type": "float"}, "unit": {"type": "string", "default": "m"},
        "corners": {"type": "tuple", "items": {"type": "any"}}}}}
ANSWER = {"geo.area": {"base": [10], "height": [5.0], "unit": ["meters", ""]}}


def _write(folder: Path, category: str, rows: list[dict], answers: list[dict] | None, layout: str = "repo") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"BFCL_v4_{category}.json").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    if answers is not None:
        target = folder / f"answer_{category}.json" if layout == "repo" else \
            folder / "possible_answer" / f"BFCL_v4_{category}.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text("\n".join(json.dumps(a) for a in answers) + "\n")


@pytest.fixture
def split(tmp_path: Path) -> Path:
    question = [[{"role": "user", "content": "Area of a triangle with base 10 and height 5 meters?"}]]
    _write(tmp_path, "simple_python", [{"id": "simple_python_0", "question": question, "function": [AREA]}],
           [{"id": "simple_python_0", "ground_truth": [ANSWER]}])
    _write(tmp_path, "irrelevance", [{"id": "irrelevance_0", "question": [[{"role": "user", "content": "Hi"}]],
                                      "function": [AREA]}], None)
    return tmp_path


def test_schema_types_become_json_schema() -> None:
    schema = to_json_schema(AREA["parameters"])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object" and schema["required"] == ["base", "height"]
    assert schema["properties"]["height"] == {"type": "number"}
    assert schema["properties"]["corners"] == {"type": "array", "items": {}}
    assert "default" not in schema["properties"]["unit"]


def test_checker_follows_bfcl() -> None:
    assert call_matches(("geo.area", {"base": 10, "height": 5}), ANSWER)  # int for float, unit optional
    assert call_matches(("geo.area", {"base": 10, "height": 5, "unit": "Meters"}), ANSWER)  # case folded
    assert not call_matches(("geo.area", {"base": 10}), ANSWER)  # height is required
    assert not call_matches(("geo.area", {"base": 10, "height": 5, "color": "red"}), ANSWER)  # unknown param
    assert not call_matches(("area", {"base": 10, "height": 5}), ANSWER)
    assert not call_matches(("geo.area", {"base": 10, "height": 5, "unit": ""}), ANSWER)  # "" means omitted
    assert value_matches(["New York, NY", 2], ["new york ny", 2])
    assert not value_matches([1, 2], [1, 2, 3])
    assert value_matches({"k": "A-B"}, {"k": ["ab"], "opt": [""]})
    assert not value_matches(True, 1)


def test_parallel_calls_match_in_any_order_and_irrelevance_wants_none(split: Path) -> None:
    items = load(split)
    simple = items["simple_python"][0]
    parallel = type(simple)("p", "parallel", simple.messages, simple.functions, (
        {"f": {"x": [1]}}, {"f": {"x": [2]}}))
    assert is_correct(parallel, [("f", {"x": 2}), ("f", {"x": 1})])
    assert not is_correct(parallel, [("f", {"x": 1}), ("f", {"x": 1})])
    assert not is_correct(parallel, [("f", {"x": 1})])
    irrelevant = items["irrelevance"][0]
    assert is_correct(irrelevant, []) and not is_correct(irrelevant, [("geo.area", {"base": 1, "height": 1})])


def test_reads_both_layouts(tmp_path: Path, split: Path) -> None:
    assert list(load(split)) == ["simple_python", "irrelevance"]
    assert list(load(split, ["simple"])) == ["simple_python"]
    other = tmp_path / "pkg"
    _write(other, "live_simple", [{"id": "live_simple_0-0-0", "question": [[{"role": "user", "content": "x"}]],
                                   "function": [AREA]}], [{"id": "live_simple_0-0-0", "ground_truth": [ANSWER]}],
           layout="package")
    assert load(other)["live_simple"][0].answers == (ANSWER,)


def test_plain_calls_are_read_from_tags_or_json() -> None:
    assert read_calls('<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>') == [("f", {"a": 1})]
    assert read_calls('```json\n[{"name": "f", "arguments": {}}, {"name": "g", "parameters": {"b": 2}}]\n```') == [
        ("f", {}), ("g", {"b": 2})]
    assert read_calls("The area is 25 {not json") == []


def test_run_scores_both_modes(split: Path) -> None:
    def answer(request):  # type: ignore[no-untyped-def]
        if "Hi" in (request.messages[-1].content or ""):
            return "Hello!"
        if request.tools:
            return [("geo.area", {"base": 10, "height": 5.0})]
        return '<tool_call>\n{"name": "geo.area", "arguments": {"base": 10}}\n</tool_call>'

    model = ScriptedModel(answer)
    report = run(EvalRun(data=split, model_id="scripted", load_model=lambda: model))
    assert report.rows["simple_python"] == {"constrained": 1.0, "plain": 0.0, "n": 1}
    assert report.rows["irrelevance"] == {"constrained": 1.0, "plain": 1.0, "n": 1}
    assert report.rows["mean"] == {"constrained": 1.0, "plain": 0.5}
    assert {(i["id"], i["mode"], i["correct"]) for i in report.items} == {
        ("simple_python_0", "constrained", True), ("simple_python_0", "plain", False),
        ("irrelevance_0", "constrained", True), ("irrelevance_0", "plain", True)}
    plain_request = model.requests[-1]
    assert not plain_request.tools and "<tools>" in (plain_request.messages[0].content or "")

