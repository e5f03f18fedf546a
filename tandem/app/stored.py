"""Responses kept for ``previous_response_id``: ``$TANDEM_HOME/responses.db``.

A stored response is the conversation up to and including its answer (as chat messages) and the response
document ``GET /v1/responses/{id}`` returns. It belongs to the client that created it (``clients.client_of``,
as assistant conversations do): for any other client the id does not exist (404), so one app cannot read or
continue another's conversation. ``store: false`` keeps nothing.

Bounded: a response lives ``KEEP_DAYS`` days (OpenAI's default), and a client keeps its newest ``KEEP_PER_CLIENT``;
older ones go when a new one is stored. The file is personal data (``privacy.erase.USER_DATA``), opened for each
use and closed again, so that an erasure never finds it held open.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tandem.errors import NotFound
from tandem.privacy.erase import register_user_data
from tandem.storage import Connection, connect, immediate, migrate
from tandem.types import Message, ToolCall

__all__ = ["KEEP_DAYS", "KEEP_PER_CLIENT", "ResponseStore"]

KEEP_DAYS = 30
KEEP_PER_CLIENT = 1000
FILE = "responses.db"

for _name in (FILE, f"{FILE}-wal", f"{FILE}-shm"):
    register_user_data(_name)

MIGRATIONS = [
    """
CREATE TABLE responses (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at REAL NOT NULL,
                        conversation TEXT NOT NULL, document TEXT NOT NULL);
CREATE INDEX responses_owner ON responses(owner, created_at);
""",
]


def _message(m: Message) -> dict[str, Any]:
    return {"role": m.role, "content": m.content, "tool_call_id": m.tool_call_id, "name": m.name,
            "tool_calls": [[c.id, c.name, c.arguments] for c in m.tool_calls]}


def _restored(row: dict[str, Any]) -> Message:
    return Message(role=row["role"], content=row["content"], tool_call_id=row["tool_call_id"], name=row["name"],
                   tool_calls=tuple(ToolCall(i, n, a) for i, n, a in row["tool_calls"]))


class ResponseStore:
    """The stored responses. Use as a context manager: it closes its connection when the block ends."""

    def __init__(self, path: Path) -> None:
        self.conn: Connection = connect(path)
        migrate(self.conn, MIGRATIONS)

    @classmethod
    def at_home(cls, home: Path) -> ResponseStore:
        return cls(home / FILE)

    def __enter__(self) -> ResponseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        with self.conn.lock:
            self.conn.close()

    def put(self, response_id: str, owner: str, conversation: tuple[Message, ...], document: dict[str, Any],
            now: float | None = None) -> None:
        """Keep a response, and drop what has outlived the bounds."""
        now = time.time() if now is None else now
        with immediate(self.conn) as c:
            c.execute("INSERT INTO responses VALUES (?, ?, ?, ?, ?)",
                      (response_id, owner, now, json.dumps([_message(m) for m in conversation], ensure_ascii=False),
                       json.dumps(document, ensure_ascii=False)))
            c.execute("DELETE FROM responses WHERE created_at < ?", (now - KEEP_DAYS * 86400,))
            c.execute("DELETE FROM responses WHERE owner = ? AND id NOT IN (SELECT id FROM responses WHERE owner = ? "
                      "ORDER BY created_at DESC LIMIT ?)", (owner, owner, KEEP_PER_CLIENT))

    def _row(self, response_id: str, owner: str, column: str) -> str:
        with self.conn.lock:
            row = self.conn.execute(f"SELECT {column} FROM responses WHERE id = ? AND owner = ? AND created_at >= ?",
                                    (response_id, owner, time.time() - KEEP_DAYS * 86400)).fetchone()
        if row is None:  # another client's id is answered exactly like one never issued
            raise NotFound(f"no response {response_id!r}",
                           hint="responses are kept for their own client, 30 days, unless sent with store: false")
        return str(row[0])

    def conversation(self, response_id: str, owner: str) -> tuple[Message, ...]:
        """The messages up to and including the response's answer: what a follow-up continues."""
        return tuple(_restored(m) for m in json.loads(self._row(response_id, owner, "conversation")))

    def document(self, response_id: str, owner: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self._row(response_id, owner, "document"))
        return document

    def exported(self) -> list[dict[str, Any]]:
        """Every stored response with its conversation, for the user's own export (GDPR Art. 15/20)."""
        with self.conn.lock:
            rows = self.conn.execute("SELECT id, owner, created_at, conversation, document FROM responses "
                                     "ORDER BY created_at").fetchall()
        return [{"id": r["id"], "client": r["owner"], "created_at": r["created_at"],
                 "conversation": json.loads(r["conversation"]), "document": json.loads(r["document"])} for r in rows]

    def delete(self, response_id: str, owner: str) -> None:
        with immediate(self.conn) as c:
            if not c.execute("DELETE FROM responses WHERE id = ? AND owner = ?", (response_id, owner)).rowcount:
                raise NotFound(f"no response {response_id!r}")
