"""The line settings (max_running, max_waiting, line_bytes) below their least are refused with one line saying what to
set, from config.toml, the environment or the command line; the least values themselves serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.errors import ConfigError
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer
from tests.api.held import ASK, Held

_BAD = [("max_running", 0), ("max_running", -3), ("max_waiting", -1), ("line_bytes", 0), ("line_bytes", -1024)]


@pytest.mark.parametrize(("name", "value"), _BAD)
def test_a_bad_line_setting_says_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                            value: int) -> None:
    least = "1" if name != "max_waiting" else "0"
    with pytest.raises(ConfigError, match=f"'{name}' is {value}: set it to {least} or more"):
        load_settings(home=tmp_path, **{name: value})
    (tmp_path / "config.toml").write_text(f"{name} = {value}\n")
    with pytest.raises(ConfigError, match=f"TANDEM_{name.upper()}"):
        load_settings(home=tmp_path)
    (tmp_path / "config.toml").unlink()
    monkeypatch.setenv(f"TANDEM_{name.upper()}", str(value))
    with pytest.raises(ConfigError, match=name):
        load_settings(home=tmp_path)


def test_the_server_command_says_it_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TANDEM_HOME": str(tmp_path), "TANDEM_MAX_RUNNING": "0"}
    run = subprocess.run([sys.executable, "-m", "tandem.cli", "serve"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr
    assert [line for line in run.stderr.splitlines() if line.strip()] == [
        f"error: setting 'max_running' is 0: set it to 1 or more (heavy requests of one kind served at once) "
        f"(in {tmp_path / 'config.toml'} or TANDEM_MAX_RUNNING)"]


def test_the_least_settings_serve(tmp_path: Path) -> None:
    """One at a time, none waiting, a line of one byte: the request finding the gate free is answered."""
    registry = ModelRegistry(load_settings(home=tmp_path, max_running=1, max_waiting=0, line_bytes=1))
    device = Held()
    device.release.set()
    registry.register(device)
    with LiveServer(create_app(registry)) as server:
        answer = httpx.post(server.url + "/v1/chat/completions", json=ASK, timeout=30)
    assert answer.status_code == 200, answer.text
