"""The ``tandem`` command, run as a user runs it (a subprocess) where output and exit codes matter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY, register_tiny


def tandem(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANDEM_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tandem.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL)


def test_models_list_json(home: Path) -> None:
    out = tandem("models", "list", "--json", home=home)
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows["device:qwen2.5-coder-1.5b"]["default"] is True  # the default names it by its old alias
    assert rows["device:qwen2.5-coder-0.5b"]["weights"] in ("installed", "verified")


@pytest.mark.usefixtures("judged_home")
def test_ask_streams_an_answer_from_the_tiny_model(home: Path, tiny_gguf: Path) -> None:
    register_tiny(home, tiny_gguf)
    out = tandem("ask", "hello", "--model", TINY, "--max-tokens", "5", "--json", home=home)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["model"] == TINY and answer["usage"]["completion_tokens"] > 0
    assert "verifying sha256" in out.stderr, "first load shows progress"


@pytest.mark.usefixtures("judged_home")
def test_ask_to_hear_something_again_is_answered_by_the_model(home: Path, tiny_gguf: Path) -> None:
    """"explain that again" names no earlier order: the model answers it, not the assistant's "sorry" (reread24 M1;
    "same again", which names nothing, goes to the assistant: tests/agent/test_cli.py)."""
    register_tiny(home, tiny_gguf)
    out = tandem("ask", "explain that again", "--model", TINY, "--max-tokens", "3", "--json", home=home)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["model"] == TINY


@pytest.mark.usefixtures("judged_home")
@pytest.mark.parametrize(("args", "needle"), [
    (("ask", "hi", "--model", "device:nope"), "unknown model 'device:nope'"),
    (("ask", "   "), "PROMPT is empty"),
    (("ask", "hi", "--max-tokens", "-3"), "max-tokens"),
    (("models", "frobnicate"), "No such command"),
])
def test_errors_are_one_line_without_traceback(home: Path, args: tuple[str, ...], needle: str) -> None:
    out = tandem(*args, home=home)
    assert out.returncode != 0
    assert needle in out.stderr and "Traceback" not in out.stderr


def test_bad_config_is_a_one_line_error(home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("region = 'Germany'\n")
    out = tandem("models", "list", home=home)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "ISO country code" in out.stderr




def test_setting_an_empty_value_says_it_cleared_the_field(home: Path) -> None:
    """`tandem profile set places.x ""` printed "places.x set" and stored nothing (walk4)."""
    assert tandem("profile", "set", "places.gym", "Hauptstraße 1", home=home).stdout.strip() == "places.gym set"
    said = tandem("profile", "set", "places.gym", "", home=home)
    assert said.returncode == 0 and said.stdout.strip() == "places.gym cleared", said
    assert "gym" not in tandem("profile", "show", home=home).stdout


@pytest.mark.usefixtures("judged_home")
def test_ask_tells_the_chat_model_it_cannot_act(home: Path, tiny_gguf: Path) -> None:
    # what the assistant made no task of goes to the chat model, which cannot act: it is told so first
    # (spoken.chat_guard; dialog6's request after walk4 W4-12's invented refund). Every word is a token at least.
    from tandem.agent.spoken import chat_guard

    register_tiny(home, tiny_gguf)
    out = tandem("ask", "hello", "--model", TINY, "--max-tokens", "2", "--json", home=home)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["usage"]["prompt_tokens"] > len(chat_guard("en").split())


@pytest.mark.parametrize("region", ["XX", "UK", "EU"])
def test_a_region_no_country_has_is_refused(home: Path, region: str) -> None:
    # walk6's new-user walk: "--region XX" listed no services and exited 0, as if no partner served a real country
    out = tandem("services", "list", "--region", region, home=home)
    assert out.returncode == 1 and "is not an ISO country code" in out.stderr and "e.g. DE" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr


@pytest.mark.usefixtures("judged_home")
@pytest.mark.parametrize(("region", "day"), [("US", "05-06"), ("DE", "06-05")])
def test_a_date_in_digits_is_read_in_the_users_region(home: Path, monkeypatch: pytest.MonkeyPatch, region: str,
                                                      day: str) -> None:
    # slots8's request: the understanding in `tandem ask` and the assistant gets the configured region, so "05/06" is
    # May 6 in the US and 5 June in Germany (before, both read it one way)
    monkeypatch.setenv("TANDEM_REGION", region)
    out = tandem("ask", "--json", "--model", "device:qwen2.5-0.5b", "Remind me to call mom on 05/06 at 9 am", home=home)
    assert out.returncode == 0, out.stderr
    [task] = json.loads(out.stdout)["tasks"]
    assert task["slots"]["when"][5:] == f"{day}T09:00", task
