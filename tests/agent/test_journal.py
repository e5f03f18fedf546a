"""The journal file: ordered migrations bring an older file up to date without losing what it holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tandem.agent.journal import MIGRATIONS, Journal
from tandem.agent.tasks import Task, TaskState


def test_an_old_journal_is_migrated_in_order(tmp_path: Path) -> None:
    path = tmp_path / "agent.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";\nPRAGMA user_version=1;")
    conn.execute("INSERT INTO conversations VALUES ('conv-1', 'de', 0)")
    conn.execute("INSERT INTO tasks (id, conversation_id, intent, slots, state, language, text, tier, created_at, "
                 "updated_at) VALUES ('t-1', 'conv-1', 'order_food', '{}', 'planned', 'de', 'Pizza', 'fast', 0, 0)")
    conn.commit()
    conn.close()
    journal = Journal(path)
    try:
        assert journal.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert journal.task("t-1").state == TaskState.PLANNED  # kept
        task = Task(id="t-2", conversation_id="conv-1", intent="order_food", slots={}, state=TaskState.PLANNED,
                    language="de")
        assert journal.add_tasks([task], "key-1")[0].id == "t-2"
        assert [t.id for t in journal.add_tasks([Task(**{**task.__dict__, "id": "t-3"})], "key-1")] == ["t-2"]
        journal.remember_tools([{"name": "x", "categories": []}])
        assert journal.known_tools() == [{"name": "x", "categories": []}]
    finally:
        journal.close()
    assert Journal(path).conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)  # idempotent
