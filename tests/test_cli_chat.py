"""``tandem chat`` takes a turn as the web app and the API do: a yes, a no or a confirmation's id answers the
confirmations it showed last (walk4 W4-4: piped, "ja" after an order was "Sorry, I did not get that.", and so was
the id the task line itself offers, "bestätigen: c-…"; nothing could be confirmed from the chat)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.agent.conftest import partner_rows, write_profile


def _chat(home: Path, *lines: str) -> str:
    done = subprocess.run([sys.executable, "-m", "tandem.cli", "chat", "--model", "device:qwen2.5-coder-0.5b"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TANDEM_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_yes_in_the_chat_confirms_what_it_showed_last(home: Path) -> None:
    write_profile(home, "DE")
    said = _chat(home, "Bestell mir eine Pizza ins Büro", "ja")
    assert "bestätigen: c-" in said and "order_food: done (FD-" in said, said
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_a_no_declines_and_nothing_is_ordered(home: Path) -> None:
    write_profile(home, "DE")
    said = _chat(home, "Bestell mir eine Pizza ins Büro", "nein")
    assert "order_food: cancelled" in said, said
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
