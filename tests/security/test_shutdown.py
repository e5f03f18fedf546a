"""``tandem serve`` stops within its grace period when told to (SIGTERM), even with a long request in
flight: the first recommendations request embeds the partners' whole catalog (tens of seconds); it is cut
after ``shutdown_timeout_s`` instead of holding the process until it is done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tandem.keys import read_local_token
from tandem.memory.store import memory_dir
from tandem.testing import free_port, wait_until
from tests.conftest import TINY, register_tiny


def test_sigterm_cuts_a_long_request_and_exits(home: Path, tiny_gguf: Path) -> None:
    register_tiny(home, tiny_gguf)
    port = free_port()
    env = {**os.environ, "TANDEM_HOME": str(home), "TANDEM_PORT": str(port), "TANDEM_SHUTDOWN_TIMEOUT_S": "1"}
    server = subprocess.Popen([sys.executable, "-m", "tandem.cli", "serve", "--model", TINY], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _up(url), timeout=120)
        answers: list[object] = []
        local = {"Authorization": f"Bearer {read_local_token(home)}"}  # recommendations read memory: privacy

        def long_request() -> None:
            try:
                answers.append(httpx.post(f"{url}/v1/recommendations", json={"text": "film"}, headers=local,
                                          timeout=600).status_code)
            except httpx.HTTPError as exc:
                answers.append(type(exc).__name__)

        worker = threading.Thread(target=long_request)
        worker.start()
        assert wait_until(lambda: (memory_dir(home) / "memory.db").exists(), timeout=120)  # the route runs
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
        worker.join(timeout=60)
        assert answers and answers[0] != 200  # cut, not drained
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
