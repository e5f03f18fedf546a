"""A "yes" after a question in between (walk3's R21 proposal): the confirmation was shown two turns ago, then the user
asked something the assistant answered without a task; a bare yes now answers nothing the last turn asked, so it buys
nothing and is not chatted about ("Great, your order is placed!" from a small model): the waiting confirmation is
shown again, and only the next yes buys it."""

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

pytestmark = pytest.mark.anyio


def _noon() -> dt.datetime:
    """Noon on the day the test runs (the partners' schedules start on the day they run), never the day collected."""
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


@pytest.mark.parametrize(("order", "between", "yes", "again"), [
    ("Order me a pizza to the office", "thanks", "yes", "Nothing is bought yet"),
    ("Bestell mir eine Pizza ins Büro", "danke", "ja", "Noch ist nichts gekauft"),
])
async def test_a_yes_after_another_turn_shows_the_confirmation_again(home: Path, order: str, between: str, yes: str,
                                                                    again: str) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        shown = await take_turn(assistant, order)
        (task,) = shown.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION
        chat = await take_turn(assistant, between, shown.conversation_id)  # no task: nothing is asked to confirm
        assert not chat.tasks and assistant.journal.shown(shown.conversation_id) == []
        reshown = await take_turn(assistant, yes, shown.conversation_id)
        assert reshown.text.startswith(again) and [t.id for t in reshown.tasks] == [task.id]
        assert assistant.journal.task(task.id).state == TaskState.AWAITING_CONFIRMATION
        assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []  # nothing bought on that yes
        done = await take_turn(assistant, yes, shown.conversation_id)
        assert [t.state for t in done.tasks] == [TaskState.DONE]
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
