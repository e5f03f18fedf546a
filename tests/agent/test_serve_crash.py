"""kill -9 of ``tandem serve`` at random moments during order flows from an HTTP client, then restart:
no order is made twice and none is lost (the partners' own databases say so)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tandem.agent.journal import Journal
from tandem.testing.agent import confirmation_churn, flows_with_kills, partner_rows, schedule_film, write_profile

pytestmark = pytest.mark.usefixtures("judged_home")  # kills and restarts, not a home's first training


def test_kill_9_of_tandem_serve_during_flows(home: Path) -> None:
    flows = 10
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    run = flows_with_kills(home, flows, kills=3, rng=random.Random(11))
    assert run["kills"] == 3
    assert [len(t) for t in run["tasks"]] == [1] * flows  # one task per request, retries included
    journal = Journal(home / "agent.db")
    tasks = [journal.task(t) for flow in run["tasks"] for t in flow]
    journal.close()
    orders = Counter(t.result["order_id"] for t in tasks)
    food = {r["id"] for r in partner_rows(home, "gabelpost.food", "SELECT id FROM orders")}
    tickets = {r["id"] for r in partner_rows(home, "lichtspiel.cinema", "SELECT id FROM orders")}
    assert set(orders.values()) == {1} and set(orders) == food | tickets
    assert len(food) == len(tickets) == flows // 2
    assert confirmation_churn(home) == {"stale_without_change": 0, "asked_twice": 0}  # a restart asks nothing again
