"""Order flows against a real ``tandem serve`` process that gets killed with SIGKILL at random moments
and started again (``test_serve_crash.py``; ``bench/agent.py --crash N`` for the 200-flow run).

The client is an ordinary HTTP client that retries what failed: it sends each request with an
``Idempotency-Key``, confirms what waits for confirmation, and waits while the server resumes the rest.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import free_port

SENTENCES = ("Bestell mir eine Pizza ins Büro", "Buch zwei Kinokarten für Dune heute um 20 Uhr")
ROOT = Path(__file__).resolve().parents[2]


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
        with httpx.Client(base_url=serve.url, timeout=60) as http:
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
