"""The user's order again: "same again", "das Gleiche nochmal", "再来一份", "order what I had last Friday".

A turn is a reorder only when all of it is said by ``own_orders.toml`` [<lang>.again] (a phrase of ``said``, words
that may come along), a day ("last Friday", "gestern", "上周五"), and words naming one of the user's orders ("the pizza
again"); anything else ("call mom again", "what did I have on Friday?") is read as before. The order is taken from the
user's own committed tasks (``Journal.own_history``: never another client's), the latest of those placed on the day
named and named by the words said; its capability's request is made again with the same values (the same dishes, the
same count, the same place), and the partner prepares it anew: nothing is bought without the user's yes to exactly
the new call (the confirmation gate). With no such order the assistant says so, and nothing is done.

An order is a committed task (its call commits the user) of a capability that is no follow-up on orders (a
cancellation or a refund is never repeated: its manifest reads ``own_order``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tandem.agent.asking import PENDING
from tandem.agent.assistant import Assistant
from tandem.agent.clauses import Intent
from tandem.agent.intents import IntentSpec
from tandem.agent.own_orders import Order, texts
from tandem.agent.reply import Reply
from tandem.agent.slots import detect_language, extract_when, parse_count
from tandem.agent.spoken import asks, negated
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tandem.text import HAN

__all__ = ["Again", "order_again", "said_again"]

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_\u3400-\u9fff\uf900-\ufaff]+(?:['’-][^\W\d_]+)?|\d+")
_NAMING = 3  # words naming the order beside the phrases ("the pizza from Gabelpost"); more: a request of its own
_KEPT_OUT = (PENDING, "choices?", "unsure?", "erred?")  # a task's slots that were its questions, not its order


@dataclass(frozen=True)
class Again:
    """A turn asking for an earlier order again."""

    day: str | None  # the ISO date the order was placed that the turn names ("last Friday"); None: any day
    naming: tuple[str, ...]  # the words that name the order ("pizza", "披萨"); empty: the latest order


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


@cache
def _table(lang: str) -> dict[str, Any]:
    """own_orders.toml [<lang>.again]; empty for a language without one."""
    found: Any = texts().get(lang, {})
    return dict(found.get("again", {}))


@cache
def _phrases(lang: str) -> dict[tuple[str, ...], str]:
    """The language's again phrases as words → "said" / "said_with" / "verbs" / "also" / "back"."""
    table = _table(lang)
    kinds = ("also", "verbs", "back", "said_with", "said")
    return {tuple(_words(p)): kind for kind in kinds for p in table.get(kind, ())}


def said_again(text: str, now: dt.datetime, lang: str | None = None) -> Again | None:
    """The reorder ``text`` asks for, or None when it is none (it must say a phrase of ``said`` and nothing but
    the phrases, a day, and words naming an order; a phrase of ``said_with`` only beside an ordering verb or such
    words), and never a question ("again?")."""
    lang = lang or detect_language(text)
    table = _table(lang)
    if not table or asks(text):
        return None
    text, ago = _days_back(text, table.get("days_back", {}))
    when, rest, back = _said_day(text, now, lang, table.get("back", ()))
    words, phrases = _words(rest), _phrases(lang)
    longest = max(map(len, phrases), default=1)
    kinds: list[str] = []
    naming: list[str] = []
    at = 0
    while at < len(words):
        size = next((n for n in range(min(longest, len(words) - at), 0, -1) if tuple(words[at:at + n]) in phrases), 0)
        if size:
            kinds.append(phrases[tuple(words[at:at + size])])
            at += size
            continue
        if naming and HAN.match(words[at]) and HAN.match(naming[-1]) and kinds and kinds[-1] == "name":
            naming[-1] += words[at]  # a run of characters names as one word ("披萨")
        else:
            naming.append(words[at])
        kinds.append("name")
        at += 1
    day = _day(when, ago, back or "back" in kinds, now)
    asked = "said" in kinds or ("said_with" in kinds and ("verbs" in kinds or bool(naming) or day is not None))
    if not asked or (day is not None and day > now.date().isoformat()):
        return None  # "order the same again for tomorrow": not an order placed then (read as before)
    if len(naming) > _NAMING or any(parse_count(c) is not None for word in naming
                                        for c in [word, *(word if HAN.match(word) else ())]):
        return None  # "点一份披萨再来一杯可乐": a request of its own that says what and how many
    if any(negated(word) for word in naming):
        return None  # "不要再来一份", "not the same again" (reread24 L4)

    return Again(day, tuple(naming))


