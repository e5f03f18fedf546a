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
           "老样子，谢谢": (None, ()),
           # traditional characters (reread27 L4): read as their simplified form
           "再來一份": (None, ()), "跟上次一樣": (None, ()), "披薩再來一份": (None, ("披萨",)),
           "老樣子，謝謝": (None, ())},
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
           "披萨再来两份", "再說一遍", "披薩再來兩份"],
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


_WEDNESDAY = dt.datetime(2026, 12, 9, 12, 0)
_LAST_WEEK, _LAST_WEEKEND = ("2026-11-23", "2026-11-29"), ("2026-11-28", "2026-11-29")  # said on _SUNDAY
_WEEKEND, _OTHER_DAY = ("2026-12-05", "2026-12-06"), ("2026-11-22", "2026-12-05")  # said on _SUNDAY
_TWO_WEEKS, _FEW_DAYS = ("2026-11-16", "2026-11-22"), ("2026-11-29", "2026-12-04")

_LOOSE = {  # days said loosely (dialog16, session 25; my own probes) on _SUNDAY -> (first day, last day[, naming])
    "en": {"order what I had last week": _LAST_WEEK, "same as last week please": _LAST_WEEK,
           "get me the same again as last week": _LAST_WEEK,
           "the pizza from last week again": (*_LAST_WEEK, ("pizza",)),
           "order what I had the week before last": _TWO_WEEKS, "order what I had last weekend": _LAST_WEEKEND,
           "same as last weekend": _LAST_WEEKEND, "the same as at the weekend": _WEEKEND,
           "order what I had over the weekend": _WEEKEND,
           "the pizza from the weekend again": (*_WEEKEND, ("pizza",)),
           "order what I had the other day": _OTHER_DAY, "same as the other day": _OTHER_DAY,
           "the same again as a few days ago": _FEW_DAYS,
           "order what I had earlier this week": ("2026-11-30", "2026-12-06"),
           "repeat what I ordered recently": _OTHER_DAY, "same again from the weekend": _WEEKEND,
           "the same like at the weekend please": _WEEKEND},
    "de": {"das Gleiche wie letzte Woche": _LAST_WEEK, "bestell, was ich letzte Woche hatte": _LAST_WEEK,
           "bestell was ich vorletzte Woche hatte": _TWO_WEEKS,
           "die Pizza von letzter Woche nochmal": (*_LAST_WEEK, ("pizza",)),
           "bestell was ich vergangene Woche bestellt hatte": _LAST_WEEK, "das Gleiche wie am Wochenende": _WEEKEND,
           "bestell was ich letztes Wochenende hatte": _LAST_WEEKEND,
           "die Pizza vom Wochenende nochmal": (*_WEEKEND, ("pizza",)),
           "das Gleiche wie am letzten Wochenende": _LAST_WEEKEND, "das Gleiche wie neulich": _OTHER_DAY,
           "bestell, was ich neulich hatte": _OTHER_DAY, "das Gleiche wie vor ein paar Tagen": _FEW_DAYS,
           "das Gleiche wie vorgestern": ("2026-12-04", "2026-12-04"),
           "bestell nochmal, was ich letztens hatte": _OTHER_DAY, "das Gleiche vom Wochenende nochmal": _WEEKEND},
    "zh": {"上周点的再来一份": _LAST_WEEK, "上星期吃的再来一份": _LAST_WEEK, "上上周点的再来一份": _TWO_WEEKS,
           "上周点的披萨再来一份": (*_LAST_WEEK, ("披萨",)), "周末点的再来一份": _WEEKEND,
           "上周末点的再来一份": _LAST_WEEKEND, "周末吃的那个再来一份": _WEEKEND, "前几天点的再来一份": _OTHER_DAY,
           "前两天买的再来一份": ("2026-12-02", "2026-12-05"), "最近点的再来一份": _OTHER_DAY,
           "上周五点的再来一份": ("2026-11-27", "2026-11-27"),  # the Friday of last week, not this week's
           "这周点的再来一份": ("2026-11-30", "2026-12-06"), "上个星期订的再订一次": _LAST_WEEK},
}

_NOT_LOOSE = {  # a loose day, but no reorder of the latest order: a question, a narration, or this/the coming weekend
    "en": ["what did I order last week?", "I ordered a pizza last week", "order the same again at the weekend",
           "same again this weekend", "order pizza for the weekend", "last week was busy",
           "book cinema tickets for next week", "call mom again at the weekend", "order the same again next weekend",
           "same again this week", "the other day I had a pizza", "did I order the same last week?",
           "order the same again at the weekend as well",
           "I'd like the same again this weekend", "order the same from Gabelpost this weekend",
           "I'd like the same again at the weekend", "same again at the weekend from Gabelpost",
           "at the weekend from Gabelpost the same again", "this weekend from Gabelpost the same again"],
    "de": ["was habe ich letzte Woche bestellt?", "das Gleiche nochmal am Wochenende",
           "bestell das Gleiche nochmal nächstes Wochenende", "diese Woche nochmal dasselbe",
           "letzte Woche war ich krank", "ruf Mama am Wochenende nochmal an", "bestell eine Pizza fürs Wochenende",
           "neulich hatte ich eine Pizza", "erinnere mich nächste Woche nochmal",
           "am Wochenende dasselbe nochmal bitte", "nicht das Gleiche wie letzte Woche",
           "das Gleiche nochmal von Gabelpost am Wochenende", "das Gleiche nochmal am Wochenende vom Italiener",
           "am Wochenende vom Italiener nochmal", "das Gleiche nochmal am Wochenende von Gabelpost"],
    "zh": ["上周我点了什么？", "周末再来一份", "这周再来一次", "周末帮我订两张电影票", "上周很忙", "下周再来一份",
           "我上周点了披萨", "前几天我生病了", "周末再点一次", "这周末再来一份", "不要上周点的再来一份",
           "这周末再来一份一样的"],
}


