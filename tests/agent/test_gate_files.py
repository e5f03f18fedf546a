"""Data at rest (issue 13): every file a full assistant flow creates under TANDEM_HOME is the user's alone
(0600, directories 0700), however loose the umask the process started with; the journal keeps no payment
token in clear."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.agent.journal import Journal
from tests.agent.conftest import partner_rows
from tests.agent.test_gate_conversations import served

TOKEN = "tok_test_4242"  # write_profile's payment token


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """Start like a shell with the usual umask 022 (files 0644)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _everything(home: Path) -> dict[Path, int]:
    return {p: stat.S_IMODE(p.stat().st_mode) for p in home.rglob("*")}


@pytest.mark.usefixtures("loose_umask")
def test_a_full_flow_leaves_only_private_files(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "profile.toml").touch()  # made by the user (``write_profile`` fills it in), not by Tandem
    given = set(_everything(home))
    with served(home) as http:
        reply = http.post("/v1/assistant/conversations",
                          json={"text": "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute "
                                        "um 20 Uhr"}).json()
        for task in reply["tasks"]:
            done = http.post(f"/v1/assistant/confirmations/{task['confirmation_id']}/confirm").json()
            assert done["state"] == "done", done
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
    made = {p: mode for p, mode in _everything(home).items() if p not in given}
    assert {home / "agent.db", home / "services.db", home / "keys", home / "partners" / "gabelpost.food.db",
            home / "logs"} <= set(made)
    loose = {str(p.relative_to(home)): oct(mode) for p, mode in made.items()
             if mode != (0o700 if p.is_dir() else 0o600)}
    assert loose == {}


def test_the_journal_keeps_no_payment_token_in_clear(home: Path) -> None:
    with served(home) as http:
        task = http.post("/v1/assistant/conversations", json={"text": "Bestell mir eine Pizza ins Büro"}).json()
        task = http.post(f"/v1/assistant/confirmations/{task['tasks'][0]['confirmation_id']}/confirm").json()
        assert task["state"] == "done"
    raw = b"".join(p.read_bytes() for p in home.glob("agent.db*"))
    assert TOKEN.encode() not in raw
    journal = Journal(home / "agent.db")  # still there for the call, opened with the journal's key
    steps = journal.steps(task["id"])
    assert steps[-1]["arguments"]["payment_token"] == TOKEN
    assert journal.task(task["id"]).call.arguments["payment_token"] == TOKEN  # type: ignore[union-attr]
    journal.close()
