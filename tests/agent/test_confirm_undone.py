"""A cancellation's card names the order it undoes by what the user confirmed when placing it (the restaurant and the
dishes), not by an id alone: a yes given to a cancellation the user did not mean (a sentence read as one, review26
P26-4) is a yes to a card that says which order goes. The yes itself is the user's choice and still cancels. The
phrasings are my own (dialog18), none from a bench set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

# region -> food partner, an order, its yes, a cancellation
_CASES = {
    "DE": ("gabelpost.food", "Bestell mir zwei Pizza Margherita ins Büro", "ja", "storniere die Bestellung"),
    "EN": ("gabelpost.food", "Order me two pizza margherita to the office", "yes", "cancel my food order"),
    "CN": ("kuaisong.food", "帮我点两份披萨送到办公室", "好的", "取消外卖订单"),
}


@pytest.mark.parametrize("case", list(_CASES))
async def test_a_cancellation_card_names_the_dishes_of_the_order_it_undoes(home: Path, case: str) -> None:
    food, order, yes, cancel = _CASES[case]
    async with talking(home, case) as (assistant, _):
        placed = await take_turn(assistant, yes, (await take_turn(assistant, order)).conversation_id)
        card = await take_turn(assistant, cancel, placed.conversation_id)
        kept = partner_rows(home, food, "SELECT cancelled_at FROM orders")
        done = await take_turn(assistant, yes, placed.conversation_id)
        gone = partner_rows(home, food, "SELECT cancelled_at FROM orders")
    (bought,) = placed.tasks
    assert bought.call is not None and bought.state == TaskState.DONE
    assert [(t.intent, t.state) for t in card.tasks] == [("cancel_food_order", TaskState.AWAITING_CONFIRMATION)]
    call = card.tasks[0].call
    assert call is not None
    assert call.summary["items"] == bought.call.summary["items"]  # what the user confirmed when ordering
    assert call.summary["restaurant"] == bought.call.summary["restaurant"]
    assert str(bought.call.summary["items"][0] if isinstance(bought.call.summary["items"], list)
               else bought.call.summary["items"]) in card.text and str(bought.result["order_id"]) in card.text
    assert [r["cancelled_at"] for r in kept] == [None]  # nothing undone before the yes
    assert [t.state for t in done.tasks] == [TaskState.DONE] and [r["cancelled_at"] is None for r in gone] == [False]
