"""A number said again after a repair sets the count where it fits the count better than the clock (reread29 M6,
review29 R29-3): "book two tickets for Dune tonight at 8, no, three" made a card for two tickets at 3 o'clock at night
(a concert at 03:00 looked up), and "book a ticket for Dune at 8 pm, no, two" one for a single ticket. The card now
holds the count said last at the time said. The rule itself is read on more phrasings in test_repairs.py; my own
phrasings (dialog21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("case", "said", "count"), [
    ("EN", "book two tickets for Dune tonight at 8, no, three", 3),
    ("EN", "two tickets for Dune tonight at 8, no, three tickets", 3),
    ("EN", "book a ticket for Dune at 8 pm, no, two", 2),
    ("DE", "eine Karte für Dune heute um 20 Uhr, nein, zwei", 2),
    ("CN", "买两张今晚八点《沙丘》的电影票，不对，三张", 3),
])
async def test_the_count_said_again_is_on_the_card_at_the_time_said(
        home: Path, understander: Understander, case: str, said: str, count: int) -> None:
    async with talking(home, case, understander) as (assistant, _):
        reply = await take_turn(assistant, said)
        (task,) = reply.tasks
        assert (task.intent, task.state) == ("buy_movie_tickets", TaskState.AWAITING_CONFIRMATION), reply.text
        assert task.slots.get("count") == count, reply.text
        assert str(task.slots.get("when", "")).endswith("T20:00"), reply.text


@pytest.mark.parametrize("said", ["book two tickets for Dune tonight at 8, no, twelve",
                                  "book two tickets for Dune tonight at 7, no, 11"])
async def test_a_number_far_from_the_count_said_is_no_count(home: Path, understander: Understander, said: str) -> None:
    """review30 R30-7 on 93c183e: twelve tickets (150 EUR) on the card, where midnight or 11 pm was meant."""
    async with talking(home, "EN", understander) as (assistant, _):
        reply = await take_turn(assistant, said)
        assert all(t.slots.get("count") in (None, 2) for t in reply.tasks), reply.text
