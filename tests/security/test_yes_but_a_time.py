""""Yes, but at 5 pm" to a purchase on another day changes the time and keeps the day: a time said alone
is read against the clock (the next 5 pm is today), but the user means the day they were shown. Nothing is
bought without a fresh yes (tests/security/test_yes_but_changes.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners
from tests.security.test_yes_but_changes import LATER, NOON, TOMORROW, WEEKDAY


@pytest.mark.anyio
@pytest.mark.parametrize(("but", "day"), [("Yes, but at 5 pm.", LATER), ("Yes, but tomorrow at 5 pm.", TOMORROW)])
async def test_a_new_time_alone_keeps_the_day_shown(home: Path, but: str, day: dt.date) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=lambda: NOON)
        asked = await take_turn(assistant, f"book two tickets for Dune on {WEEKDAY['en']} at 8 pm", None)
        (task,) = asked.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION
        assert str(task.slots["when"]).startswith(LATER.isoformat())
        hedged = await take_turn(assistant, but, asked.conversation_id)
        (again,) = hedged.tasks
        assert again.confirmation_id != task.confirmation_id
        assert again.slots["when"] == f"{day.isoformat()}T17:00", again.slots
        assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
        assistant.journal.close()
