"""SGD: schemas as tools and state schemas, the metrics' matching rules, and a whole run on a tiny split
with a scripted model (the plumbing is under test, not the model's words)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tandem.eval.base import EvalRun
from tandem.eval.sgd import Service, call_matches, dialogues, run, state_matches, state_schema, tools_of
from tests.eval.scripted import ScriptedModel

SCHEMA = [{"service_name": "Alarm_1", "description": "Manage alarms", "slots": [
    {"name": "new_alarm_time", "description": "Time of the new alarm", "is_categorical": False, "possible_values": []},
    {"name": "new_alarm_name", "description": "Name of the new alarm", "is_categorical": False, "possible_values": []},
    {"name": "loud", "description": "Loud or not", "is_categorical": True, "possible_values": ["True", "False"]}],
    "intents": [{"name": "AddAlarm", "description": "Set a new alarm", "is_transactional": True,
                 "required_slots": ["new_alarm_time"], "optional_slots": {"new_alarm_name": "New alarm"},
                 "result_slots": []}]}]


def _frame(intent: str, values: dict[str, list[str]], requested: list[str] | None = None) -> dict:
    return {"service": "Alarm_1", "slots": [], "actions": [], "state": {
        "active_intent": intent, "requested_slots": requested or [], "slot_values": values}}


DIALOGUE = {"dialogue_id": "1_0", "services": ["Alarm_1"], "turns": [
    {"speaker": "USER", "utterance": "Set an alarm for 7 am please.",
     "frames": [_frame("AddAlarm", {"new_alarm_time": ["7 am"]})]},
    {"speaker": "SYSTEM", "utterance": "Done.", "frames": [
        {"service": "Alarm_1", "slots": [], "actions": [],
         "service_call": {"method": "AddAlarm", "parameters": {"new_alarm_time": "07:00"}}}]},
    {"speaker": "USER", "utterance": "What is it called?",
     "frames": [_frame("AddAlarm", {"new_alarm_time": ["7 am"]}, ["new_alarm_name"])]}]}


@pytest.fixture
def split(tmp_path: Path) -> Path:
    dev, train = tmp_path / "dev", tmp_path / "train"
    dev.mkdir()
    train.mkdir()
    (dev / "schema.json").write_text(json.dumps(SCHEMA))
    (train / "schema.json").write_text(json.dumps([{**SCHEMA[0], "service_name": "Other_1"}]))
    (dev / "dialogues_001.json").write_text(json.dumps([DIALOGUE, {**DIALOGUE, "dialogue_id": "1_1"}]))
    (dev / "dialogues_002.json").write_text(json.dumps([{**DIALOGUE, "dialogue_id": "2_0"}]))
    return dev


def test_schemas_become_valid_tools_and_state_schemas() -> None:
    service = Service.of(SCHEMA[0])
    (tool,) = tools_of(service)
    assert tool.name == "AddAlarm" and tool.parameters["required"] == ["new_alarm_time"]
    assert set(tool.parameters["properties"]) == {"new_alarm_time", "new_alarm_name"}
    schema = state_schema(service)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["active_intent"]["enum"] == ["AddAlarm", "NONE"]
    assert schema["properties"]["slot_values"]["properties"]["loud"]["enum"] == ["True", "False"]


def test_matching_rules() -> None:
    gold = {"new_alarm_time": ["7 am", "7:00 am"]}
    assert state_matches({"new_alarm_time": " 7:00 AM ", "new_alarm_name": ""}, gold)
    assert not state_matches({"new_alarm_time": "7 am", "new_alarm_name": "Work"}, gold)
    assert not state_matches({}, gold)
    call = {"method": "AddAlarm", "parameters": {"new_alarm_time": "07:00"}}
    assert call_matches("AddAlarm", {"new_alarm_time": "07:00"}, call, {})
    assert call_matches("AddAlarm", {"new_alarm_time": "7 am"}, call, gold)  # a surface form the user gave
    assert not call_matches("AddAlarm", {"new_alarm_time": "8 am"}, call, gold)
    assert not call_matches("AddAlarm", {"new_alarm_time": "07:00", "new_alarm_name": "x"}, call, gold)


def test_dialogues_interleave_files(split: Path) -> None:
    assert [d["dialogue_id"] for d in dialogues(split)] == ["1_0", "2_0", "1_1"]


def test_run_scores_frames_and_calls_seen_and_unseen(split: Path) -> None:
    def answer(request):  # type: ignore[no-untyped-def]
        if request.tools:
            return [("AddAlarm", {"new_alarm_time": "7 am"})]
        last = request.messages[-1].content or ""
        requested = ["new_alarm_name"] if "called" in last else []
        return json.dumps({"active_intent": "AddAlarm", "requested_slots": requested,
                           "slot_values": {"new_alarm_time": "7 AM" if "called" not in last else "6 am"}})

    model = ScriptedModel(answer)
    report = run(EvalRun(data=split, limit=2, model_id="scripted", load_model=lambda: model))
    row = report.rows["all"]
    # 2 dialogues x 2 user frames: intents all right, requested slots all right, joint goal right on the
    # first turn only (the second says 6 am); both calls right through the user's surface form.
    assert (row["n_frames"], row["n_calls"]) == (4, 2)
    assert (row["active_intent_acc"], row["requested_slot_f1"], row["joint_goal_acc"], row["service_call_em"]) == (
        1.0, 1.0, 0.5, 1.0)
    assert report.rows["unseen"]["n_frames"] == 4 and report.rows["seen"]["n_frames"] == 0
    assert "Alarm_1" in (model.requests[0].messages[0].content or "")