@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_days_said_loosely_name_the_days_they_span(lang: str) -> None:
    """"last week" is the calendar week before this one, "am Wochenende" the latest weekend begun, "last weekend" the
    one of last week, "the other day" a day of the last two weeks: an order placed on any of them is the one."""
    read = {said: said_again(said, _SUNDAY, lang) for said in _LOOSE[lang]}
    assert {said: (found.day, found.until or found.day, *((found.naming,) if found.naming else ())) if found else None
            for said, found in read.items()} == _LOOSE[lang]


@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_a_loose_day_without_a_reorder_or_maybe_ahead_is_none(lang: str) -> None:
    assert {said: found for said in _NOT_LOOSE[lang] if (found := said_again(said, _SUNDAY, lang))} == {}
    assert {said: found for said in _NOT_LOOSE[lang] if (found := said_again(said, _WEDNESDAY, lang))} == {}


def test_the_weekend_said_midweek_is_the_last_one_and_this_friday_is_none_yet() -> None:
    on_wednesday = {said: said_again(said, _WEDNESDAY, lang) for said, lang in [
        ("das Gleiche wie am Wochenende", "de"), ("same as last weekend", "en"), ("周末点的再来一份", "zh"),
        ("order what I had last week", "en"), ("这周五点的再来一份", "zh")]}
    assert {said: found and (found.day, found.until) for said, found in on_wednesday.items()} == {
        "das Gleiche wie am Wochenende": _WEEKEND, "same as last weekend": _WEEKEND, "周末点的再来一份": _WEEKEND,
        "order what I had last week": ("2026-11-30", "2026-12-06"), "这周五点的再来一份": None}


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


@pytest.mark.parametrize(("region", "first", "yes", "again", "food"), [
    ("DE", "Bestell mir zwei Pizza Margherita ins Büro", "ja", "das Gleiche nochmal", "gabelpost.food"),
    ("DE", "Order me two pizza margherita to the office", "yes", "same again", "gabelpost.food"),
    ("CN", "帮我点两份披萨送到办公室", "好的", "再来一份", "kuaisong.food"),
    ("CN", "幫我點兩份餃子送到辦公室", "好的", "再來一份", "kuaisong.food"),  # traditional (reread27 L4)
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


async def test_an_order_of_last_week_is_taken_and_none_at_the_weekend_is_said_so(home: Path) -> None:
    """Days said loosely end to end: an order placed on last week's Wednesday is prepared anew for "order what I had
    last week" (nothing bought before the yes); "das Gleiche wie am Wochenende" names no order of the user's."""
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        shown = await take_turn(assistant, "Order me two pizza margherita to the office")
        done = (await take_turn(assistant, "yes", shown.conversation_id)).tasks[0]
        wednesday = _noon().date() - dt.timedelta(days=_noon().weekday() + 5)
        assistant.journal.save(dataclasses.replace(
            done, created_at=dt.datetime.combine(wednesday, dt.time(19, 0)).timestamp()))
        weekend = await take_turn(assistant, "das Gleiche wie am Wochenende")
        asked = await take_turn(assistant, "order what I had last week")
        food_rows = partner_rows(home, "gabelpost.food", "SELECT * FROM orders")
    assert weekend.tasks == () and "keine Bestellung von dir vom" in weekend.text
    assert [(t.intent, t.state) for t in asked.tasks] == [("order_food", TaskState.AWAITING_CONFIRMATION)]
    assert asked.tasks[0].call is not None and done.call is not None
    assert asked.tasks[0].call.summary == done.call.summary and len(food_rows) == 1


@pytest.mark.parametrize(("said", "lang", "partner"), [
    ("das Gleiche nochmal", "de", None), ("my usual", "en", None), ("老样子", "zh", None),
    ("das Gleiche nochmal bei Nochmal Lecker", "de", "nochmal.food"),
    ("the usual from Usual Suspects", "en", "usual.food"), ("老样子，换老样子餐饮送", "zh", "laoyangzi.food"),
])
def test_a_partner_named_like_a_reorder_phrase_leaves_the_phrase_a_reorder(said: str, lang: str,
                                                                          partner: str | None) -> None:
    """reread27 L1: a partner whose name begins with a reorder phrase's word ("Nochmal Lecker", "Usual Suspects",
    "老样子餐饮") took that word out of the phrase, so "das Gleiche nochmal" was no reorder for its users. A name within
    a phrase said is that phrase; the name said whole is the partner."""
    names = {"nochmal": "nochmal.food", "nochmal lecker": "nochmal.food", "usual": "usual.food",
             "usual suspects": "usual.food", "老样子": "laoyangzi.food", "老样子餐": "laoyangzi.food",
             "老样子餐饮": "laoyangzi.food"}
    again = said_again(said, _SUNDAY, lang, partners=names)
    assert again is not None and again.naming == () and again.partner == partner
