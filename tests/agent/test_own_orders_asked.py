"""A reorder said while a question waits ("das Gleiche nochmal", "same as last time", "和上次一样" to "Where should it
go?"). Before, the words became the question's value (a delivery place 'das Gleiche nochmal' sent to the partner). What
users mean: of an order of the asking kind, the value that order had ("the same as last time": its place); a reorder
of another kind of order is a request of its own, made beside the question, which stays open; with no earlier order
the reply says so and asks again. Nothing is bought without a yes. The phrasings are my own (dialog18), none from a
bench set."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.reply import Reply
from tandem.agent.tasks import Task, TaskState
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


@dataclasses.dataclass
class _Talk:
    """A conversation: an order and its yes (``done``), a request that asks a question (``asked``), the reorder phrase
    (``again``), the food partner's orders then, the yes after it (``bought``), its orders then, and the asking task
    as it is at the end."""

    done: Reply
    asked: Reply
    again: Reply
    unbought: list[dict[str, Any]]
    bought: Reply
    placed: list[dict[str, Any]]
    still: Task


async def _talk(home: Path, case: str, request: str) -> _Talk:
    food, first, yes, _, again, _ = _CASES[case]
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, _region(case)) as partners:
        assistant = _assistant(partners, home)
        done = await take_turn(assistant, yes, (await take_turn(assistant, first)).conversation_id)
        asked = await take_turn(assistant, request, done.conversation_id)
        said = await take_turn(assistant, again, asked.conversation_id)
        unbought = partner_rows(home, food, "SELECT * FROM orders")
        bought = await take_turn(assistant, yes, asked.conversation_id)
        return _Talk(done, asked, said, unbought, bought, partner_rows(home, food, "SELECT * FROM orders"),
                     assistant.journal.task(asked.tasks[0].id))


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_said_to_the_question_of_an_order_of_its_kind_answers_with_that_orders_value(
        home: Path, case: str) -> None:
    talk = await _talk(home, case, _CASES[case][3])
    asked = talk.asked.tasks[0]
    assert [t.state for t in talk.asked.tasks] == [TaskState.NEEDS_INFO] and asked.missing == "place"
    assert [(t.id, t.state) for t in talk.again.tasks] == [(asked.id, TaskState.AWAITING_CONFIRMATION)]
    task = talk.again.tasks[0]
    assert task.slots["place"] == talk.done.tasks[0].slots["place"] == "office"  # the earlier order's, not the words
    assert task.slots["dish"] == asked.slots["dish"]  # what is asked for now, not the earlier dish
    assert len(talk.unbought) == 1 and len(talk.placed) == 2  # bought on the yes only
    assert [t.state for t in talk.bought.tasks] == [TaskState.DONE]


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_of_another_kind_is_made_beside_the_question_which_stays_open(home: Path, case: str) -> None:
    talk = await _talk(home, case, _CASES[case][5])
    asked = talk.asked.tasks[0]
    assert [(t.intent, t.state) for t in talk.asked.tasks] == [("buy_movie_tickets", TaskState.NEEDS_INFO)]
    assert [(t.intent, t.state) for t in talk.again.tasks] == [("order_food", TaskState.AWAITING_CONFIRMATION)]
    assert f"[{asked.id}]" in talk.again.text  # the question asked again, still open
    assert talk.still.state == TaskState.NEEDS_INFO and talk.still.slots == asked.slots  # the words are no answer
    assert len(talk.unbought) == 1 and len(talk.placed) == 2
    assert [t.state for t in talk.bought.tasks] == [TaskState.DONE]


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
