"""The answer to "Where should it go?" said with the words the capability's examples put before the place ("ins Büro",
"to the office", "送到办公室") is the user's saved place, as the bare word is (dialog18's note, session 27: the question
was asked again, the words kept as the place). An address said with such words stays as it was said. My own
phrasings (dialog19), none from a bench set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.given import place_given
from tandem.agent.tasks import TaskState
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_CASES = [  # region, the request, the answer to "Where should it go?" ("Wohin soll es geliefert werden?"), its place
    ("DE", "Bestell mir eine Pizza Margherita", "ins Büro", "office"),
    ("DE", "Bestell mir eine Pizza Margherita", "nach Hause", "home"),
    ("EN", "Order me a pizza margherita", "to the office", "office"),
    ("EN", "Order me a pizza margherita", "home", "home"),
    ("CN", "帮我点一份披萨", "送到办公室", "office"),
    ("CN", "帮我点一份披萨", "送到公司", "office"),
]


@pytest.mark.parametrize(("case", "asking", "answer", "place"), _CASES)
async def test_the_saved_place_said_with_the_examples_words_answers_where_to(
        home: Path, case: str, asking: str, answer: str, place: str) -> None:
    async with talking(home, case) as (assistant, _):
        asked = await take_turn(assistant, asking)
        assert [(t.state, t.missing) for t in asked.tasks] == [(TaskState.NEEDS_INFO, "place")], asked.text
        answered = await take_turn(assistant, answer, asked.conversation_id)
    (task,) = answered.tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION, answered.text
    assert task.slots["place"] == place


_FOOD = [e for found in next(s for s in shipped() if s.name == "order_food").examples.values() for e in found]


@pytest.mark.parametrize(("said", "place"), [
    ("ins Büro", "office"), ("nach Hause", "home"), ("to my office", "office"), ("送到我家", "home"),
    ("Büro", "office"), ("home", "home"),
    ("to Berlin", "to Berlin"), ("Hauptstraße 5", "Hauptstraße 5"), ("ins büro bitte", "ins büro bitte"),
    ("送到人民路5号", "送到人民路5号"),
])
def test_only_a_saved_place_loses_the_words_said_before_it(said: str, place: str) -> None:
    assert place_given(_FOOD, "place", said) == place
