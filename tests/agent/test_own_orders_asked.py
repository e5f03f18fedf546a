"""A reorder said while a question waits ("das Gleiche nochmal", "same as last time", "和上次一样" to "Where should it
go?"). Before, the words became the question's value (a delivery place 'das Gleiche nochmal' sent to the partner). What
users mean: of an order of the asking kind, the value that order had ("the same as last time": its place); a reorder
of another kind of order is a request of its own, made beside the question, which stays open; with no earlier order
the reply says so and asks again. Nothing is bought without a yes. The phrasings are my own (dialog18), none from a
bench set."""

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
from tests.agent.toolsets import InMemoryPartners, in_memory_partners

pytestmark = pytest.mark.anyio

# region -> food partner, an order to the office, its yes, an order with no place, a reorder phrase, a cinema request
# that asks for a time
_CASES = {
    "DE": ("gabelpost.food", "Bestell mir zwei Pizza Margherita ins Büro", "ja", "Bestell mir eine Lasagne",
           "das Gleiche nochmal", "Buch zwei Kinokarten für Dune"),
    "EN": ("gabelpost.food", "Order me two pizza margherita to the office", "yes", "order me a lasagne",
           "same as last time", "book two cinema tickets for Dune"),
    "CN": ("kuaisong.food", "帮我点两份披萨送到办公室", "好的", "帮我点一份饺子", "和上次一样",
           "帮我买两张沙丘的电影票"),
}


def _assistant(partners: InMemoryPartners, home: Path) -> Assistant:
    return Assistant(partners, Journal(home / "agent.db"),
                     profile=load_profile(home), clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(12, 0)))


def _region(case: str) -> str:
    return "CN" if case == "CN" else "EU"


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_said_to_the_question_of_an_order_of_its_kind_answers_with_that_orders_value(
        home: Path, case: str) -> None:
    food, first, yes, placeless, again, _ = _CASES[case]
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, _region(case)) as partners:
        assistant = _assistant(partners, home)
        done = await take_turn(assistant, yes, (await take_turn(assistant, first)).conversation_id)
        asked = await take_turn(assistant, placeless, done.conversation_id)
        answered = await take_turn(assistant, again, asked.conversation_id)
        unbought = partner_rows(home, food, "SELECT * FROM orders")
        bought = await take_turn(assistant, yes, asked.conversation_id)
        placed = partner_rows(home, food, "SELECT * FROM orders")
    assert [t.state for t in asked.tasks] == [TaskState.NEEDS_INFO] and asked.tasks[0].missing == "place"
    assert [(t.id, t.state) for t in answered.tasks] == [(asked.tasks[0].id, TaskState.AWAITING_CONFIRMATION)]
    task = answered.tasks[0]
    assert task.slots["place"] == done.tasks[0].slots["place"] == "office"  # the earlier order's place, not the words
    assert task.slots["dish"] == asked.tasks[0].slots["dish"]  # what is asked for now, not the earlier dish
    assert len(unbought) == 1 and len(placed) == 2  # bought on the yes only
    assert [t.state for t in bought.tasks] == [TaskState.DONE]


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_of_another_kind_is_made_beside_the_question_which_stays_open(home: Path, case: str) -> None:
    food, first, yes, _, again, cinema = _CASES[case]
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, _region(case)) as partners:
        assistant = _assistant(partners, home)
        done = await take_turn(assistant, yes, (await take_turn(assistant, first)).conversation_id)
        asked = await take_turn(assistant, cinema, done.conversation_id)
        beside = await take_turn(assistant, again, asked.conversation_id)
        unbought = partner_rows(home, food, "SELECT * FROM orders")
        bought = await take_turn(assistant, yes, asked.conversation_id)
        placed = partner_rows(home, food, "SELECT * FROM orders")
        still = assistant.journal.task(asked.tasks[0].id)
    assert [(t.intent, t.state) for t in asked.tasks] == [("buy_movie_tickets", TaskState.NEEDS_INFO)]
    assert [(t.intent, t.state) for t in beside.tasks] == [("order_food", TaskState.AWAITING_CONFIRMATION)]
    assert f"[{asked.tasks[0].id}]" in beside.text  # the question asked again, still open
    assert still.state == TaskState.NEEDS_INFO and still.slots == asked.tasks[0].slots  # the words are no answer
    assert len(unbought) == 1 and len(placed) == 2
    assert [t.state for t in bought.tasks] == [TaskState.DONE]


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_with_no_earlier_order_leaves_the_question_open_and_sends_nothing(home: Path,
                                                                                       case: str) -> None:
    food, _, _, placeless, again, _ = _CASES[case]
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, _region(case)) as partners:
        assistant = _assistant(partners, home)
        asked = await take_turn(assistant, placeless)
        told = await take_turn(assistant, again, asked.conversation_id)
        calls = list(partners.calls)
    assert [t.state for t in asked.tasks] == [TaskState.NEEDS_INFO]
    assert [(t.id, t.state, t.slots) for t in told.tasks] == [(asked.tasks[0].id, TaskState.NEEDS_INFO,
                                                               asked.tasks[0].slots)]
    assert told.text.splitlines()[-1] == asked.text  # said why, then the same question
    assert not any(again in str(arguments) for _, arguments in calls)  # the words never went to the partner
    assert partner_rows(home, food, "SELECT * FROM orders") == []
