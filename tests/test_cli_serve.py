"""`tandem serve` on a port it cannot have (walk2 W2-15): it says so at once and exits 1, before it loads a model,
prints an address or makes a login link; a port out of range is a usage error. Before, a busy port printed "serving
on …" and a fresh login link (valid for whatever server holds the home) and then uvicorn's bind error; `--port
99999` was an OverflowError traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tandem.testing import free_port, wait_until
from tests.test_cli import tandem


def test_a_busy_port_is_said_before_anything_is_announced(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = tandem("serve", "--port", str(port), "--no-preload", home=home)
    assert busy.returncode == 1, busy.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in busy.stderr and "another server runs there" in busy.stderr
    assert "serving on" not in busy.stderr and "#login=" not in busy.stderr + busy.stdout


def test_a_port_out_of_range_is_a_usage_error(home: Path) -> None:
    wrong = tandem("serve", "--port", "99999", "--no-preload", home=home)
    assert wrong.returncode == 2 and "not a TCP port" in wrong.stderr and "Traceback" not in wrong.stderr, wrong.stderr


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:  # a container with IPv6 off
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_the_socket_bound_early_is_the_one_served_also_on_ipv6(home: Path) -> None:
    port = free_port()
    env = {**os.environ, "TANDEM_HOME": str(home)}
    server = subprocess.Popen([sys.executable, "-m", "tandem.cli", "serve", "--host", "::1", "--port", str(port),
                               "--no-preload"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: _health(f"http://[::1]:{port}"), timeout=120)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert f"serving on http://[::1]:{port}/v1" in stderr


def _health(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
