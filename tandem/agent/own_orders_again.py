"""The user's order again: "same again", "das Gleiche nochmal", "再来一份", "order what I had last Friday".

A turn is a reorder only when all of it is said by ``own_orders.toml`` [<lang>.again] (a phrase of ``said``, words
that may come along), a day or days ("last Friday", "gestern", "上周五", "last week", "am Wochenende", "前几天"), and
words naming one of the user's orders ("the pizza again"); anything else ("call mom again", "what did I have on
Friday?") is read as before. The order is taken from the user's own committed tasks (``Journal.own_history``: never
another client's), the latest of those placed on the days named and named by the words said; its capability's request
is made again with the same values (the same dishes, the same count, the same place), and the partner prepares it
anew: nothing is bought without the user's yes to exactly the new call (the confirmation gate). With no such order the
assistant says so, and nothing is done.

An order is a committed task (its call commits the user) of a capability that is no follow-up on orders (a
cancellation or a refund is never repeated: its manifest reads ``own_order``).

A reorder may name a partner the user has installed ("das Gleiche nochmal bei Lieferblitz", "same again but from
Lieferblitz", "再来一份，换飞快送"): the partner as its manifest names it (``partner_names``: the first words of its
name, the first characters of a name in Han characters, the first label of its id), never a list here. The order is then
prepared at that partner, whose name its card shows, when it offers the order's capability (else the reply says it
does not, and nothing is done); whether it has the same dishes its own answer tells, as for any order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from tandem.agent.asking import PENDING
from tandem.agent.assistant import Assistant
from tandem.agent.clauses import Intent
from tandem.agent.intents import IntentSpec
from tandem.agent.own_orders import Order, texts
from tandem.agent.reply import Reply
from tandem.agent.slots import detect_language, extract_when, parse_count
from tandem.agent.spoken import asks, negated, when_said
from tandem.agent.tasks import EARLIER_PARTNER, Task, TaskState
from tandem.agent.toolset import ToolSpec
from tandem.agent.understand import Understanding
from tandem.privacy.dictionaries import stop_words
from tandem.text import HAN, simplified

__all__ = ["Again", "anew", "order_again", "partner_moved", "partner_names", "said_again"]

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_\u3400-\u9fff\uf900-\ufaff]+(?:['’-][^\W\d_]+)?|\d+")
_NAMING = 3  # words naming the order beside the phrases ("the pizza from Gabelpost"); more: a request of its own
# a task's slots that were its questions, not its order (and the partner it went to, taken from its call)
_KEPT_OUT = (PENDING, "choices?", "unsure?", "erred?", EARLIER_PARTNER)


@dataclass(frozen=True)
class Again:
    """A turn asking for an earlier order again."""

    day: str | None  # the ISO date the order was placed that the turn names ("last Friday"); None: any day
    naming: tuple[str, ...]  # the words that name the order ("pizza", "披萨"); empty: the latest order
    # the last ISO date of the days named when they are more than one ("last week", "am Wochenende", "the other day":
    # from ``day`` to this one); None: ``day`` alone
    until: str | None = None
    partner: str | None = None  # the service id of the partner the turn names ("bei Lieferblitz"); None: none named

    def takes(self, placed: str) -> bool:
        """Was an order placed on ``placed`` (an ISO date) on the days the turn names?"""
        return self.day is None or self.day <= placed <= (self.until or self.day)


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


def said_again(text: str, now: dt.datetime, lang: str | None = None, *,
               partners: Mapping[str, str] | None = None) -> Again | None:
    """The reorder ``text`` asks for, or None when it is none (it must say a phrase of ``said`` and nothing but
    the phrases, a day, and words naming an order; a phrase of ``said_with`` only beside an ordering verb or such
    words), and never a question ("again?"). ``partners``: the names of the partners the user has (``partner_names``)
    one of which the turn may name, with the words of ``partner_with`` ("bei", "换", "but this time")."""
    text = simplified(text)  # the phrases are written simplified: '再來一份' is '再来一份' (reread27 L4)
    lang = lang or detect_language(text)
    table = _table(lang)
    if not table or asks(text):
        return None
    partner, text = _partner_said(text, partners or {}, [*table.get("said", ()), *table.get("said_with", ())])
    if partner is not None and (asking := table.get("partner_asks")) and \
            not any(re.search(_phrase(word), text, flags=re.IGNORECASE) for word in asking):
        return None  # "上次那份在筷送点的": where it was ordered, a statement (reread27 M3)
    loose = _loose_days(text, now, lang, table)
    if loose is None:
        return None  # "order the same again at the weekend": maybe the coming one (read as before)
    text, span = loose
    when, rest, back = _said_day(text, now, lang, table.get("back", ()))
    words, phrases = _words(rest), _phrases(lang) if partner is None else {**_with_partner(lang), **_phrases(lang)}
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
    days = _days(when, span, back or "back" in kinds, now)
    if days is None:
        return None  # "last week on Friday" said of a Friday that is not in it
    day, until = days
    asked = "said" in kinds or ("said_with" in kinds and ("verbs" in kinds or bool(naming) or day is not None))
    if not asked or (day is not None and day > now.date().isoformat()):
        return None  # "order the same again for tomorrow": not an order placed then (read as before)
    if len(naming) > _NAMING or any(parse_count(c) is not None for word in naming
                                        for c in [word, *(word if HAN.match(word) else ())]):
        return None  # "点一份披萨再来一杯可乐": a request of its own that says what and how many
    if any(negated(word) for word in naming):
        return None  # "不要再来一份", "not the same again" (reread24 L4)

    return Again(day, tuple(naming), until if until != day else None, partner)


@cache
def _with_partner(lang: str) -> dict[tuple[str, ...], str]:
    """The words that may come along with a partner's name (own_orders.toml [<lang>.again] ``partner_with``)."""
    return {tuple(_words(p)): "partner" for p in _table(lang).get("partner_with", ())}


