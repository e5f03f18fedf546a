"""kill -9 at random moments during order flows, then restart: no order is made twice, none is lost.

The driver is a real process with real partner processes under it; SIGKILL gives it no chance to clean
up. After the last run finishes, every flow's task must be done and map one-to-one onto an order in the
partner's own database."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.journal import Journal
from tandem.agent.plan import TaskState
from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.agent.crash_driver import drive

ROOT = Path(__file__).resolve().parents[2]


def _until_ready(process: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    """Wait for the driver to print READY (it has resumed and starts its flows)."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line:
                return False
            if line.strip() == b"READY":
                return True
    return False


def run_with_kills(home: Path, region: str, flows: int, kills: int, rng: random.Random,
                   window: tuple[float, float] = (0.0, 1.5)) -> int:
    """Run the driver, SIGKILL it ``kills`` times at a random moment after it started its flows, then let it
    finish. Returns how many kills hit a running driver."""
    env = {**os.environ, "TANDEM_HOME": str(home), "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "tests.agent.crash_driver", str(home), region, str(flows)]
    done = 0
    for attempt in range(kills + 1):
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        if attempt < kills and _until_ready(process):
            try:
                process.wait(timeout=rng.uniform(*window))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the driver and its partner processes, mid-flight
                process.wait()
                done += 1
                continue
        out, err = process.communicate(timeout=300)
        if b"ALL DONE" in out:
            return done
        assert process.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
    raise AssertionError("the driver never finished")


def check_exactly_once(home: Path, flows: int, food: str, cinema: str) -> dict[str, Any]:
    journal = Journal(home / "agent.db")
    try:
        tasks = journal.tasks()
    finally:
        journal.close()
    per_flow = Counter(t.conversation_id for t in tasks)
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


def test_kill_9_during_order_flows_loses_and_repeats_nothing(home: Path) -> None:
    flows = 20
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    kills = run_with_kills(home, "DE", flows, kills=4, rng=random.Random(5))
    counts = check_exactly_once(home, flows, "gabelpost.food", "lichtspiel.cinema")
    assert counts == {"food": flows // 2, "tickets": flows // 2}
    assert kills >= 3  # the flows really were interrupted


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
