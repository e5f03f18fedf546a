"""SQLite state shared by the reference partners: migrations, write transactions, idempotency.

Each partner owns one database file, opened and migrated by ``tandem.storage``. Every change is one
``BEGIN IMMEDIATE`` transaction: SQLite takes the write lock up front, so concurrent buyers (threads or
separate server processes on the same file) queue instead of interleaving, and a process killed
mid-write leaves nothing behind (the WAL rolls the half-written transaction back on the next open).

Idempotency: a transactional tool stores its result under the caller's key in the same transaction
as its effect. The key column is the PRIMARY KEY, so a second effect for one key cannot be committed
even if two processes race.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp.server.fastmcp.exceptions import ToolError

from tandem.forget import remembered
from tandem.storage import connect, immediate, migrate
from tandem.text import HAN, pieces, simplified

__all__ = ["IDEMPOTENCY_TABLE", "PartnerStore", "Replay", "ToolError", "words_match"]

IDEMPOTENCY_TABLE = """
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    tool TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
)"""


@dataclass(frozen=True)
class Replay:
    """A stored result for an idempotency key that was used before with the same request."""

    result: dict[str, Any]


class PartnerStore:
    """One partner's database. ``migrations`` are SQL scripts applied in order, tracked by
    ``PRAGMA user_version``; ``seed`` fills a freshly created database inside the same transaction."""

    def __init__(self, path: Path, migrations: list[str],
                 seed: Callable[[sqlite3.Connection], None] | None = None) -> None:
        self.path = path
        self.conn = connect(path, "foreign_keys=ON")
        migrate(self.conn, migrations, seed)

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction holding SQLite's write lock from its first statement."""
        return immediate(self.conn)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection for a few consistent reads (one deferred transaction, no write lock)."""
        with self.conn.lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("ROLLBACK")

    def rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self.conn.lock:
            return [dict(r) for r in self.conn.execute(sql, params)]

    def row(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @staticmethod
    def replay(conn: sqlite3.Connection, key: str, tool: str, request: dict[str, Any]) -> Replay | None:
        """The earlier result for ``key``; a ToolError when the key was used for a different request."""
        if not key or len(key) > 200:
            raise ToolError("idempotency_key must be 1-200 characters")
        row = conn.execute("SELECT tool, request_hash, result FROM idempotency WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if row["tool"] != tool or row["request_hash"] != _digest(request):
            raise ToolError(f"idempotency_key {key!r} was already used for a different request")
        return Replay(json.loads(row["result"]))

    @staticmethod
    def remember(conn: sqlite3.Connection, key: str, tool: str, request: dict[str, Any],
                 result: dict[str, Any]) -> None:
        conn.execute("INSERT INTO idempotency (key, tool, request_hash, result) VALUES (?, ?, ?, ?)",
                     (key, tool, _digest(request), json.dumps(result, ensure_ascii=False)))

    def idempotent(self, key: str, tool: str, request: dict[str, Any],
                   effect: Callable[[sqlite3.Connection], dict[str, Any]]) -> dict[str, Any]:
        """Run ``effect`` once per key, in one transaction with the record of its result.

        A repeated call with the same key and request returns the first result with ``replayed``
        set, and changes nothing."""
        with self.write() as conn:
            earlier = self.replay(conn, key, tool, request)
            if earlier is not None:
                return {**earlier.result, "replayed": True}
            result = effect(conn)
            self.remember(conn, key, tool, request, result)
        return {**result, "replayed": False}

    def close(self) -> None:
        self.conn.close()


def _digest(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def words_match(rows: list[dict[str, Any]], query: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows whose ``fields`` hold the most of ``query``'s words, as a search box reads "a powerbank", "eine
    Powerbank" or "the wifi password": a Latin word of under three letters ("a", inside many names) counts for
    nothing, and a function word another row holds ("the", 我的) does not keep out a row holding more of what was
    asked; a query none of whose words any row holds finds nothing (all rows for no query). Chinese is read by its
    two-character pieces (``tandem.text.pieces``). A field may hold an item's names per language (``names``:
    {"de": "Wasserkocher", "zh": "电热水壶"}, as a mapping or its JSON), so the item is found by any of them.
    Chinese is compared in simplified characters on both sides: a note kept as typed in traditional ones is found by
    a search said in simplified ones (speech writes those), and the other way round."""
    texts = [_simplified(" ".join(_said(row.get(f)) for f in fields).casefold()) for row in rows]
    said = [piece for word in re.findall(r"\w+", _simplified(query.casefold())) for piece in pieces(word)]
    words = {w for w in said if len(w) >= 3 or not w.isascii()}
    if not query.strip():
        return rows
    held = [sum(w in text for w in words) for text in texts]
    best = max(held, default=0)
    return [row for row, count in zip(rows, held, strict=True) if best and count == best]


def _simplified(text: str) -> str:
    """``text`` with any traditional Chinese characters written simplified (``tandem.text.simplified``). A short text is
    kept converted: a catalog's rows are the same on every search (reread27 M2: a Beijing restaurant search 4-9 ms,
    ~150 uncached); a long one (a note's body) is converted each time, so the cache stays small."""
    if not HAN.search(text):
        return text
    return _short_simplified(text) if len(text) <= 500 else simplified(text)


@remembered(16384)
def _short_simplified(text: str) -> str:
    """Kept and emptied by every erasure (``tandem.forget``): the texts searched include the user's own notes and
    appointments (review27 R27-5)."""
    return simplified(text)


def _said(value: Any) -> str:
    """A field's words: a mapping's or a list's values (a language's key is no name), else its text."""
    if isinstance(value, str) and value.startswith("{"):
        with suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict):
        return " ".join(_said(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_said(v) for v in value)
    return str(value or "")
