"""A sentence that tells of an act already done asks for nothing (tandem/agent/told.py): the learned tier read "I
ordered a pizza yesterday", "Lisa booked tickets for Dune" and "ich habe gestern Pizza bestellt" as new orders and
purchases, which a "yes" would have placed. und20's own sentences (none is a line of an evaluation set). Nor is
wondering what to order a follow-up on an order (``Understander._unsaid``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.learned import familiar
from tandem.agent.profile import load_profile
from tandem.agent.told import told
from tandem.agent.understand import Understander
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio

_NOON = dt.datetime(2026, 11, 30, 12, 0)


@pytest.mark.parametrize("text", [
    # each was an order or a purchase at 597205f
    "I ordered a pizza yesterday", "we ordered sushi last night, it was great", "I bought a new lamp last week",
    "my brother ordered a pizza", "Lisa booked tickets for Dune", "ich habe gestern Pizza bestellt",
    "mein Bruder hat Pizza bestellt", "Lisa hat gesagt bestell zwei Pizzen",
    "同事已经帮我点了一份饺子送到公司",  # review30 R30-5: an order at 680efeb (a colleague did it, "帮我": for me)
])
def test_what_was_done_is_no_new_order(understander: Understander, text: str) -> None:
    assert understander.understand(text, _NOON).intents == ()


@pytest.mark.parametrize(("text", "wanted"), [
    ("order the same pizza I ordered yesterday", ["order_food"]),
    ("I ordered a pizza yesterday, order another one", ["order_food"]),
    ("bestell die Pizza, die ich gestern bestellt habe", ["order_food"]),
    ("ich habe Hunger, bestell mir eine Pizza", ["order_food"]),
    ("I'd like to order a pizza", ["order_food"]), ("have two pizzas delivered to the office", ["order_food"]),
    ("帮我把昨天点的外卖退了", ["cancel_food_order"]),
])
def test_a_request_beside_the_past_still_asks(understander: Understander, text: str, wanted: list[str]) -> None:
    assert [i.name for i in understander.understand(text, _NOON).intents] == wanted


@pytest.mark.parametrize(("text", "lang", "said"), [
    ("I ordered a pizza yesterday", "en", True), ("Lisa booked tickets for Dune", "en", True),
    ("I've already cancelled it", "en", True), ("ich habe gestern Pizza bestellt", "de", True),
    ("wir haben letzte Woche Karten für Dune gekauft", "de", True), ("我昨天点了外卖", "zh", True),
    ("我已经订好票了", "zh", True),
    ("order the same pizza I ordered yesterday", "en", False), ("I ordered one, order another", "en", False),
    ("bestell die Pizza, die ich gestern bestellt habe", "de", False), ("ich habe Hunger", "de", False),
    ("帮我把昨天点的外卖退了", "zh", False), ("我点的外卖怎么还没到", "zh", False), ("book two tickets", "en", False),
    ("have two pizzas delivered to the office", "en", False),
    ("did you book the tickets?", "en", True),  # R31-8: a question whether it was done tells (8b02d54)
    # someone else opens the clause (told.toml ``others``; review30 R30-4/R30-5): False at 680efeb
    ("同事取消了他的外卖", "zh", True), ("同事已经帮我点了一份饺子送到公司", "zh", True),
    ("她订了两张电影票", "zh", True),
    ("帮我点一份饺子送到公司", "zh", False), ("老婆让我点外卖", "zh", False),
])
def test_what_tells_the_past(text: str, lang: str, said: bool) -> None:
    assert told(text, lang, familiar(shipped(), lang)[0]) is said


async def test_a_yes_after_a_story_orders_nothing(home: Path, understander: Understander) -> None:
    """The statement made no card at 597205f's reading, so the yes after it places nothing."""
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=lambda: _NOON)
        said = await take_turn(assistant, "my brother ordered a pizza to the office")
        yes = await take_turn(assistant, "yes", said.conversation_id)
    assert [t.intent for t in said.tasks] == [], said.text
    assert [t for t in yes.tasks if t.intent == "order_food"] == [], yes.text


@pytest.mark.parametrize("text", [
    # each was a cancellation or a look at an order at 597205f (e5 reads "order" beside the food order's follow-ups)
    "what should I order tonight?", "I really don't know what to order", "I finally decided to order sushi",
])
def test_wondering_what_to_order_is_no_follow_up(understander: Understander, text: str) -> None:
    assert understander.understand(text, _NOON).intents == ()


@pytest.mark.parametrize(("text", "wanted"), [
    ("undo my lunch order from earlier", ["cancel_food_order"]), ("order status please", ["track_food_order"]),
    ("where is the pizza I ordered", ["track_food_order"]),
    ("kannst du meine Bestellung absagen?", ["cancel_food_order"]),
    # read as none at 1a9b8e5: "kannst", "get" open placing examples too, they are no placing verbs
    ("Kannst du die Pizzalieferung absagen?", ["cancel_food_order"]),
    ("can you get rid of my food order?", ["cancel_food_order"]),
    ("forget the order I placed a minute ago, cancel it", ["cancel_food_order"]),
])
def test_a_follow_up_that_names_an_order_stands(understander: Understander, text: str, wanted: list[str]) -> None:
    assert [i.name for i in understander.understand(text, _NOON).intents] == wanted
