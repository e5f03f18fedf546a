"""``tandem privacy ...`` through the real CLI entry point, on a tmp TANDEM_HOME."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tandem.cli import cli
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


def test_erase_removes_ledger_consent_logs_and_every_listed_store(home: Path) -> None:
    _fill(home)
    runner = CliRunner()
    assert runner.invoke(cli, ["privacy", "consent", "--cross-border"]).exit_code == 0
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "partner.log").write_text("user asked about Margaret")
    (home / "profile.toml").write_text('name = "Margaret"')
    (home / "agent.db-wal").write_text("Margaret")
    (home / "services.db").write_text("which partners are registered")
    refused = runner.invoke(cli, ["privacy", "erase"], input="n\n")
    assert refused.exit_code != 0 and Ledger.at_home(home).entries()
    result = runner.invoke(cli, ["privacy", "erase", "--yes"])
    assert "erased 2 ledger records" in result.output
    assert Ledger.at_home(home).entries() == []
    assert not (home / "logs").exists() and not (home / "profile.toml").exists()
    assert not (home / "agent.db-wal").exists() and (home / "services.db").exists()
    assert not (home / "privacy.toml").exists()


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


def test_scan_shows_what_the_egress_check_replaces() -> None:
    # walk5: scan read with the routing detector only, so it showed names going out that the check before a cloud
    # call replaces (its safety nets: a name in a web address, an unknown proper noun)
    result = CliRunner().invoke(cli, ["privacy", "scan", "See https://www.linkedin.com/in/anna-schmidt-4711 now"])
    assert result.exit_code == 0, result.output
    seen = result.output.split("cloud would see: ")[1]
    assert "anna" not in seen and "linkedin.com" in seen, result.output


def test_scan_of_nothing_is_a_usage_error() -> None:
    # walk6's new-user walk: an empty TEXT printed "cloud would see: " and exited 0, as if it had checked something
    result = CliRunner().invoke(cli, ["privacy", "scan", "  "])
    assert result.exit_code == 2 and "TEXT is empty" in result.output and "Traceback" not in result.output
