"""A confirmation id named beside words that are no yes buys nothing. Before, "storniere c-…", "undo c-…" or
"rückgängig c-…" (or "c-…?", review27 P27-4) to an order's card bought the order: an id named made any turn without a
clear yes or no a yes. Now only the id alone is one (as the chat's hint says), or an id beside a yes; otherwise the
question is asked again. The phrasings are my own (dialog18), none from a bench set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

# region -> food partner, the order, words beside the id that are no yes, a yes beside the id
_CASES = {
    "DE": ("gabelpost.food", "Bestell mir zwei Pizza Margherita ins Büro", ("storniere {id}", "rückgängig {id}"),
           "ja {id}"),
    "EN": ("gabelpost.food", "Order me two pizza margherita to the office", ("undo {id}", "{id} hmm, wait", "{id}?"),
           "confirm {id}"),
    "CN": ("kuaisong.food", "帮我点两份披萨送到办公室", ("撤销 {id}", "{id} 等等", "{id}？"), "{id}"),
}


@pytest.mark.parametrize("case", list(_CASES))
async def test_an_id_beside_words_that_are_no_yes_buys_nothing_and_asks_again(home: Path, case: str) -> None:
    food, order, not_yes, yes = _CASES[case]
    async with talking(home, case) as (assistant, _):
        shown = await take_turn(assistant, order)
        (named,) = re.findall(r"\bc-[0-9a-f]{32}\b", shown.text)
        unsure = [await take_turn(assistant, said.format(id=named), shown.conversation_id) for said in not_yes]
        unbought = partner_rows(home, food, "SELECT * FROM orders")
        done = await take_turn(assistant, yes.format(id=named), shown.conversation_id)
        bought = partner_rows(home, food, "SELECT * FROM orders")
    for reply in unsure:
        assert [t.state for t in reply.tasks] == [TaskState.AWAITING_CONFIRMATION]
        assert named in reply.text  # the same card asked again
    assert unbought == []
    assert [t.state for t in done.tasks] == [TaskState.DONE] and len(bought) == 1
