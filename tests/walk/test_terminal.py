"""On a terminal, ``tandem ask`` asks for a purchase in the request's language and takes the answer in the user's
words (walkthrough: a German order was asked with "Confirm? [y/N]" under a list of raw keys, and "nein" was
refused as invalid input)."""

from __future__ import annotations

import os
import pty
import re
import select
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli import tandem

pytestmark = pytest.mark.usefixtures("judged_home")  # these test later turns, not a home's first training


def _on_terminal(home: Path, args: list[str], answers: list[str], timeout: float = 240,
                 prompt: bytes = b"[y/N]: ") -> str:
    """Run ``tandem`` on a pseudo-terminal; each time it waits at a prompt (by default a confirmation's, a line
    ending in "[y/N]: "), type the next answer. The whole screen is returned."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI as the user starts it
        os.environ["TANDEM_HOME"] = str(home)
        os.execv(sys.executable, [sys.executable, "-m", "tandem.cli", *args])
    screen, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                if answers and screen.endswith(prompt):
                    os.write(fd, answers.pop(0).encode() + b"\n")
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child ended
                break
            if not chunk:
                break
            screen += chunk
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return screen.decode("utf-8", "replace")


def test_a_purchase_is_asked_in_the_users_language_and_answered_in_their_words(home: Path) -> None:
    for key, value in (("name", "Jonas Weber"), ("phone", "+49 176 55582231"), ("city", "Berlin"),
                       ("places.office", "Friedrichstraße 88")):
        assert tandem("profile", "set", key, value, home=home).returncode == 0
    screen = _on_terminal(home, ["ask", "--model", "device:qwen2.5-coder-0.5b", "Bestell mir eine Pizza ins Büro"],
                          ["vielleicht", "nein"])
    assert "bestellen? [y/N]:" in screen, screen
    assert "Confirm?" not in screen and "invalid input" not in screen, screen
    assert screen.count("bestellen? [y/N]:") == 2, "a reply that is no answer is asked again"
    assert "order_food: cancelled" in screen, screen


def test_a_detail_two_tasks_need_is_asked_once(home: Path) -> None:
    """The flagship sentence without a name in the profile: both tasks wait for it; the answer to the first moves the
    second too, which then shows its confirmation (before, the terminal asked the name a second time: it showed the
    question the second task had when the turn began)."""
    for key, value in (("phone", "+49 176 55582231"), ("city", "Berlin"), ("places.office", "Friedrichstraße 88")):
        assert tandem("profile", "set", key, value, home=home).returncode == 0
    flagship = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"
    screen = _on_terminal(home, ["ask", "--model", "device:qwen2.5-coder-0.5b", flagship],
                          ["Jonas Weber", "nein", "nein"], prompt=b": ")
    assert screen.count("Auf welchen Namen") == 1, screen
    assert "order_food: cancelled" in screen and "buy_movie_tickets: cancelled" in screen, screen
    # the name answered once is on the tickets' confirmation, its field named in the user's language
    assert re.search(r"buy_movie_tickets: [^\n]*Auf den Namen: Jonas Weber", screen), screen
