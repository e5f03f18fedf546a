"""A cancellation that names no order goes to the order the user has (review29 R29-13): right after buying cinema
tickets (the user's only order), "cancel the tickets" was read as the concert's refund ("You have no order at Rangplatz
…"), "storniere die Bestellung" and "取消订单" as the food order's cancellation, "取消吧" as a calendar cancellation and
"退了吧" as nothing. Each now makes the cinema tickets' card, and its yes cancels them. What names the other kind only,
refuses or asks still undoes nothing. With orders of two kinds, neither the one read, the assistant asks which.
Conversations on the in-memory partners with the learned tier; my own phrasings (dialog21) and review29's, none from a
bench set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_CINEMA = {"EN": "lichtspiel.cinema", "DE": "lichtspiel.cinema", "CN": "guangying.cinema"}
_FOOD = {"EN": "gabelpost.food", "DE": "gabelpost.food", "CN": "kuaisong.food"}
_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}
_ORDERS = {"EN": {"food": "order a pizza to the office", "cinema": "two tickets for Dune tonight at 8"},
           "DE": {"food": "bestell eine Pizza ins Büro", "cinema": "zwei Karten für Dune heute um 20 Uhr"},
           "CN": {"food": "帮我点一份饺子送到公司", "cinema": "买两张今晚八点《沙丘》的电影票"}}


async def placed(assistant: Assistant, case: str, kind: str) -> tuple[str, Task]:
    """``case``'s order of ``kind`` and its yes: the conversation and the done task that placed it."""
    shown = await take_turn(assistant, _ORDERS[case][kind])
    (done,) = (await take_turn(assistant, _YES[case], shown.conversation_id)).tasks
    assert done.state == TaskState.DONE, done
    return shown.conversation_id, done


def _cancelled(home: Path, partner: str) -> list[bool]:
    return [r["cancelled_at"] is not None for r in partner_rows(home, partner, "SELECT cancelled_at FROM orders")]


@pytest.mark.parametrize(("case", "sentence"), [
    ("EN", "cancel the tickets"), ("EN", "can you cancel the tickets please?"), ("EN", "cancel"),
    ("DE", "storniere die Bestellung"), ("DE", "storniere"),
    ("CN", "取消吧"), ("CN", "退了吧"), ("CN", "取消订单")])
async def test_the_only_order_is_what_a_cancellation_naming_none_undoes(
        home: Path, understander: Understander, case: str, sentence: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        conversation, bought = await placed(assistant, case, "cinema")
        said = await take_turn(assistant, sentence, conversation)
        assert [(t.intent, t.state) for t in said.tasks] == [
            ("cancel_movie_tickets", TaskState.AWAITING_CONFIRMATION)], said.text
        assert str(bought.result["order_id"]) in said.text  # the card names the order it undoes
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, _CINEMA[case]) == [True]


_PARTNERS = {"cinema": _CINEMA, "food": _FOOD}


@pytest.mark.parametrize(("case", "kind", "sentence"), [
    # a bare word that refuses, asks or thanks, after a cinema order
    ("EN", "cinema", "don't cancel it"), ("EN", "cinema", "don't cancel"), ("EN", "cinema", "please"),
    ("EN", "cinema", "thanks"), ("DE", "cinema", "nicht stornieren"), ("DE", "cinema", "danke"),
    ("CN", "cinema", "不要取消"), ("CN", "cinema", "别取消"), ("CN", "cinema", "取消了吗？"), ("CN", "cinema", "谢谢"),
    # with only a food order, the tickets named are no food order (reread29 H3's direction)
    ("EN", "food", "cancel the tickets"), ("EN", "food", "it's too late to go to the cinema now, cancel the tickets"),
    ("DE", "food", "storniere die Kinokarten"), ("CN", "food", "把电影票退了"),
    # what declines the one kind the user has, or tells of someone else's act, moves nothing (review30 R30-14)
    ("CN", "food", "不是外卖，是电影票，取消"), ("EN", "cinema", "my friend cancelled his tickets"),
    # what names a thing none of the tickets' cancelling says is no cancelling of them (reread30 H-1)
    ("EN", "cinema", "cancel the sushi"), ("EN", "cinema", "cancel my Amazon order"),
    ("EN", "cinema", "refund my Taylor Swift tickets"), ("CN", "cinema", "取消寿司"), ("CN", "cinema", "取消快递")])
