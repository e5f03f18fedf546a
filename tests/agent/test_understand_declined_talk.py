"""What the user says not to do is never turned into another act, in a conversation (review26 P26-4, reread26 H2):
after a real order, "please don't order the sushi yet" / "bitte noch nichts bestellen" / "暂时不要下单" were read by
the learned tier as a cancellation, the card offered to cancel the order just made, and the "yes" cancelled it. And a
correction ("不要点披萨，帮我点一份寿司送到公司") asks for its later clause (review26 R26-5), never for the act it
declines (R26-8: "别取消外卖，帮我取消电影票" cancelled the takeaway too). The sentences are und18's own probes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.declined import later, says
from tandem.agent.journal import Journal
from tandem.agent.learned import familiar
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio

_ORDER = {"EN": ("order a pizza to the office", "yes"), "DE": ("bestell eine Pizza ins Büro", "ja"),
          "CN": ("帮我点一份饺子送到公司", "好的")}
_NOT_AN_ORDER = {"EN": "please don't order the sushi yet", "DE": "bitte noch nichts bestellen",
                 "CN": "暂时不要下单"}


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))  # read when the test runs, not at import


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_not_ordering_after_an_order_cancels_nothing(home: Path, understander: Understander,
                                                           lang: str) -> None:
    region = "CN" if lang == "CN" else "DE"
    write_profile(home, region)
    async with in_memory_partners(home, "CN" if region == "CN" else "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=_noon)
        shown = await take_turn(assistant, _ORDER[lang][0])
        done = await take_turn(assistant, _ORDER[lang][1], shown.conversation_id)
        ordered = [t for t in done.tasks if t.intent == "order_food"]
        assert [t.state for t in ordered] == [TaskState.DONE], done.text
        said = await take_turn(assistant, _NOT_AN_ORDER[lang], shown.conversation_id)
        yes = await take_turn(assistant, _ORDER[lang][1], shown.conversation_id)
        assert [t.intent for t in said.tasks if t.intent.startswith("cancel")] == [], said.text
        assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, yes.text


@pytest.mark.parametrize(("text", "wanted", "slot"), [
    ("no, don't book Dune, book two tickets for Wicked tonight at 8", "buy_movie_tickets", ("film", "Wicked")),
    ("don't order pizza, order sushi to the office", "order_food", ("dish", "sushi")),
    ("don't cancel my cinema tickets, cancel the pizza", "cancel_food_order", None),
    ("don't cancel the pizza, cancel my cinema tickets", "cancel_movie_tickets", None),
    ("bestell die Pizza nicht, zeig mir lieber meine Termine morgen", "show_calendar", None),
    ("不要点披萨，帮我点一份寿司送到公司", "order_food", ("dish", "寿司")),
    ("别取消外卖，帮我取消电影票", "cancel_movie_tickets", None),
    ("先不要下单，帮我搜一下蓝牙耳机", "search_products", ("item", "蓝牙耳机")),
])
def test_a_correction_asks_for_its_later_clause(understander: Understander, text: str, wanted: str,
                                                slot: tuple[str, str] | None) -> None:
    read = understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    assert [i.name for i in read.intents] == [wanted]
    assert slot is None or read.intents[0].slots.get(slot[0]) == slot[1]


@pytest.mark.parametrize("text", [
    "please don't order the sushi yet", "never order from there again",
    "I wouldn't order from that pizza place again", "don't order anything, I'm cooking tonight",
    "bitte noch nichts bestellen", "bestell die Pizza nicht, ich koche selbst", "wir bestellen heute nicht",
    "不要买电影票", "暂时不要下单",
    "don't refund my concert tickets, I'm going after all", "别帮我退演唱会的票，我还是要去", "别退票了，票我自己留着",
])
def test_what_not_to_do_is_no_other_act(understander: Understander, text: str) -> None:
    """Each but the last three was a cancellation or refund at 59a457b (e5 reads "don't order" beside "cancel")."""
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


@pytest.mark.parametrize(("text", "lang", "rest"), [
    ("don't cancel CIN-2F4A6B8C0D, cancel my pizza instead", "en", "cancel my pizza instead"),
    ("don't cancel FD-4A1B2C3D4E but order two pizzas", "en", "order two pizzas"),
    ("storniere FD-4A1B2C3D4E nicht, sondern bestell eine Cola", "de", "bestell eine Cola"),
    ("别取消外卖，帮我取消电影票", "zh", "帮我取消电影票"), ("please don't order the sushi yet", "en", ""),
])
def test_the_later_clause_of_a_correction(text: str, lang: str, rest: str) -> None:
    assert later(text, lang) == rest


@pytest.mark.parametrize(("text", "lang", "capability", "said"), [
    ("please don't order the sushi yet", "en", "cancel_food_order", False),
    ("I won't make it to the dentist, take it out of my calendar", "en", "cancel_calendar_event", True),
    ("bitte noch nichts bestellen", "de", "cancel_food_order", False),
    ("die Bestellung bitte stornieren", "de", "cancel_food_order", True),
    ("先别点外卖", "zh", "cancel_food_order", False), ("先别点外卖，帮我把订单取消", "zh", "cancel_food_order", True),
])
def test_a_capability_is_said_by_its_own_verb(text: str, lang: str, capability: str, said: bool) -> None:
    spec = next(i for i in shipped() if i.name == capability)
    assert says(text, lang, familiar([spec], lang)[0]) is said


def test_a_line_of_corrections_is_read_once(understander: Understander) -> None:
    """A hostile line of many "don't cancel …," reads its later clause once, not clause by clause (no recursion)."""
    text = "don't cancel FD-4A1B2C3D4E, " * 400 + "cancel the pizza"
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


_NOT_ASKED = ["Don't book it yet, but if it's still available tomorrow book two tickets for Dune",
              "never cancel my orders, even if I say cancel my order",
              "don't order anything, Lisa said order two pizzas", "Don't order pizza, I might order sushi later",
              "bestell noch nichts, wenn es später regnet bestell eine Suppe",
              "storniere die Pizza nicht, Lisa hat gesagt storniere sie", "别点外卖，如果明天有空帮我点寿司",
              "先别买票，我朋友说买两张"]


@pytest.mark.parametrize("text", _NOT_ASKED)
def test_a_later_clause_that_does_not_ask_is_no_task(understander: Understander, text: str) -> None:
    """reread27 H2 on 425934f: a later clause with a condition, reported speech or a maybe made a task."""
    assert understander.understand(text, dt.datetime.combine(dt.date.today(), dt.time(12, 0))).intents == ()


@pytest.mark.parametrize("text", _NOT_ASKED[:3])
async def test_a_later_clause_that_does_not_ask_buys_and_cancels_nothing(home: Path, understander: Understander,
                                                                         text: str) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=_noon)
        shown = await take_turn(assistant, "order a pizza to the office")
        done = await take_turn(assistant, "yes", shown.conversation_id)
        ordered = [t for t in done.tasks if t.intent == "order_food"]
        said = await take_turn(assistant, text, shown.conversation_id)
        yes = await take_turn(assistant, "yes", shown.conversation_id)
    assert said.tasks == () or all(t.state != TaskState.DONE for t in said.tasks), said.text
    assert [t.state for t in yes.tasks if t.state == TaskState.DONE and t.id != ordered[0].id] == [], yes.text
    assert assistant.journal.task(ordered[0].id).state == TaskState.DONE, yes.text