def partner_names(tools: Iterable[ToolSpec]) -> dict[str, str]:
    """How the user may name each partner offering ``tools`` (a name as said, case-folded → its service id), from
    what its manifest says: its name's first word and the words after it ("gabelpost", "gabelpost lieferdienst"),
    a name in Han characters by its first two characters or more ("筷送", "筷送科技"), the first label of its id
    ("lieferblitz" of "lieferblitz.food"). A name two partners share names neither; a function word ("the") none."""
    said: dict[str, set[str]] = {}
    function_words = stop_words("en", "de", "zh")
    for tool in tools:
        name, label = tool.partner.casefold().strip(), tool.service_id.split(".")[0].casefold()
        words = name.split()
        if name and HAN.match(name):
            run = re.match(r"[\u3400-\u9fff\uf900-\ufaff]+", name)
            names = [run.group()[:n] for n in range(2, len(run.group()) + 1)] if run else []
        else:
            names = [" ".join(words[:n]) for n in range(1, len(words) + 1)] if words else []
        names.append(label)
        for found in names:
            if len(found) >= (2 if HAN.match(found) else 4) and found not in function_words:
                said.setdefault(found, set()).add(tool.service_id)
    return {found: next(iter(ids)) for found, ids in said.items() if len(ids) == 1}


