"""The agent's drills, for tests and benches: the reference partners' own stores (a film on the schedule,
the rows a partner recorded), a user profile, and order flows against a real ``tandem serve`` process
that gets killed with SIGKILL at random moments and started again (``bench/agent.py --crash N``).

The flows' client is an ordinary HTTP client that retries what failed: it sends each request with an
``Idempotency-Key``, confirms what waits for confirmation, and waits while the server resumes the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx

from tandem.agent.journal import Journal
from tandem.agent.tasks import TaskState
from tandem.keys import read_local_token
from tandem.partners import cinema
from tandem.testing import free_port

__all__ = ["ROOT", "SENTENCES", "Serve", "check_exactly_once", "confirmation_churn", "flows_with_kills",
           "partner_rows", "run_flow", "schedule_film", "write_profile"]

CITIES = {"DE": "Berlin", "CN": "Beijing"}
VARIANT = {"DE": "EU", "CN": "CN"}


def schedule_film(home: Path, region: str, title: str, title_en: str, clock: str = "20:00",
                  day: dt.date | None = None, rows: int = 6, per_row: int = 10) -> str:
    """The cinema partner adds a film and one showing to its schedule (as its operator would). Returns
    the showtime id."""
    variant = cinema.VARIANTS[VARIANT[region]]
    store = cinema.open_store(home / "partners" / f"{variant.service_id}.db", variant)
    day = day or dt.date.today()
    film_id = "f-" + "".join(c for c in title_en.lower() if c.isalnum())
    try:
        with store.write() as conn:
            conn.execute("INSERT OR IGNORE INTO films VALUES (?, ?, ?, 155, 12)", (film_id, title, title_en))
            cinema_id, price = conn.execute("SELECT id, price FROM cinemas ORDER BY id").fetchone()
            showtime = f"{cinema_id}-{film_id}-{day:%Y%m%d}-{clock.replace(':', '')}"
            conn.execute("INSERT OR IGNORE INTO showtimes VALUES (?, ?, 'Saal 1', ?, ?, ?)",
                         (showtime, cinema_id, film_id, f"{day:%Y-%m-%d} {clock}", price))
            conn.executemany("INSERT OR IGNORE INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                             [(showtime, f"{chr(65 + r)}{c + 1}", r, c) for r in range(rows) for c in range(per_row)])
    finally:
        store.close()
    return showtime


def write_profile(home: Path, region: str) -> None:
    city = CITIES[region]
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text(
        f'name = "Alex Muster"\nphone = "+49 30 1234567"\npayment_token = "tok_test_4242"\ncity = "{city}"\n'
        f'[places.office]\naddress = "Friedrichstraße 100"\ncity = "{city}"\n'
        f'[places.home]\naddress = "Kastanienallee 7"\ncity = "{city}"\n', encoding="utf-8")


def partner_rows(home: Path, service_id: str, sql: str) -> list[dict[str, Any]]:
    """Rows straight from a partner's own database (what really happened there)."""
    path = home / "partners" / f"{service_id}.db"
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


SENTENCES = ("Bestell mir eine Pizza ins Büro", "Buch zwei Kinokarten für Dune heute um 20 Uhr")
ROOT = Path(__file__).resolve().parents[2]  # the checkout, for PYTHONPATH


