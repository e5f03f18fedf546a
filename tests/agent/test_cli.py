"""The assistant on the command line, run as a user runs it (subprocesses, no terminal): ``tandem ask``
never blocks without a TTY, and ``tandem confirm`` in a later process makes the order."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.test_cli import tandem

pytestmark = pytest.mark.usefixtures("judged_home")  # these test later turns, not a home's first training


def test_ask_without_a_terminal_lists_tasks_then_confirm_orders(home: Path) -> None:
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    out = tandem("ask", "--json", "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr",
                 home=home)
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert reply["understanding"]["tier"] == "fast"
    food, movie = reply["tasks"]
    assert food["state"] == movie["state"] == "awaiting-confirmation"
    assert movie["summary"]["tickets"] == 2 and food["summary"]["address"] == "Friedrichstraße 100"
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []

    listed = json.loads(tandem("tasks", "list", "--json", home=home).stdout)
    assert [t["confirmation_id"] for t in listed] == [food["confirmation_id"], movie["confirmation_id"]]

    done = tandem("confirm", food["confirmation_id"], "--json", home=home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "done"
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1

    cancelled = tandem("tasks", "cancel", movie["id"], home=home)
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout
    assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
    unknown = tandem("tasks", "cancel", "t-nothere", home=home)
    assert unknown.returncode == 1 and "no task 't-nothere'" in unknown.stderr and "Traceback" not in unknown.stderr


def _read_until(fd: int, needle: bytes, timeout: float = 180) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def test_ask_on_a_terminal_asks_and_confirms_in_place(home: Path) -> None:
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "tandem.cli", "ask", "book two tickets for Dune tonight"],
                               stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True,
                               env={**os.environ, "TANDEM_HOME": str(home)})
    os.close(terminal)
    try:
        assert b"Showings of Dune: 20:00" in _read_until(controller, b"Showings of Dune")
        os.write(controller, b"at 8 pm\n")
        assert b"tickets: 2" in _read_until(controller, b"[y/N]:")
        os.write(controller, b"y\n")
        assert b"done (CIN-" in _read_until(controller, b"done (")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        os.close(controller)
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1


def test_ask_same_again_prepares_the_last_order_anew_for_a_yes(home: Path) -> None:
    """A one-shot ``tandem ask`` of a reorder reaches the assistant though no capability reads it: with no order
    yet it says so (no chat, nothing bought); after a confirmed order it shows that order again for a new yes."""
    write_profile(home, "DE")
    none_yet = tandem("ask", "--json", "das Gleiche nochmal", home=home)
    assert none_yet.returncode == 0, none_yet.stderr
    reply = json.loads(none_yet.stdout)
    assert reply["tasks"] == [] and reply["text"], reply

    first = json.loads(tandem("ask", "--json", "Bestell mir eine Pizza Margherita ins Büro", home=home).stdout)
    (food,) = first["tasks"]
    assert tandem("confirm", food["confirmation_id"], home=home).returncode == 0
    again = tandem("ask", "--json", "das Gleiche nochmal", home=home)
    assert again.returncode == 0, again.stderr
    (repeat,) = json.loads(again.stdout)["tasks"]
    assert repeat["state"] == "awaiting-confirmation" and repeat["summary"] == food["summary"]
    assert repeat["confirmation_id"] != food["confirmation_id"]
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