def _partner_said(text: str, partners: Mapping[str, str], phrases: Iterable[str] = ()) -> tuple[str | None, str]:
    """The service id of the partner ``text`` names (the longest name found) and the text without that name; (None,
    ``text``) when it names none. A name in Latin letters is found between non-letters (also beside Han characters:
    "换Lieferblitz送"). A name found within one of the reorder ``phrases`` said is that phrase, no partner (a partner
    named "Nochmal …" and "das Gleiche nochmal", "老样子餐饮" and "老样子": reread27 L1)."""
    said = [m.span() for p in phrases for m in re.finditer(_phrase(p), text, flags=re.IGNORECASE)]
    for name in sorted(partners, key=len, reverse=True):
        pattern = re.escape(name) if HAN.match(name) else \
            rf"(?<![^\W_\u3400-\u9fff\uf900-\ufaff]){re.escape(name)}(?![^\W_\u3400-\u9fff\uf900-\ufaff])"
        found = next((m for m in re.finditer(pattern, text, flags=re.IGNORECASE)
                      if not any(start <= m.start() and m.end() <= end for start, end in said)), None)
        if found:
            return partners[name], f"{text[:found.start()]} {text[found.end():]}"
    return None, text


def _loose_days(text: str, now: dt.datetime, lang: str,
                table: dict[str, Any]) -> tuple[str, tuple[dt.date, ...]] | None:
    """``text`` without the days it names as days ago or loosely ("yesterday", "the other day", "letzte Woche", "am
    Wochenende", "上周"), and the first and last of those days (empty: none named so). Of a phrase that begins a day
    said exactly only the words before that day go ("上周五": "周五", a Friday within last week). None for this week or
    weekend said without a word of ``past`` (the coming weekend, maybe: "das Gleiche nochmal am Wochenende")."""
    today = now.date()
    spans = {said: (_span(kind, value, today), kind != "days_back" and not value)
             for kind in ("days_back", "weeks_back", "weekends_back") for said, value in table.get(kind, {}).items()}
    exact, _ = extract_when(text, now, lang)
    at = text.find(exact.text) if exact is not None else -1
    for said in sorted(spans, key=len, reverse=True):
        found = re.search(_phrase(said), text, flags=re.IGNORECASE)
        if not found:
            continue
        span, ahead = spans[said]
        if ahead and not _tied(text, found, table.get("past", ()), table.get("past_before", ())):
            return None
        if exact is not None and found.start() <= at < found.end() < at + len(exact.text):
            return f"{text[:found.start()]}{text[at:]}", span
        return f"{text[:found.start()]} {text[found.end():]}", span
    return text, ()


def _tied(text: str, found: re.Match[str], past: Iterable[str], only_before: Iterable[str]) -> bool:
    """Whether a word of ``past`` stands right before or right after the days ``found`` ("what I had at the weekend",
    "周末点的"): one elsewhere in the sentence says nothing of those days ("I'd like the same again this weekend",
    "das Gleiche von Gabelpost am Wochenende": review reread25 M3). A word of ``only_before`` ties them only before:
    after them it says where from ("das Gleiche nochmal am Wochenende vom Italiener", "… at the weekend from X")."""
    before, after = text[:found.start()].rstrip(), text[found.end():].lstrip()
    after_only = set(past) - set(only_before)
    return any(re.search(f"{_phrase(word)}$", before, flags=re.IGNORECASE) for word in past) or \
        any(re.match(_phrase(word), after, flags=re.IGNORECASE) for word in after_only)


def _phrase(said: str) -> str:
    """A pattern finding ``said`` in a text: as whole words, or as characters within a run of them."""
    return re.escape(said) if HAN.search(said) else rf"\b{re.escape(said)}\b"