async def test_what_names_no_cancelling_of_the_order_the_user_has_undoes_nothing(
        home: Path, understander: Understander, case: str, kind: str, sentence: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case, kind)
        said = await take_turn(assistant, sentence, conversation)
        assert not [t for t in said.tasks if t.state == TaskState.AWAITING_CONFIRMATION], said.text
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, _PARTNERS[kind][case]) == [False]


@pytest.mark.parametrize(("case", "sentence"), [("EN", "cancel my order"), ("DE", "storniere die Bestellung")])
async def test_with_orders_of_several_kinds_a_cancellation_naming_none_asks_which(
        home: Path, understander: Understander, case: str, sentence: str) -> None:
    """Cinema tickets and concert tickets, no food order: the food order's cancellation it is read as is asked about,
    both orders listed; the yes after it undoes nothing."""
    concert = {"EN": "book two concert tickets for Nordlicht Quartett",
               "DE": "buch zwei Konzertkarten für Nordlicht Quartett"}
    async with talking(home, case, understander) as (assistant, _):
        conversation, cinema = await placed(assistant, case, "cinema")
        shown = await take_turn(assistant, concert[case], conversation)
        (event,) = (await take_turn(assistant, _YES[case], conversation)).tasks
        assert shown.tasks and event.state == TaskState.DONE, event
        said = await take_turn(assistant, sentence, conversation)
        assert said.tasks == () and all(str(t.result["order_id"]) in said.text for t in (cinema, event)), said.text
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, _CINEMA[case]) == [False]


@pytest.mark.parametrize(("case", "first", "waiting", "sentence"), [
    ("CN", "food", "买今晚八点沙丘的电影票", "取消吧"), ("CN", "cinema", "帮我点饺子", "取消吧")])
async def test_a_bare_cancel_to_a_waiting_question_undoes_no_order(
        home: Path, understander: Understander, case: str, first: str, waiting: str, sentence: str) -> None:
    """One order done, then a new request waits for a value ("要几张票？"): "取消吧" drops that request; its yes
    cancelled the order done before (reread30 H-3)."""
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case, first)
        asked = await take_turn(assistant, waiting, conversation)
        assert [t.state for t in asked.tasks] == [TaskState.NEEDS_INFO], asked.text
        said = await take_turn(assistant, sentence, conversation)
        assert not [t for t in said.tasks if t.state == TaskState.AWAITING_CONFIRMATION], said.text
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, _PARTNERS[first][case]) == [False]


@pytest.mark.parametrize(("case", "sentence", "cancelled"), [
    ("EN", "cancel the tickets, not the pizza", {"cinema": [True], "food": [False]}),
    ("EN", "cancel the pizza, not the tickets", {"cinema": [False], "food": [True]}),
])
async def test_what_a_sentence_declines_names_no_kind_to_move_to(
        home: Path, understander: Understander, case: str, sentence: str, cancelled: dict[str, list[bool]]) -> None:
    """review31 R31-15: with a pizza and cinema tickets, 'cancel the tickets, not the pizza' was read as the concert's
    refund and stayed there ('You have no order at Rangplatz Tickets AG'): the declined part named the food kind too."""
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case, "food")
        # tomorrow's showing: the cinema partner refuses to cancel one its wall clock says began
        await take_turn(assistant, "two tickets for Dune tomorrow at 8 pm", conversation)
        await take_turn(assistant, _YES[case], conversation)
        said = await take_turn(assistant, sentence, conversation)
        await take_turn(assistant, _YES[case], conversation)
    assert {kind: _cancelled(home, _PARTNERS[kind][case]) for kind in ("cinema", "food")} == cancelled, said.text
