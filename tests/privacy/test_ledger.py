"""The egress ledger: migrations, records, export and erase, persisted on disk."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tandem.privacy.ledger import MIGRATIONS, EgressRecord, Ledger

ROW = EgressRecord(endpoint="https://llm.example.eu/v1", region="FR", model="qwen-plus", purpose="chat completion",
                   legal_basis="GDPR Art. 6(1)(b), pseudonymised", payload_sha256="ab" * 32, payload_bytes=512,
                   categories=("EMAIL", "PERSON"), route_reasons="cloud; difficulty=0.81>=0.50")


def test_records_survive_reopening(home: Path) -> None:
    ledger = Ledger.at_home(home)
    row = ledger.record(ROW)
    ledger.finish(row, "ok")
    ledger.close()
    again = Ledger.at_home(home)
    [entry] = again.entries()
    assert entry.id == row and entry.status == "ok" and entry.categories == ("EMAIL", "PERSON")
    assert entry.time.endswith("+00:00") and entry.payload_bytes == 512
    again.close()


def test_migrations_run_in_order_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    Ledger(path).close()
    Ledger(path).close()  # a second open must not re-run them
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        columns = [r[1] for r in db.execute("PRAGMA table_info(egress)")]
    assert "route_reasons" in columns


def test_upgrade_from_first_schema_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    with sqlite3.connect(path) as db:
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO egress (time, endpoint, region, model, purpose, legal_basis, payload_sha256, "
                   "payload_bytes, categories, status) VALUES ('t', 'e', 'DE', 'm', 'p', 'b', 'h', 1, '', 'ok')")
    ledger = Ledger(path)
    assert [e.endpoint for e in ledger.entries()] == ["e"]
    ledger.close()


def test_export_is_machine_readable_and_erase_empties(home: Path) -> None:
    ledger = Ledger.at_home(home)
    for _ in range(3):
        ledger.record(ROW)
    data = json.loads(ledger.export_json())
    assert data["format"] == "tandem-egress-ledger/1" and len(data["entries"]) == 3
    assert data["entries"][0]["id"] < data["entries"][-1]["id"]
    assert ledger.erase() == 3
    assert ledger.entries() == []
    ledger.close()
