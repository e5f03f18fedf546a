"""Two tasks of one request asking about different details are asked one at a time: an answer goes to the question
shown first, so only that one is shown (before, both were: 'where should it go?' and 'what is your home address?', and
the home address given went to the first). In-memory partners; no model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


def _noon() -> dt.datetime:
    """Noon on the day the test runs, never the day collected."""
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


async def test_two_different_questions_are_asked_one_at_a_time(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text('name = "Alex Muster"\nphone = "+49 30 1234567"\npayment_token = "tok_test_4242"'
                                       '\ncity = "Berlin"\n', encoding="utf-8")  # no home address yet
    async with in_memory_partners(home) as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        first = await take_turn(assistant, "Order me a pizza to my home and book two cinema tickets for Dune")
        food, cinema = first.tasks
        assert (food.state, cinema.state) == (TaskState.NEEDS_INFO, TaskState.NEEDS_INFO)
        assert food.question and cinema.question and food.question != cinema.question
        assert food.question in first.text and cinema.question not in first.text
        second = await take_turn(assistant, "Kastanienallee 7, 10435 Berlin", first.conversation_id)
        assert assistant.journal.task(food.id).state == TaskState.AWAITING_CONFIRMATION
        assert assistant.journal.task(cinema.id).state == TaskState.NEEDS_INFO
        assert cinema.question in second.text  # asked now, after the first was answered
        await take_turn(assistant, "8 pm", first.conversation_id)
        assert assistant.journal.task(cinema.id).state == TaskState.AWAITING_CONFIRMATION
