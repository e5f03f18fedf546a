"""The assistant on the command line, run as a user runs it (subprocesses, no terminal): ``tandem ask``
never blocks without a TTY, and ``tandem confirm`` in a later process makes the order."""

from __future__ import annotations

import json
from pathlib import Path

from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.test_cli import tandem


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
