"""With a food order and then a cinema order, a cancellation that names its object only by words for any order ("cancel
my order", "storniere die Bestellung", "取消订单") asks which order, listing both, and makes no card (review30 R30-17:
the food examples' words made the pizza's card, and the yes cancelled it); with one order it is that one, and "my latest
order" is the last one. A clause that tells of an act done beside one that asks ("I cancelled the pizza myself, cancel
the tickets too") is not what the card undoes: the asking clause's kind is (review30 R30-19: the pizza's card).
Phrasings are review30's and money22's, none from a bench set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking
from tests.agent.test_confirm_kept import placed

pytestmark = pytest.mark.anyio

_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}
_PARTNERS = {"EN": ("gabelpost.food", "lichtspiel.cinema"), "DE": ("gabelpost.food", "lichtspiel.cinema"),
             "CN": ("kuaisong.food", "guangying.cinema")}


async def _after(home: Path, understander: Understander, case: str, sentence: str,
                 kinds: tuple[str, ...] = ("food", "cinema")) -> tuple[str, list[bool]]:
    """``case``'s orders of ``kinds`` placed, then ``sentence`` and a yes: the reply to the sentence, and whether each
    order (food first) is cancelled."""
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case, kinds)
        said = await take_turn(assistant, sentence, conversation)
        if [t for t in said.tasks if t.state == TaskState.AWAITING_CONFIRMATION] == []:
            assert said.text.strip()
        await take_turn(assistant, _YES[case], conversation)
    partners = [p for p, kind in zip(_PARTNERS[case], ("food", "cinema"), strict=True) if kind in kinds]
    return said.text, [row["cancelled_at"] is not None for partner in partners
                       for row in partner_rows(home, partner, "SELECT cancelled_at FROM orders")]


@pytest.mark.parametrize(("case", "sentence"), [("EN", "cancel my order"), ("DE", "storniere die Bestellung"),
                                                ("CN", "取消订单")])
async def test_words_for_any_order_with_orders_of_two_kinds_ask_which(
        home: Path, understander: Understander, case: str, sentence: str) -> None:
    said, cancelled = await _after(home, understander, case, sentence)
    assert cancelled == [False, False], said
    assert "CIN-" in said and "FD-" in said, said  # both offered


@pytest.mark.parametrize(("case", "sentence", "kinds", "cancelled"), [
    ("EN", "cancel my order", ("food",), [True]), ("DE", "storniere die Bestellung", ("cinema",), [True]),
    ("CN", "取消订单", ("food",), [True]), ("EN", "cancel my latest order", ("food", "cinema"), [False, True]),
    ("EN", "cancel it", ("food", "cinema"), [False, True]),
    ("EN", "cancel the pizza", ("food", "cinema"), [True, False])])
async def test_one_order_the_latest_or_a_kind_named_keeps_its_card(
        home: Path, understander: Understander, case: str, sentence: str, kinds: tuple[str, ...],
        cancelled: list[bool]) -> None:
    said, done = await _after(home, understander, case, sentence, kinds)
    assert done == cancelled, said


@pytest.mark.parametrize(("case", "sentence"), [("EN", "I cancelled the pizza myself, cancel the tickets too"),
                                                ("EN", "cancel the tickets, I already cancelled the pizza")])
async def test_the_order_a_told_clause_names_is_not_cancelled_the_asked_one_is(
        home: Path, understander: Understander, case: str, sentence: str) -> None:
    said, cancelled = await _after(home, understander, case, sentence)
    assert cancelled == [False, True], said
