"""Exactly once at the worst moment: the partner committed, the journal never heard. (Random kill -9 of
``tandem serve`` is in ``test_serve_crash.py``.) ``check_exactly_once`` is shared with the bench."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.journal import Journal
from tandem.agent.plan import TaskState
from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.agent.crash_driver import drive


def check_exactly_once(home: Path, flows: int, food: str, cinema: str) -> dict[str, Any]:
    journal = Journal(home / "agent.db")
    try:
        tasks = journal.tasks()
        owners = {c["id"]: c["owner"].removeprefix("client:") for c in journal.conversations()}
    finally:
        journal.close()
    per_flow = Counter(owners[t.conversation_id] for t in tasks)  # each flow is its own client
    assert sorted(per_flow) == sorted(f"flow-{i}" for i in range(flows)) and set(per_flow.values()) == {1}
    assert {t.state for t in tasks} == {TaskState.DONE}, [(t.id, t.state, t.error) for t in tasks
                                                          if t.state != TaskState.DONE]
    food_orders = {r["id"] for r in partner_rows(home, food, "SELECT id FROM orders")}
    tickets = {r["id"] for r in partner_rows(home, cinema, "SELECT id FROM orders")}
    referenced = Counter(t.result["order_id"] for t in tasks)
    assert set(referenced.values()) == {1}  # no two flows share an order
    assert set(referenced) == food_orders | tickets  # no order without a flow (duplicate), no flow without one (lost)
    seats = partner_rows(home, cinema, "SELECT COUNT(*) AS n FROM seats WHERE order_id IS NOT NULL")[0]["n"]
    assert seats == 2 * len(tickets)
    return {"food": len(food_orders), "tickets": len(tickets)}


def confirmation_churn(home: Path) -> dict[str, int]:
    """How often the user was asked more than once: confirmations that went stale although the call
    (its hash) had not changed, and tasks that asked for confirmation more than once."""
    journal = Journal(home / "agent.db")
    try:
        asked = [journal.confirmations(t.id) for t in journal.tasks()]
    finally:
        journal.close()
    stale = sum(1 for records in asked for earlier, later in pairwise(records)
                if earlier["status"] == "stale" and earlier["hash"] == later["hash"])
    return {"stale_without_change": stale, "asked_twice": sum(len(records) > 1 for records in asked)}


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
