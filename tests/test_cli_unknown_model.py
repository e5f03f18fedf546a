"""``--model`` naming a model the catalog does not hold is said before the command does anything: one line naming the
models there are and what to do, nothing understood, trained or stored under TANDEM_HOME (it trained the judge of a
fresh home first, seconds, and a request the assistant could act on was taken on as if the name were right)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _tandem(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tandem.cli", *args], capture_output=True, text=True, input=stdin,
                          env={**os.environ, "TANDEM_HOME": str(home)}, timeout=120)


def _said_unknown(done: subprocess.CompletedProcess[str], name: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"unknown model {name!r}" in done.stderr, done.stderr
    assert "device:qwen2.5-coder-0.5b" in done.stderr and "tandem models list" in done.stderr, done.stderr


@pytest.mark.parametrize("words", ["book two tickets for Dune tonight", "hello, how are you?",
                                   "Bestell mir eine Pizza ins Büro", "帮我订两张今晚沙丘的电影票"])
def test_ask_with_an_unknown_model_does_nothing_but_say_so(home: Path, words: str) -> None:
    done = _tandem("ask", "--model", "device:nope", "--json", words, home=home)
    assert not home.exists() or not any(home.rglob("*")), sorted(home.rglob("*"))  # nothing trained or stored
    assert done.stdout == ""  # no task taken on, no answer
    _said_unknown(done, "device:nope")


def test_chat_with_an_unknown_model_says_so_before_the_first_line(home: Path) -> None:
    done = _tandem("chat", "--model", "qwen-9000", home=home, stdin="book two tickets for Dune tonight\n")
    _said_unknown(done, "qwen-9000")
    assert "you>" not in done.stdout


@pytest.mark.usefixtures("judged_home")
def test_a_known_model_under_its_old_name_is_no_error(home: Path) -> None:
    """The check resolves the aliases an earlier release wrote (``device:qwen2.5-0.5b``), as the registry does."""
    done = _tandem("ask", "--model", "device:qwen2.5-0.5b", "--json", "book two tickets for Dune tonight", home=home)
    assert done.returncode == 0, done.stderr
    assert '"intent": "buy_movie_tickets"' in done.stdout
