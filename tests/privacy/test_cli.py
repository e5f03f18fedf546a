"""``tandem privacy ...`` through the real CLI entry point, on a tmp TANDEM_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.cli import cli
from tandem.privacy import erase as erase_module
from tandem.privacy.erase import register_user_data, user_data_paths
from tandem.privacy.ledger import EgressRecord, Ledger
from tandem.privacy.settings import load_privacy


def _fill(home: Path, n: int = 2) -> None:
    ledger = Ledger.at_home(home)
    for i in range(n):
        row = ledger.record(EgressRecord(endpoint="https://llm.example.eu/v1", region="FR", model="qwen-plus",
                                         purpose="chat completion", legal_basis="GDPR Art. 6(1)(b)",
                                         payload_sha256=f"{i:064x}", payload_bytes=100 + i, categories=("PERSON",)))
        ledger.finish(row, "ok")
    ledger.close()


def test_ledger_table_and_json(home: Path) -> None:
    runner = CliRunner()
    assert "no data has left this device" in runner.invoke(cli, ["privacy", "ledger"]).output
    _fill(home)
    table = runner.invoke(cli, ["privacy", "ledger"]).output
    assert "qwen-plus" in table and "PERSON" in table and table.count("\n") == 3
    rows = json.loads(runner.invoke(cli, ["privacy", "ledger", "--json"]).output)
    assert [r["payload_bytes"] for r in rows] == [101, 100]


def test_export_to_file(home: Path, tmp_path: Path) -> None:
    _fill(home, 3)
    out = tmp_path / "export.json"
    result = CliRunner().invoke(cli, ["privacy", "export", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["format"] == "tandem-egress-ledger/1" and len(data["entries"]) == 3


def test_erase_removes_ledger_consent_logs_and_registered_stores(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(erase_module, "_PATHS", list(user_data_paths()))  # the registry is process-wide
    _fill(home)
    runner = CliRunner()
    assert runner.invoke(cli, ["privacy", "consent", "--cross-border"]).exit_code == 0
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "partner.log").write_text("user asked about Margaret")
    (home / "notes.db").write_text("personal")
    register_user_data("notes.db")
    refused = runner.invoke(cli, ["privacy", "erase"], input="n\n")
    assert refused.exit_code != 0 and Ledger.at_home(home).entries()
    result = runner.invoke(cli, ["privacy", "erase", "--yes"])
    assert "erased 2 ledger records" in result.output
    assert Ledger.at_home(home).entries() == []
    assert not (home / "logs").exists() and not (home / "notes.db").exists()
    assert not (home / "privacy.toml").exists()


def test_user_data_must_stay_inside_home() -> None:
    with pytest.raises(ValueError):
        register_user_data("../elsewhere")


def test_consent_changes_get_new_ids(home: Path) -> None:
    runner = CliRunner()
    first = json.loads(runner.invoke(cli, ["privacy", "consent", "--health"]).output)
    second = json.loads(runner.invoke(cli, ["privacy", "consent", "--no-cloud"]).output)
    assert first["health"] and second["health"] and not second["cloud"]
    assert first["consent_id"] != second["consent_id"]
    assert load_privacy(home).consent.consent_id == second["consent_id"]


def test_scan_shows_what_the_cloud_would_see() -> None:
    result = CliRunner().invoke(cli, ["privacy", "scan", "我叫李文博，手机号13926581134。"])
    assert result.exit_code == 0
    assert "cloud would see: 我叫<PERSON_1>，手机号<PHONE_1>。" in result.output
