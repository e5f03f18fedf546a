"""A reorder said while a question waits ("das Gleiche nochmal", "same as last time", "和上次一样" to "Where should it
go?"). Before, the words became the question's value (a delivery place 'das Gleiche nochmal' sent to the partner). What
users mean: of an order of the asking kind, the value that order had ("the same as last time": its place); a reorder
naming an order of another kind ("the pizza again" to the cinema's question) is a request of its own, made beside the
question, which stays open; naming none, it is said of the asking kind, and with no earlier order of it the reply says
so and asks again (never another kind's card, which the next yes would buy). Nothing is bought without a yes. The
phrasings are my own (dialog18), none from a bench set."""

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
# that asks for a time, a reorder naming the food order
_CASES = {
    "DE": ("gabelpost.food", "Bestell mir zwei Pizza Margherita ins Büro", "ja", "Bestell mir eine Lasagne",
           "das Gleiche nochmal", "Buch zwei Kinokarten für Dune", "die Pizza nochmal"),
    "EN": ("gabelpost.food", "Order me two pizza margherita to the office", "yes", "order me a lasagne",
           "same as last time", "book two cinema tickets for Dune", "the pizza again"),
    "CN": ("kuaisong.food", "帮我点两份披萨送到办公室", "好的", "帮我点一份饺子", "和上次一样",
           "帮我买两张沙丘的电影票", "披萨再来一份"),
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


async def _talk(home: Path, case: str, request: str, again: str) -> _Talk:
    food, first, yes = _CASES[case][:3]
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
    talk = await _talk(home, case, _CASES[case][3], _CASES[case][4])
    asked = talk.asked.tasks[0]
    assert [t.state for t in talk.asked.tasks] == [TaskState.NEEDS_INFO] and asked.missing == "place"
    assert [(t.id, t.state) for t in talk.again.tasks] == [(asked.id, TaskState.AWAITING_CONFIRMATION)]
    task = talk.again.tasks[0]
    assert task.slots["place"] == talk.done.tasks[0].slots["place"] == "office"  # the earlier order's, not the words
    assert task.slots["dish"] == asked.slots["dish"]  # what is asked for now, not the earlier dish
    assert len(talk.unbought) == 1 and len(talk.placed) == 2  # bought on the yes only
    assert [t.state for t in talk.bought.tasks] == [TaskState.DONE]


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_naming_nothing_to_the_question_of_another_kind_buys_nothing(home: Path, case: str) -> None:
    """reread27 H1: the cinema asks, the only earlier order is food: "same as last time" is said of the tickets (none
    bought before): said so, the question asked again; no food card, so the yes after it buys nothing."""
    talk = await _talk(home, case, _CASES[case][5], _CASES[case][4])
    asked = talk.asked.tasks[0]
    assert [(t.intent, t.state) for t in talk.asked.tasks] == [("buy_movie_tickets", TaskState.NEEDS_INFO)]
    assert [(t.id, t.state) for t in talk.again.tasks] == [(asked.id, TaskState.NEEDS_INFO)]
    assert talk.again.text.splitlines()[-1] == talk.asked.text
    assert talk.still.state == TaskState.NEEDS_INFO and len(talk.unbought) == len(talk.placed) == 1


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_reorder_naming_another_kind_is_made_beside_the_question_which_stays_open(home: Path,
                                                                                        case: str) -> None:
    talk = await _talk(home, case, _CASES[case][5], _CASES[case][6])
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
    food, _, _, placeless, again = _CASES[case][:5]
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


async def test_the_last_order_of_the_asking_kind_answers_though_another_kind_came_after_it(home: Path) -> None:
    """review27 R27-2: tickets, then a pizza, then tickets asking "For when?": "same as last time" is the time of the
    tickets bought before, not the pizza offered again."""
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = _assistant(partners, home)
        cinema = await take_turn(assistant, "book two cinema tickets for Dune tonight at 8")
        await take_turn(assistant, "yes", cinema.conversation_id)
        food = await take_turn(assistant, "Order me two pizza margherita to the office", cinema.conversation_id)
        await take_turn(assistant, "yes", food.conversation_id)
        asked = await take_turn(assistant, "book two cinema tickets for Dune", food.conversation_id)
        answered = await take_turn(assistant, "same as last time", asked.conversation_id)
        earlier = assistant.journal.task(cinema.tasks[0].id)
    assert [(t.intent, t.state) for t in asked.tasks] == [("buy_movie_tickets", TaskState.NEEDS_INFO)]
    assert [(t.id, t.state) for t in answered.tasks] == [(asked.tasks[0].id, TaskState.AWAITING_CONFIRMATION)]
    assert answered.tasks[0].slots["when"] == earlier.slots["when"]


async def test_a_partner_named_in_a_reorder_that_answers_a_question_is_not_dropped(home: Path) -> None:
    """review27 R27-3: the partner named takes no food order: said so, the question asked again, nothing prepared."""
    food, first, yes, placeless = _CASES["EN"][:4]
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = _assistant(partners, home)
        done = await take_turn(assistant, yes, (await take_turn(assistant, first)).conversation_id)
        asked = await take_turn(assistant, placeless, done.conversation_id)
        told = await take_turn(assistant, "same as last time but from Lichtspiel", asked.conversation_id)
    assert [(t.id, t.state, t.slots) for t in told.tasks] == [(asked.tasks[0].id, TaskState.NEEDS_INFO,
                                                               asked.tasks[0].slots)]
    assert "Lichtspiel" in told.text and told.text.splitlines()[-1] == asked.text
    assert len(partner_rows(home, food, "SELECT * FROM orders")) == 1
