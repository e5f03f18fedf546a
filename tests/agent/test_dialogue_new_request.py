"""A new request said while a question for a name waits is a new request, not the name (review29 R29-9): to "I found no
“Coldplay”. Which event?", "refund the tickets, I can't go" became the event looked up ("I found no “refund the tickets,
I can't go”"). The question for a name a partner looks up takes a sentence that says another capability's verb as that
request; the waiting question stays open and is asked again. To a question for free words (a reminder's to-do) any
words stay the answer ("order a pizza" is what to be reminded of). My own phrasings (dialog21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("case", "first", "instead", "wanted"), [
    ("EN", "two tickets for the Coldplay concert on Saturday at 8 pm", "refund the tickets, I can't go",
     "refund_tickets"),
    ("EN", "two tickets for the Coldplay concert on Saturday at 8 pm", "remind me tomorrow at 9 to call mom",
     "set_reminder"),
    ("DE", "zwei Karten für das Coldplay Konzert am Samstag um 20 Uhr", "erinnere mich morgen um 9 an den Arzt",
     "set_reminder"),
    ("CN", "买两张周六晚上八点酷玩乐队演唱会的票", "提醒我明天早上九点给妈妈打电话", "set_reminder"),
])
async def test_a_new_request_to_a_question_for_a_name_is_that_request(
        home: Path, understander: Understander, case: str, first: str, instead: str, wanted: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        asked = await take_turn(assistant, first)
        (waiting,) = asked.tasks
        assert (waiting.intent, waiting.state) == ("buy_event_tickets", TaskState.NEEDS_INFO), asked.text
        said = await take_turn(assistant, instead, asked.conversation_id)
        assert [t.intent for t in said.tasks if t.id != waiting.id] == [wanted], said.text
        still = assistant.journal.task(waiting.id)
        assert still.state == TaskState.NEEDS_INFO and still.slots.get("event") == waiting.slots.get("event")
        assert f"[{waiting.id}]" in said.text  # asked again after the new request's line


async def test_a_name_answering_a_question_for_a_name_stays_the_answer(home: Path, understander: Understander) -> None:
    async with talking(home, "EN", understander) as (assistant, _):
        asked = await take_turn(assistant, "book two tickets for Nordlicht at 8 tonight")
        (waiting,) = asked.tasks
        said = await take_turn(assistant, "The Notebook", asked.conversation_id)
        assert [t.id for t in said.tasks] == [waiting.id] and "The Notebook" in said.text, said.text


async def test_a_request_to_a_question_for_free_words_stays_the_answer(home: Path, understander: Understander) -> None:
    async with talking(home, "EN", understander) as (assistant, _):
        asked = await take_turn(assistant, "remind me tomorrow at 8")
        said = await take_turn(assistant, "order a pizza", asked.conversation_id)
        assert [(t.intent, t.state, t.slots.get("todo")) for t in said.tasks] == [
            ("set_reminder", TaskState.DONE, "order a pizza")], said.text


@pytest.mark.parametrize(("first", "title"), [
    ("book two tickets for Coldplay", "Book of Mormon"),
    ("book two tickets for Coldplay", "Order of the Phoenix"),
    ("book two tickets for Coldplay", "order of the phoenix"),
    ("book two tickets for Nordlicht at 8 tonight", "Order of the Phoenix"),
    ("book two tickets for Nordlicht at 8 tonight", "Book of Mormon"),
    ("book two tickets for Nordlicht at 8 tonight", "Find Me"),
])
async def test_a_title_opening_with_a_verb_answers_a_question_for_a_name(
        home: Path, understander: Understander, first: str, title: str) -> None:
    """reread30 M-2: a title whose first word is a request's verb, a word that joins a title after it ("Book *of*
    Mormon"), is the name asked for: looked up (and not found here), no new request, the question asked again."""
    async with talking(home, "EN", understander) as (assistant, _):
        asked = await take_turn(assistant, first)
        (waiting,) = asked.tasks
        assert waiting.state == TaskState.NEEDS_INFO and waiting.missing in ("event", "film"), asked.text
        said = await take_turn(assistant, title, asked.conversation_id)
        assert [t.id for t in said.tasks] == [waiting.id], said.text
        assert title in said.text and assistant.journal.task(waiting.id).state == TaskState.NEEDS_INFO, said.text
