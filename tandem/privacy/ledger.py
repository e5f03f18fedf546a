"""The egress ledger: one row per cloud call, kept on the device in ``$TANDEM_HOME/privacy/ledger.db``.

A row is written *before* the call is made and completed after it, so a crash mid-call still leaves
the record of what was sent. It holds no personal data: the payload is kept only as the SHA-256 and size
of the exact (pseudonymised) bytes that left the device, plus the categories that were replaced.

The schema changes only through the ordered migrations below, run whenever the store opens. Every cloud
call of ``tandem serve`` and of the CLI writes here, possibly at once: see ``tandem.storage``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tandem.storage import connect, immediate, migrate

__all__ = ["MIGRATIONS", "EgressRecord", "Ledger"]


def _m001(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE egress (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL, endpoint TEXT NOT NULL, region TEXT NOT NULL, model TEXT NOT NULL,
        purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, payload_sha256 TEXT NOT NULL,
        payload_bytes INTEGER NOT NULL, categories TEXT NOT NULL, status TEXT NOT NULL)""")


def _m002(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE egress ADD COLUMN route_reasons TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX egress_time ON egress(time)")


def _m003(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE egress ADD COLUMN cost REAL NOT NULL DEFAULT 0")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001, _m002, _m003]


@dataclass(frozen=True)
class EgressRecord:
    """One cloud call."""

    endpoint: str  # URL the bytes went to
    region: str  # ISO code of where the endpoint processes data
    model: str  # model id at the endpoint
    purpose: str  # why the data left, e.g. "chat completion"
    legal_basis: str  # from the policy verdict (consent id and article)
    payload_sha256: str  # hash of the exact request body sent
    payload_bytes: int  # its size
    categories: tuple[str, ...]  # identifier categories replaced by placeholders before sending
    status: str = "sent"  # sent → ok, or the error that ended the call (e.g. "error:ModelTimeout")
    route_reasons: str = ""  # why the router chose the cloud
    cost: float = 0.0  # estimated spend (tokens × the endpoint's price), set when the call ends
    time: str = ""  # UTC ISO timestamp, set when recorded
    id: int = 0  # row id, set when recorded


class Ledger:
    """The SQLite store. Thread-safe (the API serves requests from a thread pool) and shared between
    processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = connect(path)
        migrate(self._db, MIGRATIONS)

    @classmethod
    def at_home(cls, home: Path) -> Ledger:
        return cls(home / "privacy" / "ledger.db")

    def record(self, record: EgressRecord) -> int:
        """Write a row before the call; returns its id for ``finish``."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with immediate(self._db) as db:
            cursor = db.execute(
                "INSERT INTO egress (time, endpoint, region, model, purpose, legal_basis, payload_sha256,"
                " payload_bytes, categories, status, route_reasons) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (now, record.endpoint, record.region, record.model, record.purpose, record.legal_basis,
                 record.payload_sha256, record.payload_bytes, ",".join(record.categories), record.status,
                 record.route_reasons))
            return int(cursor.lastrowid or 0)

    def finish(self, row_id: int, status: str, cost: float = 0.0) -> None:
        with immediate(self._db) as db:
            db.execute("UPDATE egress SET status = ?, cost = ? WHERE id = ?", (status, cost, row_id))

    def spent_since(self, since: dt.datetime) -> float:
        """Cloud spend recorded since ``since`` (for budgets)."""
        with self._db.lock:
            row = self._db.execute("SELECT COALESCE(SUM(cost), 0) FROM egress WHERE time >= ?",
                                   (since.astimezone(dt.UTC).isoformat(timespec="milliseconds"),)).fetchone()
        return float(row[0])

    def entries(self, limit: int | None = None) -> list[EgressRecord]:
        """Newest first."""
        sql = "SELECT * FROM egress ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        with self._db.lock:
            rows = self._db.execute(sql, (limit,) if limit else ()).fetchall()
        return [_record(row) for row in rows]

    def export(self) -> dict[str, Any]:
        """Everything the ledger holds, machine-readable (GDPR Art. 15 access, Art. 20 portability)."""
        return {"format": "tandem-egress-ledger/1",
                "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "entries": [asdict(e) for e in reversed(self.entries())]}

    def export_json(self) -> str:
        return json.dumps(self.export(), ensure_ascii=False, indent=2)

    def erase(self) -> int:
        """Delete every row (GDPR Art. 17); returns how many there were."""
        with self._db.lock:
            with immediate(self._db) as db:
                count = int(db.execute("SELECT COUNT(*) FROM egress").fetchone()[0])
                db.execute("DELETE FROM egress")
            self._db.execute("VACUUM")  # not inside a transaction; the lock keeps other threads out of it
        return count

    def close(self) -> None:
        with self._db.lock:
            self._db.close()


def _record(row: sqlite3.Row) -> EgressRecord:
    data = dict(row)
    data["categories"] = tuple(c for c in data["categories"].split(",") if c)
    return EgressRecord(**data)
