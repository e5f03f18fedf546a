"""Which order, by the order they were placed in (review31 R31-13, HIGH money): after a pizza and then cinema tickets,
"cancel the first one", "storniere die erste Bestellung", "取消第一个订单" + yes cancelled the TICKETS (the order the
conversation was last about); the pizza, ordered first, stayed. An ordinal of own_orders.toml [<lang>.placed] now picks
the order by its place among those the conversation placed. Own phrasings (dialog23)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.own_orders import placed_said
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

# a showing no real clock has passed: the cinema partner refuses to cancel one that began (its wall clock)
_FIRST = {"EN": ("order a pizza to the office", "two tickets for Dune tomorrow at 8 pm", "yes"),
          "DE": ("bestell eine Pizza ins Büro", "zwei Karten für Dune morgen um 20 Uhr", "ja"),
          "CN": ("点一份饺子送到公司", "买两张明晚八点沙丘的电影票", "好的")}
_PARTNERS = {"EN": ("gabelpost.food", "lichtspiel.cinema"), "DE": ("gabelpost.food", "lichtspiel.cinema"),
             "CN": ("kuaisong.food", "guangying.cinema")}


@pytest.mark.parametrize(("case", "said", "gone"), [
    ("EN", "cancel the first one", "food"),
    ("EN", "cancel my first order", "food"),
    ("DE", "storniere die erste Bestellung", "food"),
    ("CN", "取消第一个订单", "food"),
    ("CN", "把第一单取消", "food"),
    ("DE", "storniere die zweite Bestellung", "cinema"),
    ("EN", "cancel the last one", "cinema"),  # the latest: as before
])
async def test_an_ordinal_picks_the_order_placed_in_that_place(home: Path, understander: Understander, case: str,
                                                               said: str, gone: str) -> None:
    food, cinema, yes = _FIRST[case]
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, food)
        await take_turn(assistant, yes, shown.conversation_id)
        await take_turn(assistant, cinema, shown.conversation_id)
        await take_turn(assistant, yes, shown.conversation_id)
        asked = await take_turn(assistant, said, shown.conversation_id)
        await take_turn(assistant, yes, shown.conversation_id)
    cancelled = {kind: [r["cancelled_at"] is not None for r in partner_rows(home, partner,
                                                                           "SELECT cancelled_at FROM orders")]
                 for kind, partner in zip(("food", "cinema"), _PARTNERS[case], strict=True)}
    assert cancelled == {"food": [gone == "food"], "cinema": [gone == "cinema"]}, asked.text


@pytest.mark.parametrize(("lang", "text", "nth"), [
    ("en", "cancel the first one", 1),
    ("en", "cancel my second order", 2),
    ("en", "cancel the earlier order", -2),
    ("de", "storniere die erste", 1),
    ("zh", "取消第二个订单", 2),
    ("en", "first of all, cancel it", None),  # no article before it
    ("en", "cancel the first thing tomorrow", None),  # nothing that names an order after it
    ("de", "storniere als erstes die Pizza", None),
    ("zh", "取消第二天的订单", None),  # the next day
    ("zh", "第二份披萨不要了", None),  # a portion inside one order, no order's place (reread32 20:21)
    ("zh", "第二个汉堡不要了", None),
])
def test_placed_said_reads_an_ordinal_only_where_it_picks_an_order(lang: str, text: str, nth: int | None) -> None:
    assert placed_said(text, lang, frozenset({"order", "bestellung", "pizza", "订单", "取消"})) == nth
