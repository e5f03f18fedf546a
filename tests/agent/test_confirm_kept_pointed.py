"""After a food order and then a cinema order, a request that only points ("cancel it", "storniere sie", "退了吧")
beside a part that names an order without undoing it makes no card: the part may name what is kept ("cancel it, the
pizza is enough", "we still have the pizza") or what the user goes on with ("cancel it, we're going to the cinema
instead"), so "it" is unsure (reread30 H-2: each + yes cancelled the pizza, or the very tickets the reason was about,
at 128c96c). The assistant asks which order, listing both; with one kind of order "it" is that one (the reason tests
in test_confirm_kept.py). Phrasings are reread30's and money22's, none from a bench set."""

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


def _cancelled(home: Path, case: str) -> list[bool]:
    """Whether the food order, then the cinema order, are cancelled."""
    return [row["cancelled_at"] is not None for partner in _PARTNERS[case]
            for row in partner_rows(home, partner, "SELECT cancelled_at FROM orders")]


@pytest.mark.parametrize(("case", "sentence"), [
    ("EN", "cancel it, the pizza is enough"), ("EN", "cancel it, the pizza is enough anyway"),
    ("EN", "cancel them, the pizza will do"), ("EN", "cancel it, we still have the pizza"),  # the pizza cancelled
    ("EN", "cancel it, we're going to the cinema instead"),  # the tickets cancelled
    ("DE", "storniere sie, wir gehen stattdessen ins Kino"), ("CN", "退了吧，因为我们要去看电影"),
    # no verb of the cancelling examples, only a pointer: the pizza cancelled at 6c2a30a (review31 R31-23)
    ("EN", "scrap that one, we still have the pizza")])
async def test_a_pointer_beside_an_order_named_as_kept_or_as_the_plan_cancels_nothing(
        home: Path, understander: Understander, case: str, sentence: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case)
        said = await take_turn(assistant, sentence, conversation)
        assert not [t for t in said.tasks if t.state == TaskState.AWAITING_CONFIRMATION], said.text
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, case) == [False, False], said.text


@pytest.mark.parametrize(("case", "sentence", "cancelled"), [
    ("EN", "cancel it", [False, True]), ("EN", "cancel the pizza, we're going to the cinema instead", [True, False]),
    ("DE", "storniere sie", [False, True]), ("CN", "退了吧", [False, True])])
async def test_a_pointer_alone_or_an_order_named_in_the_request_keeps_its_card(
        home: Path, understander: Understander, case: str, sentence: str, cancelled: list[bool]) -> None:
    async with talking(home, case, understander) as (assistant, _):
        conversation, _ = await placed(assistant, case)
        said = await take_turn(assistant, sentence, conversation)
        await take_turn(assistant, _YES[case], conversation)
    assert _cancelled(home, case) == cancelled, said.text