class Serve:
    """``tandem serve`` as a user starts it, in its own process group so a kill takes its partners too."""

    def __init__(self, home: Path) -> None:
        self.home, self.port = home, free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> None:
        env = {**os.environ, "TANDEM_HOME": str(self.home), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "tandem.cli", "serve", "--port", str(self.port),
                                         "--no-preload"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("tandem serve did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


def _retry(call: Any, deadline: float) -> Any:
    while True:
        try:
            response = call()
            if response.status_code < 500:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the server never answered")
        time.sleep(0.3)


def run_flow(http: httpx.Client, index: int, deadline: float) -> list[str]:
    """One flow to its end, as client "flow-<index>" in a conversation the server opens; returns the ids
    of its tasks."""
    me = {"X-Tandem-Client": f"flow-{index}"}
    reply = _retry(lambda: http.post("/v1/assistant/conversations", json={"text": SENTENCES[index % 2]},
                                     headers={**me, "Idempotency-Key": f"flow-{index}"}), deadline)
    tasks = [t["id"] for t in reply.json()["tasks"]]
    for task_id in tasks:
        while True:
            task = _retry(lambda: http.get(f"/v1/assistant/tasks/{task_id}", headers=me), deadline).json()  # noqa: B023
            if task["state"] == "done":
                break
            if task["state"] == "awaiting-confirmation":
                _retry(lambda: http.post(f"/v1/assistant/confirmations/{task['confirmation_id']}/confirm",  # noqa: B023
                                         headers=me), deadline)
            elif task["state"] in ("planned", "running"):
                time.sleep(0.2)  # the server works on it (or resumes it after a restart)
            else:
                raise AssertionError(f"flow {index}: task {task_id} ended {task['state']}: {task.get('error')}")
    return tasks


def flows_with_kills(home: Path, flows: int, kills: int, rng: random.Random,
                     window: tuple[float, float] = (0.0, 1.5), timeout: float = 1800) -> dict[str, Any]:
    """Run ``flows`` flows; during ``kills`` of them, chosen at random, the server is SIGKILLed after a random
    delay (``window`` seconds into the flow) and restarted. Tying kills to flows, not to wall time, makes
    every planned kill happen however fast the machine runs the flows."""
    serve = Serve(home)
    serve.start()
    doomed = set(rng.sample(range(flows), min(kills, flows)))
    killed = [0]

    def kill_and_restart() -> None:
        serve.kill()
        killed[0] += 1
        serve.start()

    deadline = time.monotonic() + timeout
    tasks = []
    try:
        local = {"Authorization": f"Bearer {read_local_token(home)}"}  # the user's own client: it may confirm
        with httpx.Client(base_url=serve.url, timeout=60, headers=local) as http:
            for index in range(flows):
                timer = threading.Timer(rng.uniform(*window), kill_and_restart) if index in doomed else None
                if timer:
                    timer.start()
                tasks.append(run_flow(http, index, deadline))
                if timer:
                    timer.join()
    finally:
        serve.stop()
    return {"tasks": tasks, "kills": killed[0]}


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def check_exactly_once(home: Path, flows: int, food: str, cinema: str) -> dict[str, Any]:
    """Every flow has exactly one task, done, with its own order at the partner; no order without a flow.
    Raises AssertionError otherwise."""
    journal = Journal(home / "agent.db")
    try:
        tasks = journal.tasks()
        owners = {c["id"]: c["owner"].removeprefix("client:") for c in journal.conversations()}
    finally:
        journal.close()
    per_flow = Counter(owners[t.conversation_id] for t in tasks)  # each flow is its own client
    _expect(sorted(per_flow) == sorted(f"flow-{i}" for i in range(flows)) and set(per_flow.values()) == {1},
            f"not one task per flow: {per_flow}")
    _expect({t.state for t in tasks} == {TaskState.DONE},
            str([(t.id, t.state, t.error) for t in tasks if t.state != TaskState.DONE]))
    food_orders = {r["id"] for r in partner_rows(home, food, "SELECT id FROM orders")}
    tickets = {r["id"] for r in partner_rows(home, cinema, "SELECT id FROM orders")}
    referenced = Counter(t.result["order_id"] for t in tasks)
    _expect(set(referenced.values()) == {1}, "two flows share an order")
    _expect(set(referenced) == food_orders | tickets,
            "an order without a flow (duplicate) or a flow without one (lost)")
    seats = partner_rows(home, cinema, "SELECT COUNT(*) AS n FROM seats WHERE order_id IS NOT NULL")[0]["n"]
    _expect(seats == 2 * len(tickets), f"{seats} seats sold for {len(tickets)} ticket orders")
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
