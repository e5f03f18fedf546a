"""Requests the user puts off or only asks about make no card now (split out of ``assistant``): "not yet, buy the usb
cable", "nicht jetzt, storniere die Kinokarten später" (``spoken.deferred``; reread29 M3), "should I get two tickets for
Dune tonight at 8?", "I might get …, not sure yet" (``spoken.wavers``; review30 R30-5), and a request said for later
than now whose capability takes no time of its own: "cancel the pizza later", "storniere die Pizza morgen", "明天再取消
外卖", "order a pizza to the office tomorrow" (``later_said``; reread30 H-4). A card made for them would be carried out
now by the next yes. The words of "later" are language data: put_off.toml."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.clauses import Intent
from tandem.agent.declined import PAUSE, is_form, lead_words, word_lists
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import familiar
from tandem.agent.slots import extract_when, rules_out_today
from tandem.agent.spoken import deferred, later, wavers
from tandem.agent.told import given_up, told
from tandem.agent.toolset import ToolSpec, find_tool
from tandem.agent.understand import Understanding
from tandem.agent.writing import writing

__all__ = ["later_said", "not_now"]

_FILE = Path(__file__).with_name("put_off.toml")
# A delivery wanted this soon is what an order placed now brings (the reference food partner delivers in 40 minutes;
# "in an hour" is said of the same): no later. Beyond it, or on another day, the order is held (reread31 H-8).
_SOON = dt.timedelta(minutes=60)


@cache
def _words() -> dict[str, dict[str, Any]]:
    """put_off.toml per language (``declined.word_lists``)."""
    return word_lists(_FILE)


def not_now(understanding: Understanding, text: str, lang: str, intents: Mapping[str, IntentSpec],
            tools: list[ToolSpec], now: dt.datetime | None = None) -> tuple[Understanding, str | None]:
    """``understanding`` without the requests whose tool commits the user (or is not listed now: fail closed) when
    ``text`` puts them off or only asks or wavers about them, or when the request is said for later than ``now``
    (``later_said``) and its capability has no time of its own filled, or said to come back (``_held``); and what to
    say of those left out (None: none was). A request put off that says the time it is for, where its capability
    takes one, stays ("not now, book two tickets for Dune tomorrow at 8"): the card is for then. Where no request was
    read and ``text`` only tells or asks whether it was done ("did the pizza get cancelled?"), what is said is why
    nothing is done."""
    put_off, doubted = deferred(text), wavers(text)
    unasked = _unasked(text, lang, intents)
    if not understanding.intents:  # no tier read it: say why nothing is done where it only told or asked
        return understanding, _said(lang, "unasked") if unasked else None
    moment = now or dt.datetime.now()
    # today ruled out, read once of the whole text ("…, but not today", "不要今天的"). Also where only a thing of today
    # may be meant ("except today's pepperoni"): telling that from "but not for today's lunch" needs more than the words
    # around the day (reread33 H-4 undid review-lead32 M-2's reading), so the order is held: it fails safe.
    not_today = rules_out_today(text, lang, moment.date())
    kept, why = [], None
    for intent in understanding.intents:
        spec = intents.get(intent.name)
        tool = find_tool(tools, spec.category, spec.tool) if spec is not None else None
        if spec is None or (tool is not None and not tool.transactional):
            kept.append(intent)
            continue
        asking = _asking(intent.text or text, lang, spec, moment)
        held = _held(intent, spec, asking, lang, moment, unasked=unasked, put_off=put_off, doubted=doubted,
                     not_today=not_today)
        if held is None:
            kept.append(intent)
        else:
            why = why or held
    return (understanding, None) if why is None else (replace(understanding, intents=tuple(kept)), why)


def _held(intent: Intent, spec: IntentSpec, asking: str, lang: str, now: dt.datetime, *, unasked: bool,
          put_off: bool, doubted: bool, not_today: bool) -> str | None:
    """Why ``intent``, a request that commits the user, makes no card (None: it makes one): it is not asked for
    (``unasked``), put off or wavered about, said for later than ``now`` in the clauses that ask it (``asking``), or
    said to come back on days a one-off act cannot carry ("two tickets for Dune every Saturday at 8 pm", "order a pizza
    every day": review32 R32-4, even where its capability takes a time: the card would buy one date only). A request
    that says the time it is for, where its capability takes one, keeps its card when only put off ("not now, book two
    tickets for Dune tomorrow at 8")."""
    if unasked:
        return _said(lang, "unasked")
    when, _ = extract_when(asking, now, lang)
    again = when is not None and when.repeat is not None
    timed = spec.when_slot is not None and bool(intent.slots.get(spec.when_slot))
    if put_off or doubted:
        return None if timed and not again and not (doubted and not put_off) else \
            later(lang, "doubted" if doubted else "later")
    if again:
        return _said(lang, "again")
    if timed:
        return None
    return _said(lang, "said") if not_today or later_said(asking, lang, now, undoes=bool(spec.own)) else None


def _unasked(text: str, lang: str, intents: Mapping[str, IntentSpec]) -> bool:
    """Does ``text`` ask for no act of a capability that commits, however a tier or a follow-up read it: it only tells
    or asks whether one was done (``told.told``: "did the pizza get cancelled?", "wurde die Pizza storniert?",
    "外卖被商家取消了", "my colleague always orders a pizza"), or tells of one meant and given up (``told.given_up``:
    "I wanted to cancel the pizza but my boss said no", "本来想点一份饺子，算了"; review31 R31-8 to -11, -16)?"""
    verbs = familiar([s for s in intents.values() if s.transactional], lang)[0] - lead_words(lang)
    return told(text, lang, verbs) or given_up(text, lang, verbs)


def _asking(text: str, lang: str, spec: IntentSpec | None, now: dt.datetime) -> str:
    """The clauses of ``text`` that say a verb ``spec``'s examples open with (not a lead: "I", "ich", "我"), where a
    later time puts the request off; a reason beside it does not ("cancel the tickets, I have to work tomorrow", "点一份
    饺子送到公司，晚点吃": review31 R31-22). A clause that says when the thing is wanted does too (``_when_wanted``).
    ``text`` itself where no clause says one."""
    if spec is None:
        return text
    verbs = familiar([spec], lang)[0] - lead_words(lang)
    spaced = writing(lang).spaced
    parts = [p for p in re.split(PAUSE, text) if p.strip()]
    asking = [p for p in parts if (any(is_form(t, lang, verbs) for t in re.findall(r"[\w'’-]+", p.casefold()))
                                   if spaced else any(v in p for v in verbs))]
    if asking:
        asking += [p for p in parts if p not in asking and _when_wanted(p, lang, now)]
    return " ".join(asking) if asking else text


def _when_wanted(part: str, lang: str, now: dt.datetime) -> bool:
    """Does the clause ``part``, beside a request, say when the thing is wanted: a word of ``wanted`` ("we need it
    tomorrow at noon", "liefern bitte morgen", "明天中午送"), or a time and nothing but words of ``about_time`` ("…,
    tomorrow at noon", "…, am letzten Freitag im Monat", "…，明天中午")? A reason with a time of its own ("I have a
    meeting at 8 tomorrow", "明天还要上班") says neither (reread31 H-8). A time within ``_SOON`` of ``now`` is what an
    order placed now brings ("…, delivery in 30 minutes please", "…，一个小时后送到": reread32 M-3): no later."""
    words, edge = _words().get(lang, {}), writing(lang).edge
    folded = part.casefold()
    when, left = extract_when(part, now, lang)
    if when is not None and when.repeat is None and when.time is not None and \
            dt.timedelta(0) <= dt.datetime.fromisoformat(when.iso) - now <= _SOON:
        return False  # "delivery in 30 minutes please", "wir brauchen sie in 30 Minuten", "一个小时后送到": now
    if any(re.search(edge[0] + re.escape(w) + edge[1], folded) for w in words.get("wanted", ())):
        return True
    rest = re.findall(r"[\w'’]+", left.casefold()) if writing(lang).spaced else [left.strip()] if left.strip() else []
    return when is not None and all(w in words.get("about_time", ()) for w in rest)


def _said(lang: str, what: str) -> str:
    """What the assistant says of a request said for later (put_off.toml ``said``) or not asked for (``unasked``)."""
    return str(_words().get(lang, _words()["en"])[what])


def later_said(text: str, lang: str, now: dt.datetime, *, undoes: bool = False) -> bool:
    """Does ``text`` say its act is for later than ``now``: a word of "later" ("later", "später", "晚点", "今晚"), or a
    date after today or a clock to come (``slots.extract_when``: "tomorrow", "morgen", "明天再", "at 11 pm"), or days
    that come back, which no one-off act carries out ("order a pizza every day from Monday to Friday": reread32)? For an
    undoing (``undoes``) a time said of the thing names which order and puts nothing off: "the tickets for
    tomorrow", "tomorrow's order", "明天的电影票" (``bound_before``/``bound_after``)."""
    words = _words().get(lang)
    if words is None:
        return False
    edge = writing(lang).edge
    said = [found.group(0) for w in words["later"]
            for found in re.finditer(edge[0] + re.escape(w) + edge[1], text, re.IGNORECASE)]
    rest = text
    for _ in range(3):  # a day said of the past ("like last Friday, but tomorrow evening"): the next time said
        when, left = extract_when(rest, now, lang)
        if when is None or not _past(rest, when.text, words, lang):
            break
        rest = left
    else:  # only days of the past said
        when = None
    if when is not None and (when.repeat is not None or when.date > now.date().isoformat() or
                             (when.time is not None and dt.datetime.fromisoformat(when.iso) > now)):
        said.append(when.text)
    return any(not (undoes and _bound(text, time, words["bound_before"], words["bound_after"], lang)) for time in said)


def _past(text: str, said: str, words: Mapping[str, Sequence[str]], lang: str) -> bool:
    """Is the day ``said`` said of the past ("what I had *last* Friday", "wie *letzten* Freitag", "*上周*五"): a
    ``past_before`` word right before it, not itself led by a ``past_not_after`` word ("*the* last Friday of the month"
    is to come; "早上周五", "赶上周五": 上 ends another word, review-lead31 M-3)?"""
    return _bound(text, said, words["past_before"], (), lang, words.get("past_not_after", ()))


def _bound(text: str, said: str, before_words: Sequence[str], after_marks: Sequence[str], lang: str,
           not_after: Sequence[str] = ()) -> bool:
    """Is the time ``said`` within ``text`` led by one of ``before_words`` (itself not led by one of ``not_after``) or
    followed (or ended) by one of ``after_marks``: said of a thing ("for tomorrow", "tomorrow's", "明天的":
    ``bound_before``/``bound_after``) or of the past ("what I had last Friday", "wie letzten Freitag", "上个星期五":
    ``past_before``), not of when to act? Where words are written together (``writing(lang).spaced``) a word before
    may hold the time's start ("上周五": 周五 is read) and the character before it is what leads it."""
    at = text.casefold().find(said.casefold())
    if at < 0:
        return False
    ahead = text[:at].casefold()
    after = text[at + len(said):].casefold().lstrip()
    bound = tuple(after_marks)
    if writing(lang).spaced:
        before = re.findall(r"[\w'’]+", ahead)
        led = bool(before and before[-1] in before_words and not (len(before) > 1 and before[-2] in not_after))
    else:
        joined, edge = ahead.rstrip() + said.casefold(), len(ahead.rstrip())
        starts = [joined.find(w, max(0, edge - len(w) + 1)) for w in before_words]
        led = any(0 <= s < edge and joined[s - 1:s] not in not_after for s in starts)
    return led or (bool(bound) and (after.startswith(bound) or said.casefold().endswith(bound)))
