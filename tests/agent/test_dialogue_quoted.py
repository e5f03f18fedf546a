"""A request asked as a price question says that its card is a quote (review30 R30-5): "how much would two tickets for
Dune tonight at 8 cost?" showed the purchase's card like an order, and the next "yes" bought the tickets. Decided
(dialog22): a price question gets its answer, the card with the price, and a line that nothing is bought unless the
user says yes to it (answers.toml ``quoted``); a yes after that line is a yes to the price seen and buys. A request
that asks no price has no such line. My own phrasings (dialog22)."""

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


@pytest.mark.parametrize(("case", "asked", "yes"), [
    ("EN", "how much would two tickets for Dune tonight at 8 cost?", "yes"),
    ("EN", "what would two tickets for Dune tonight at 8 cost?", "yes"),
    ("DE", "wie viel würden zwei Kinokarten für Dune heute um 20 Uhr kosten?", "ja"),
    ("CN", "两张今晚八点沙丘的电影票多少钱？", "好的"),
])
async def test_a_price_question_shows_a_quote_that_buys_only_on_a_yes(
        home: Path, understander: Understander, case: str, asked: str, yes: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, asked)
        (task,) = shown.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION, shown.text
        line = quoted(asked, _LANG[case])
        assert line and shown.text.endswith(line), shown.text
        assert partner_rows(home, _CINEMA[case], "SELECT * FROM orders") == []
        bought = await take_turn(assistant, yes, shown.conversation_id)
        assert [t.state for t in bought.tasks] == [TaskState.DONE], bought.text
    assert len(partner_rows(home, _CINEMA[case], "SELECT * FROM orders")) == 1


@pytest.mark.parametrize(("case", "request_"), [
    ("EN", "book two tickets for Dune tonight at 8"),
    ("DE", "buch zwei Kinokarten für Dune heute um 20 Uhr"),
    ("CN", "帮我订两张今晚八点沙丘的电影票"),
])
async def test_a_request_that_asks_no_price_has_no_quote_line(
        home: Path, understander: Understander, case: str, request_: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, request_)
    assert [t.state for t in shown.tasks] == [TaskState.AWAITING_CONFIRMATION], shown.text
    assert quoted(request_, _LANG[case]) is None and "\n" not in shown.text
