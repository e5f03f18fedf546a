"""A cancellation that names as its object a thing the user's one order is not makes no card for that order: with one
pizza ordered, "cancel the sushi", "cancel my Amazon order", "storniere den Termin", "取消寿司" + yes cancelled the
pizza at 128c96c, and with cinema tickets only, "storniere das Paket" cancelled the tickets (reread30, the class of
review30 R30-12 among words other capabilities say: ``kept.names_a_stranger``). A word for any order ("my order",
"die Bestellung", "订单"), a kind word of the order's partner ("delivery", "Lieferung", "Karten") or what the user
confirmed ("Margherita") still names it. Phrasings are reread30's and money22's, none from a bench set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.kept import Undoing, names_a_stranger
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking
from tests.agent.test_confirm_kept import placed

pytestmark = pytest.mark.anyio

_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}
_PARTNER = {("EN", "food"): "gabelpost.food", ("DE", "food"): "gabelpost.food", ("CN", "food"): "kuaisong.food",
            ("EN", "cinema"): "lichtspiel.cinema", ("DE", "cinema"): "lichtspiel.cinema",
            ("CN", "cinema"): "guangying.cinema"}


async def _cancelled(home: Path, understander: Understander, case: str, kind: str, sentence: str) -> list[bool]:
    """``case``'s one order of ``kind`` placed, then ``sentence`` and a yes: whether the order is cancelled."""
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case, (kind,))
        said = await take_turn(assistant, sentence, conversation)
        if not [t for t in said.tasks if t.state == TaskState.AWAITING_CONFIRMATION]:
            assert said.text.strip()  # it says why nothing is done
        await take_turn(assistant, _YES[case], conversation)
    return [row["cancelled_at"] is not None
            for row in partner_rows(home, _PARTNER[case, kind], "SELECT cancelled_at FROM orders")]


@pytest.mark.parametrize(("case", "kind", "sentence"), [
    ("EN", "food", "cancel the sushi"), ("EN", "food", "cancel my Amazon order"),
    ("DE", "food", "storniere den Termin"), ("CN", "food", "取消寿司"), ("DE", "cinema", "storniere das Paket")])
async def test_a_thing_the_only_order_is_not_cancels_nothing(
        home: Path, understander: Understander, case: str, kind: str, sentence: str) -> None:
    assert await _cancelled(home, understander, case, kind, sentence) == [False]


@pytest.mark.parametrize(("case", "kind", "sentence"), [
    ("EN", "food", "cancel my order"), ("EN", "food", "cancel the delivery"), ("DE", "food", "storniere die Lieferung"),
    ("DE", "food", "storniere die Bestellung"), ("CN", "food", "取消订单"), ("DE", "cinema", "storniere die Karten")])
async def test_a_word_for_any_order_or_the_orders_kind_still_cancels_it(
        home: Path, understander: Understander, case: str, kind: str, sentence: str) -> None:
    assert await _cancelled(home, understander, case, kind, sentence) == [True]


_UNDOING = Undoing.of((s for s in shipped() if s.name in ("cancel_food_order", "cancel_movie_tickets",
                                                          "refund_tickets")), shipped())


def _pizza(part: str) -> bool:
    return "margherita" in part.casefold()


@pytest.mark.parametrize(("lang", "sentence", "intent", "stranger"), [
    ("en", "cancel the sushi", "cancel_food_order", True), ("en", "cancel my Amazon order", "cancel_food_order", True),
    ("en", "cancel the parcel", "cancel_movie_tickets", True),
    ("de", "storniere den Termin", "cancel_food_order", True),
    ("de", "storniere das Paket", "cancel_movie_tickets", True), ("zh", "取消寿司", "cancel_food_order", True),
    # a word for any order, the kind's words, the order's own words, money, and what is no object
    ("en", "cancel the Margherita", "cancel_food_order", False), ("en", "cancel my lunch", "cancel_food_order", False),
    ("en", "cancel the whole order", "cancel_food_order", False),
    ("en", "cancel the order I placed this morning", "cancel_food_order", False),
    ("en", "cancel the pizza, it's taking too long", "cancel_food_order", False),
    ("en", "hey, kill tonight's food order and get me the refund", "cancel_food_order", False),
    ("en", "I no longer need it, please call off FD-19B2 before the rider picks it up", "cancel_food_order", False),
    ("de", "storniere meine Bestellung von gestern", "cancel_food_order", False),
    ("de", "Die Karten fürs Spiel am Samstag bitte zurückgeben", "refund_tickets", False),
    ("de", "Mach die Kinobuchung rückgängig und erstatte mir das Geld", "cancel_movie_tickets", False),
    ("de", "storniere die Kinokarten", "cancel_movie_tickets", False),
    ("zh", "取消一下外卖", "cancel_food_order", False), ("zh", "退票", "cancel_movie_tickets", False),
    ("zh", "把话剧的票退了", "refund_tickets", False), ("zh", "演唱会那天要出差，门票退了吧", "refund_tickets", False)])
def test_a_thing_named_as_the_object_that_no_word_of_the_orders_kind_says_is_a_stranger(
        lang: str, sentence: str, intent: str, stranger: bool) -> None:
    assert names_a_stranger(sentence, lang, _UNDOING, intent, _pizza) is stranger