def _days_back(text: str, days: dict[str, int]) -> tuple[str, int | None]:
    """``text`` without a day said as days ago ("yesterday", "gestern", "昨天"), and how many days that is."""
    for said, ago in sorted(days.items(), key=lambda d: -len(d[0])):
        pattern = re.escape(said) if HAN.search(said) else rf"\b{re.escape(said)}\b"
        if re.search(pattern, text, flags=re.IGNORECASE):
            return re.sub(pattern, " ", text, count=1, flags=re.IGNORECASE), int(ago)
    return text, None


def _said_day(text: str, now: dt.datetime, lang: str, back: list[str]) -> tuple[Any, str, bool]:
    """The day ``text`` says (``slots.extract_when``), the rest of it, and whether a ``back`` word said right before
    the day puts it in the past ("was ich letzten Freitag hatte": the rest "was ich hatte", not "was ich letzten
    hatte")."""
    when, rest = extract_when(text, now, lang)
    at = text.find(when.text) if when is not None else -1
    if when is None or at < 0:
        return when, rest, False
    before, after = text[:at].rstrip(), text[at + len(when.text):]
    for word in sorted(back, key=len, reverse=True):
        if before.casefold().endswith(word) and (HAN.match(word) or not before[-len(word) - 1:-len(word)].isalpha()):
            return when, f"{before[:-len(word)]} {after}", True
    return when, rest, False


def _day(when: Any, ago: int | None, back: bool, now: dt.datetime) -> str | None:
    """The day named: days ago, or a day read (a weekday after ``back``, "last Friday", the one before today)."""
    if ago is not None:
        return (now.date() - dt.timedelta(days=ago)).isoformat()
    if when is None:
        return None
    day = dt.date.fromisoformat(when.date)
    while back and day >= now.date():
        day -= dt.timedelta(days=7)
    return day.isoformat()


def _orders(assistant: Assistant, conversation_id: str) -> list[Task]:
    """The user's committed orders, oldest first: done tasks whose call committed them, of capabilities that are no
    follow-up on an order."""
    intents: dict[str, IntentSpec] = assistant.intents
    return [t for t in assistant.journal.own_history(conversation_id)
            if t.state == TaskState.DONE and t.call is not None and t.call.transactional
            and t.intent in intents and not intents[t.intent].own]


def _placed_on(task: Task) -> str:
    return dt.datetime.fromtimestamp(task.created_at).date().isoformat()


def _named(task: Task, naming: tuple[str, ...]) -> bool:
    """Does every word said beside the phrases name the order (a word of what the user confirmed)?"""
    order = Order(str(task.result.get("order_id") or task.id) if isinstance(task.result, dict) else task.id, task)
    return all(order.says(word) for word in naming)


async def order_again(assistant: Assistant, text: str, conversation_id: str | None, *,
                      request_key: str | None = None, keep_profile: bool = True) -> Reply | None:
    """The turn for ``text`` when it asks for an earlier order again: that order's request made anew (its tasks
    waiting for the user's yes), or what says there is none; None when ``text`` asks for no order again, or a
    question of the conversation's waits for its answer (the turn may be that)."""
    lang = detect_language(text)
    again = said_again(text, assistant.clock(), lang)
    if again is None or (conversation_id and any(t.state == TaskState.NEEDS_INFO
                                                 for t in assistant.tasks(conversation_id))):
        return None
    conversation_id = assistant.journal.conversation(conversation_id, lang)
    found = [t for t in _orders(assistant, conversation_id)
             if (again.day is None or _placed_on(t) == again.day) and _named(t, again.naming)]
    if not found and again.naming:
        return None  # "order a pizza again" with no pizza ordered before: a request of its own, read as before
    if not found:
        assistant.journal.add_turn(conversation_id, "user", text)
        table = _table(lang) or _table("en")
        said = table["none_day"].format(day=again.day) if again.day else table["none"]
        turn = assistant.journal.add_turn(conversation_id, "assistant", said)
        return Reply(conversation_id, None, (), said, turn)
    last = found[-1]
    slots = {k: v for k, v in last.slots.items() if not k.startswith(_KEPT_OUT)}
    understanding = Understanding((Intent(last.intent, slots, text),), "fast", 1.0, lang)
    return await assistant.ask(text, conversation_id, understanding=understanding, request_key=request_key,
                               keep_profile=keep_profile)