def _span(kind: str, value: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a loose day of ``kind`` names (own_orders.toml [<lang>.again]), never after today:
    ``days_back`` N days ago or [from, to] days ago; ``weeks_back`` the calendar week (Monday to Sunday) N weeks
    before this one; ``weekends_back`` that week's Saturday and Sunday, or the one before while it has not begun."""
    if kind == "days_back":
        near, far = (value, value) if isinstance(value, int) else value
        return today - dt.timedelta(days=int(far)), today - dt.timedelta(days=int(near))
    monday = today - dt.timedelta(days=today.weekday() + 7 * int(value))
    if kind == "weeks_back":
        return monday, min(monday + dt.timedelta(days=6), today)
    saturday = monday + dt.timedelta(days=5)
    if saturday > today:
        saturday -= dt.timedelta(days=7)
    return saturday, min(saturday + dt.timedelta(days=1), today)


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


def _days(when: Any, span: tuple[dt.date, ...], back: bool,
          now: dt.datetime) -> tuple[str | None, str | None] | None:
    """The first and last day named (ISO dates; (None, None): any day): the days said loosely, or a day read (a
    weekday after ``back``, "last Friday", the one before today), or that day within the days said loosely ("letzte
    Woche Freitag"); None when it is not among them."""
    if when is None:
        return (span[0].isoformat(), span[1].isoformat()) if span else (None, None)
    day = dt.date.fromisoformat(when.date)
    latest = span[1] if span else now.date() - dt.timedelta(days=1) if back else None
    while latest is not None and day > latest:
        day -= dt.timedelta(days=7)
    return None if span and day < span[0] else (day.isoformat(), day.isoformat())


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
    waiting for the user's yes; at the partner the turn names, when it names one that offers it), or what says there is
    none; None when ``text`` asks for no order again. Said while a question of the conversation waits, it answers
    that question (``_to_question``) unless it names an order of another kind ("the pizza again"): that one is made
    beside it."""
    lang = detect_language(text)
    tools = await assistant.tools()
    again = said_again(text, assistant.clock(), lang, partners=partner_names(tools))
    if again is None:
        return None
    asked = assistant.question(conversation_id) if conversation_id else None
    conversation_id = assistant.journal.conversation(conversation_id, lang)
    found = [t for t in _orders(assistant, conversation_id) if again.takes(_placed_on(t)) and _named(t, again.naming)]
    if not found and again.naming:
        return None  # "order a pizza again" with no pizza ordered before: a request of its own, read as before
    table = _table(lang) or _table("en")
    same = [t for t in found if t.intent == asked.intent] if asked is not None else []
    if asked is not None and (same or not again.naming):
        # naming no order ("same as last time" to "How many tickets?"), it is said of the asking kind only: its latest
        # order answers, or there is none (review27 R27-2, reread27 H1: never another kind's card a "yes" then buys)
        return await _to_question(assistant, asked, text, same[-1] if same else None, table, again.partner, tools)
    if found and again.partner is not None:
        offered = [t for t in found if _offers(assistant, tools, again.partner, t)]
        if not offered:  # "same again from Korbwerk" of a food order: that partner takes no such order
            said = table["not_offered"].format(partner=_partner_name(tools, again.partner))
            return _said(assistant, conversation_id, text, said)
        found = offered
    if not found:
        first, last = (when_said(day, lang) if day else "" for day in (again.day, again.until))  # "3 December"
        return _said(assistant, conversation_id, text,
                     table["none_days"].format(first=first, last=last) if again.until else
                     table["none_day"].format(day=first) if again.day else table["none"])
    reply = await assistant.ask(text, conversation_id, understanding=anew([found[-1]], lang, text, again.partner),
                                request_key=request_key, keep_profile=keep_profile)
    return await partner_moved(assistant, reply, [found[-1]], again.partner)


async def _to_question(assistant: Assistant, asked: Task, text: str, earlier: Task | None, table: dict[str, Any],
                       partner: str | None, tools: list[ToolSpec]) -> Reply:
    """A reorder said while ``asked``'s question waits ("das Gleiche nochmal", "wie letztes Mal", "和上次一样" to "Wohin
    soll es geliefert werden?"): never the question's value as words. Said of an ``earlier`` order of the asking
    capability (its latest) it answers with that order's value ("the same as last time": its place, its dish), at the
    ``partner`` the turn names if it names one that offers it (else the reply says that partner does not, and asks
    again); without such an order, or when it has no such value, the reply says so and asks the question again. A
    reorder naming an order of another kind ("the pizza again" to the cinema's "For when?") is none of this: it is
    made beside the question (``order_again``)."""
    slot = asked.missing or ""
    if earlier is None:
        return assistant.told(asked, text, table["none"])
    if partner is not None and not _offers(assistant, tools, partner, asked):
        return assistant.told(asked, text, table["not_offered"].format(partner=_partner_name(tools, partner)))
    if slot in assistant.intents[asked.intent].slots and earlier.slots.get(slot) not in (None, "", []):
        return await assistant.fill(asked, {slot: earlier.slots[slot],
                                            **({EARLIER_PARTNER: partner} if partner else {})}, text)
    return assistant.told(asked, text, table["not_said"])


def _offers(assistant: Assistant, tools: list[ToolSpec], service_id: str, task: Task) -> bool:
    """Does the partner ``service_id`` offer the capability ``task`` was made by?"""
    spec = assistant.intents[task.intent]
    return any(t.service_id == service_id and t.tool == spec.tool and spec.category in t.categories for t in tools)


def _partner_name(tools: Iterable[ToolSpec], service_id: str) -> str:
    """The name the partner ``service_id`` gives itself (its manifest's), else its id."""
    return next((t.partner for t in tools if t.service_id == service_id and t.partner), service_id)


def _said(assistant: Assistant, conversation_id: str, text: str, said: str) -> Reply:
    """The turn that does nothing and says ``said``."""
    assistant.journal.add_turn(conversation_id, "user", text)
    turn = assistant.journal.add_turn(conversation_id, "assistant", said)
    return Reply(conversation_id, None, (), said, turn)


def anew(tasks: list[Task], lang: str, text: str | None = None, partner: str | None = None) -> Understanding:
    """The request that makes ``tasks`` again with the values they were made with (not their questions' slots), as
    said in ``text`` (None: each task's own words), each at the partner it went to (``EARLIER_PARTNER``), or at the
    ``partner`` the user named (a service id)."""
    def slots(task: Task) -> dict[str, Any]:
        kept = {k: v for k, v in task.slots.items() if not k.startswith(_KEPT_OUT)}
        at = partner or (task.call.service_id if task.call is not None else None)
        return kept if at is None else {**kept, EARLIER_PARTNER: at}

    return Understanding(tuple(Intent(t.intent, slots(t), t.text if text is None else text) for t in tasks),
                         "fast", 1.0, lang)


async def partner_moved(assistant: Assistant, reply: Reply, earlier: list[Task], partner: str | None = None) -> Reply:
    """``reply`` to a request that made ``earlier`` tasks anew (``anew``), said first that a partner one of them went
    to (or the ``partner`` the user named) is not offered to the user now (uninstalled, out of their region,
    unreachable): the task made anew goes to the partner the user prefers now, named here and on its card, and waits
    for a yes as any order. As it was when every partner is still offered."""
    tools = await assistant.tools()
    offered = {t.service_id for t in tools}
    lines = []
    for before in earlier:
        wanted = partner or (before.call.service_id if before.call is not None else None)
        # the task made from it (``anew``): never one the reply moved besides (an open question answered)
        now = next((t for t in reply.tasks if wanted is not None and t.intent == before.intent
                    and t.slots.get(EARLIER_PARTNER) == wanted), None)
        if now is None or wanted is None or before.call is None or (wanted in offered and (
                now.call is None or now.call.service_id == wanted)):
            continue
        table = _table(now.language) or _table("en")
        old = (before.call.summary.get("partner") or wanted) if wanted == before.call.service_id else \
            _partner_name(tools, wanted)
        if now.call is not None and now.call.service_id != wanted:
            lines.append(table["moved"].format(old=old, new=now.call.summary.get("partner") or now.call.service_id))
        else:
            lines.append(table["gone"].format(old=old))
    if not lines:
        return reply
    text = "\n".join([*lines, reply.text])
    if reply.turn is not None:
        assistant.journal.retell_turn(reply.turn, text)
    return replace(reply, text=text)
