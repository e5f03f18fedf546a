"""A request asked as a price question is answered with its price and leaves no card (review30 R30-5): "how much would
two tickets for Dune tonight at 8 cost?" showed the purchase's card like an order, and the next "yes" bought the
tickets; with the card kept and called a quote (cf1f517), "ok thanks" / "好的谢谢" still bought them (review31 R31-17).
Decided (dialog22): the card's facts are said, the price with them, then that nothing is bought (answers.toml
``quoted``); the card is taken back and its task cancelled, so no later yes buys. The user who wants it asks for it.
A request that asks no price, or asks it only after the request ("…, how much is that?", "…，多少钱都行"), keeps its
card. My own phrasings and review31's (dialog22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.spoken import quoted
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_CINEMA = {"EN": "lichtspiel.cinema", "DE": "lichtspiel.cinema", "CN": "guangying.cinema"}
_LANG = {"EN": "en", "DE": "de", "CN": "zh"}


@pytest.mark.parametrize(("case", "asked", "then", "price"), [
    ("EN", "how much would two tickets for Dune tonight at 8 cost?", ["ok thanks", "yes"], "25.0"),
    ("EN", "what would two tickets for Dune tonight at 8 cost?", ["ok", "yes"], "25.0"),
    ("DE", "wie viel würden zwei Kinokarten für Dune heute um 20 Uhr kosten?", ["ok danke", "ja"], "25.0"),
    ("CN", "两张今晚八点沙丘的电影票多少钱？", ["好的谢谢", "好的"], "130.0"),
])
async def test_a_price_question_says_the_price_and_nothing_buys_it(
        home: Path, understander: Understander, case: str, asked: str, then: list[str], price: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, asked)
        line = quoted(asked, _LANG[case])
        assert line and shown.text.endswith(line) and price in shown.text, shown.text
        assert [(t.intent, t.state, t.confirmation_id) for t in shown.tasks] == [
            ("buy_movie_tickets", TaskState.CANCELLED, None)], shown.text
        for said in then:
            await take_turn(assistant, said, shown.conversation_id)
    assert partner_rows(home, _CINEMA[case], "SELECT * FROM orders") == []


@pytest.mark.parametrize(("case", "request_"), [
    ("EN", "book two tickets for Dune tonight at 8"),
    ("DE", "buch zwei Kinokarten für Dune heute um 20 Uhr"),
    ("CN", "帮我订两张今晚八点沙丘的电影票"),
    ("EN", "buy two tickets for Dune tonight at 8, no matter how much they cost"),  # review31 R31-24: asked after it
    ("EN", "two tickets for Dune tonight at 8, how much is that?"),
    ("CN", "帮我订两张今晚八点沙丘的电影票，多少钱都行"),
])
async def test_a_request_that_asks_no_price_has_no_quote_line(
        home: Path, understander: Understander, case: str, request_: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, request_)
    assert [t.state for t in shown.tasks] == [TaskState.AWAITING_CONFIRMATION], shown.text
    assert quoted(request_, _LANG[case]) is None and "\n" not in shown.text
