"""Exactly once at the worst moment: the partner committed, the journal never heard. (Random kill -9 of
``tandem serve`` is in ``test_serve_crash.py``.) ``check_exactly_once`` lives in ``tandem.testing.agent``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.journal import Journal
from tandem.testing.agent import check_exactly_once, schedule_film, write_profile
from tests.agent.crash_driver import drive


@pytest.mark.anyio
async def test_restart_after_a_kill_between_commit_and_journal(home: Path) -> None:
    """The worst moment: the partner committed the order, the journal has not heard back. The retry
    carries the same idempotency key, so the partner replays the first order instead of making another."""
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    await drive("DE", 2)
    journal = Journal(home / "agent.db")
    task = journal.tasks()[0]
    with journal.tx() as conn:  # rewind the journal to "call sent, no answer yet"
        conn.execute("UPDATE tasks SET state = 'running', result = NULL WHERE id = ?", (task.id,))
        conn.execute("UPDATE steps SET status = 'started', result = NULL WHERE task_id = ? AND idempotency_key "
                     "IS NOT NULL", (task.id,))
    journal.close()
    await drive("DE", 2)
    check_exactly_once(home, 2, "gabelpost.food", "lichtspiel.cinema")
    journal = Journal(home / "agent.db")
    assert journal.task(task.id).result["replayed"] is True
    journal.close()
