"""``tandem chat`` takes a turn as the web app and the API do: a yes, a no or a confirmation's id answers the
confirmations it showed last (walk4 W4-4: piped, "ja" after an order was "Sorry, I did not get that.", and so was
the id the task line itself offers, "bestätigen: c-…"; nothing could be confirmed from the chat)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.agent.journal import Journal
from tests.agent.conftest import partner_rows, write_profile
from tests.test_cli import tandem

pytestmark = pytest.mark.usefixtures("judged_home")  # these test later turns, not a home's first training


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


def test_a_question_of_tandem_ask_can_be_answered_from_a_later_command(home: Path) -> None:
    """Without a terminal `tandem ask` prints a task's question and ends; it says how to answer it, with the
    conversation's id, printed nowhere else without --json (walk4 W4-8), and that answer and a yes then order."""
    write_profile(home, "DE")
    profile = home / "profile.toml"
    profile.write_text("\n".join(line for line in profile.read_text().splitlines() if not line.startswith("name")))
    asked = tandem("ask", "--model", "device:qwen2.5-coder-0.5b", "Bestell mir eine Pizza ins Büro", home=home)
    assert asked.returncode == 0 and "Namen" in asked.stdout, asked
    [hint] = [line for line in asked.stderr.splitlines() if line.startswith("answer with: ")]
    conversation = hint.split("--conversation ")[1].split()[0]
    named = tandem("ask", "--conversation", conversation, "Jonas Weber", home=home)
    assert "bestätigen: c-" in named.stdout and f"--conversation {conversation} yes" in named.stderr, named
    done = tandem("ask", "--conversation", conversation, "ja", home=home)
    assert "order_food: done (FD-" in done.stdout, done
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_the_yes_tandem_ask_hints_at_confirms_what_it_showed(home: Path) -> None:
    """Without a terminal `tandem ask` prints the confirmation and "confirm with: tandem ask --conversation C yes"; that
    yes confirms it. Before, the one-shot turn did not record what it showed, so the hinted yes only showed the order
    again ("Nothing is bought yet. Do you confirm this?") and a second yes was needed (walk7)."""
    write_profile(home, "DE")
    asked = tandem("ask", "--model", "device:qwen2.5-coder-0.5b", "Bestell mir eine Pizza ins Büro", home=home)
    assert asked.returncode == 0 and "bestätigen: c-" in asked.stdout, asked
    [hint] = [line for line in asked.stderr.splitlines() if line.startswith("confirm with: ")]
    conversation = hint.split("--conversation ")[1].split()[0]
    done = tandem("ask", "--conversation", conversation, "ja", home=home)
    assert "order_food: done (FD-" in done.stdout, done
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_small_talk_in_a_conversation_is_answered_as_chat(home: Path) -> None:
    """`tandem ask --conversation C` with small talk and no question waiting is answered by the chat model (told it
    cannot act), as the one-shot `tandem ask` and the API answer it; before, it said "Sorry, I did not get that."
    (session 16's dialog7 note). No task comes of it."""
    write_profile(home, "DE")
    asked = tandem("ask", "--json", "--model", "device:qwen2.5-coder-0.5b", "Bestell mir eine Pizza ins Büro",
                   home=home)
    conversation = json.loads(asked.stdout)["conversation_id"]
    said = tandem("ask", "--model", "device:qwen2.5-coder-0.5b", "--conversation", conversation,
                  "Hi, how are you today?", home=home, timeout=300)
    assert said.returncode == 0 and said.stdout.strip(), said
    assert "Sorry, I did not get that." not in said.stdout, said.stdout
    journal = Journal(home / "agent.db")  # the history (export, the API's turns) keeps what the user was told
    try:
        answer = [t["text"] for t in journal.turns(conversation) if t["role"] == "assistant"][-1]
    finally:
        journal.close()
    assert answer and answer in said.stdout, (answer, said.stdout)
    tasks = json.loads(tandem("tasks", "list", "--all", "--json", home=home).stdout)
    assert [t["intent"] for t in tasks] == ["order_food"], tasks
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
