"""The user's order again ("same again", "das Gleiche nochmal", "再来一份", "order what I had last Friday"): before, no
task came of it (a chat answer, or "Sorry, I did not get that."). Now the latest matching order of the user's own is
prepared anew and waits for a yes to exactly it; nothing is bought before; with no such order the assistant says so.

The phrasings are my own probes (dialog15, session 24), none from a bench set."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.own_orders_again import said_again
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio

_SUNDAY = dt.datetime(2026, 12, 6, 12, 0)  # a Sunday: "last Friday" is 4 December

_AGAIN = {  # said -> (the day named, the words naming the order)
    "en": {"same again": (None, ()), "the same again please": (None, ()), "order the same again": (None, ()),
           "same as last time": (None, ()), "order what I had last Friday": ("2026-12-04", ()),
           "get me the usual": (None, ()), "order the pizza again": (None, ("pizza",)),
           "repeat my last order": (None, ()), "the same as yesterday": ("2026-12-05", ()),
           "order it again": (None, ())},
    "de": {"das Gleiche nochmal": (None, ()), "Bestell mir das Gleiche nochmal": (None, ()),
           "dasselbe nochmal bitte": (None, ()), "wie letztes Mal": (None, ()),
           "bestell, was ich letzten Freitag hatte": ("2026-12-04", ()), "nochmal die Pizza": (None, ("pizza",)),
           "das Übliche bitte": (None, ()), "wie immer": (None, ()),
           "das Gleiche wie gestern": ("2026-12-05", ()), "bestell meine letzte Bestellung nochmal": (None, ())},
    "zh": {"再来一份": (None, ()), "再来一单": (None, ()), "和上次一样": (None, ()), "老样子": (None, ()),
           "帮我再点一次": (None, ()), "昨天点的再来一份": ("2026-12-05", ()), "披萨再来一份": (None, ("披萨",)),
           "照旧吧": (None, ()), "跟上次一样，谢谢": (None, ()), "前天吃的再来一份": ("2026-12-04", ()),
           "老样子，谢谢": (None, ())},
}

_NOT_AGAIN = {  # no reorder of the latest order: no again phrase, or words beside it that must name an order
    "en": ["call mom again", "remind me again tomorrow", "what did I have last Friday?", "I had a pizza last Friday",
           "say that again", "what's the weather", "order two pizzas to the office",
           "book two cinema tickets for Dune again tomorrow", "send the email again", "play it again"],
    "de": ["ruf Mama nochmal an", "erinnere mich morgen nochmal", "was hatte ich letzten Freitag?",
           "ich hatte letzten Freitag eine Pizza", "sag das nochmal", "wie wird das Wetter",
           "bestell zwei Pizzen ins Büro", "buch morgen nochmal zwei Kinokarten für Dune",
           "schick die Mail nochmal", "spiel es nochmal"],
    "zh": ["再给妈妈打个电话", "明天再提醒我", "上周五我吃了什么？", "我上周五吃了披萨", "再说一遍", "今天天气怎么样",
           "帮我点两份披萨送到办公室", "明天再订两张沙丘电影票", "再发一次邮件", "再放一遍", "点一份披萨再来一杯可乐",
           "披萨再来两份"],
}


@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_a_reorder_is_read_with_its_day_and_the_words_naming_it(lang: str) -> None:
    read = {said: said_again(said, _SUNDAY, lang) for said in _AGAIN[lang]}
    wrong = {said: found for said, found in read.items()
             if found is None or (found.day, found.naming) != _AGAIN[lang][said]}
    assert not wrong


@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_anything_else_is_no_reorder_of_the_latest_order(lang: str) -> None:
    """It is none, or it says words that must name the order (none of these names the user's pizza)."""
    read = {said: said_again(said, _SUNDAY, lang) for said in _NOT_AGAIN[lang]}
    assert not {said: found for said, found in read.items() if found is not None and not found.naming}
    assert said_again("点一份披萨再来一杯可乐", _SUNDAY, "zh") is None  # it says how many: a request of its own


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


@pytest.mark.parametrize(("region", "first", "yes", "again", "food"), [
    ("DE", "Bestell mir zwei Pizza Margherita ins Büro", "ja", "das Gleiche nochmal", "gabelpost.food"),
    ("DE", "Order me two pizza margherita to the office", "yes", "same again", "gabelpost.food"),
    ("CN", "帮我点两份披萨送到办公室", "好的", "再来一份", "kuaisong.food"),
])
async def test_same_again_asks_a_yes_to_exactly_the_last_order(home: Path, region: str, first: str, yes: str,
                                                              again: str, food: str) -> None:
    write_profile(home, region)
    async with in_memory_partners(home, "CN" if region == "CN" else "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        shown = await take_turn(assistant, first)
        done = await take_turn(assistant, yes, shown.conversation_id)
        assert [t.state for t in done.tasks] == [TaskState.DONE]
        ordered = done.tasks[0]
        asked = await take_turn(assistant, again)  # a new conversation: the user's own orders are read
        assert [(t.intent, t.state) for t in asked.tasks] == [(ordered.intent, TaskState.AWAITING_CONFIRMATION)]
        assert asked.tasks[0].call is not None and ordered.call is not None
        assert asked.tasks[0].call.summary == ordered.call.summary  # the same dishes, count, place and price
        assert len(partner_rows(home, food, "SELECT * FROM orders")) == 1  # nothing bought without a yes
        bought = await take_turn(assistant, yes, asked.conversation_id)
        assert [t.state for t in bought.tasks] == [TaskState.DONE]
        assert len(partner_rows(home, food, "SELECT * FROM orders")) == 2


async def test_an_order_of_the_day_named_is_taken_and_none_is_said_so(home: Path) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        none = await take_turn(assistant, "same again")
        assert none.tasks == () and "no earlier order" in none.text
        shown = await take_turn(assistant, "Order me two pizza margherita to the office")
        done = (await take_turn(assistant, "yes", shown.conversation_id)).tasks[0]
        friday = _noon().date() - dt.timedelta(days=(_noon().weekday() - 4) % 7 or 7)
        placed = dt.datetime.combine(friday, dt.time(19, 0)).timestamp()
        assistant.journal.save(dataclasses.replace(done, created_at=placed))
        yesterday = await take_turn(assistant, "das Gleiche wie gestern") if friday != _noon().date() - \
            dt.timedelta(days=1) else None
        asked = await take_turn(assistant, "order what I had last Friday")
        food_rows = partner_rows(home, "gabelpost.food", "SELECT * FROM orders")
    assert yesterday is None or (yesterday.tasks == () and "vom" in yesterday.text)
    assert [(t.intent, t.state) for t in asked.tasks] == [("order_food", TaskState.AWAITING_CONFIRMATION)]
    assert len(food_rows) == 1
