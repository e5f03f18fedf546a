"""Clauses: where a sentence that holds several requests is cut, and which clauses are no request of their own.

"Order me a pizza to the office and book two tickets for Dune" is two requests, one per clause. A clause whose
free text only points back ("buy me a toaster and get *it* delivered home"), only counts ("我想去看周杰伦的演唱会，
帮我买两张票") or names nothing at all while asking for the same thing again ("buy tickets for the Coldplay concert
and buy me two tickets") adds its values to the request before it instead. The cuts are language data
(clause_words.toml); what points back or counts is ``tandem.agent.ground``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from tandem.agent.ground import count_in, names_nothing, refers_back
from tandem.agent.intents import IntentSpec
from tandem.agent.templates import COUNT_WORDS
from tandem.agent.words import CLAUSE_WORDS, alternatives, load
from tandem.agent.writing import writing

__all__ = ["Intent", "cut", "dictating", "grouped", "join", "same_request"]


@dataclass(frozen=True)
class Intent:
    """One thing the user asked for."""

    name: str  # an IntentSpec name, e.g. "order_food"
    slots: dict[str, Any]  # normalised values: counts as int, "when" as ISO text, places as "office"/"home"/words
    text: str  # the words it was read from
    spans: dict[str, str] = field(default_factory=dict)  # slot -> the words it was read from, as said
    weight: int = 1000  # fast tier: how many characters the template spelled out itself (few: a weak match)
    loose: bool = False  # fast tier: the template also reads sentences learned as something else (a guess too)
    framed: bool = False  # fast tier: read after a frame said first ("add to my calendar: …", tandem.agent.framed)


@dataclass(frozen=True)
class _Cuts:
    """A language's cuts: where a sentence is cut, the marks a cut after a pause begins with, the words after
    which a to-do or a note is dictated and the cut words it runs on over without a pause (clause_words.toml)."""

    where: re.Pattern[str]
    pauses: str
    dictated: re.Pattern[str] | None
    runs_on: frozenset[str]


@cache
def _cuts() -> dict[str, _Cuts]:
    data = load(CLAUSE_WORDS)
    found = {}
    for lang in data["words"].keys() | data["pauses"].keys():
        words = alternatives(data["words"].get(lang, ()))
        marks = data["pauses"].get(lang, [])
        pauses = "".join(re.escape(p) for p in marks)
        dictated = alternatives(data.get("dictated", {}).get(lang, ()))
        opens = alternatives(data.get("opens", {}).get(lang, ()))
        spaced = writing(lang).spaced
        after = (f"(?:{opens})?" if not spaced else f"(?:(?:{opens}) )?") if opens else ""
        found[lang] = _Cuts(re.compile(f"[{pauses}]?(?:{words})|[{pauses}]{after}" if not spaced else
                                       f",? (?:{words}) |[{pauses}] {after}", re.IGNORECASE),
                            "".join(marks) + ("" if not spaced else ","),
                            re.compile(dictated if not spaced else rf"\b(?:{dictated})\b", re.IGNORECASE)
                            if dictated else None,
                            frozenset(w.casefold() for w in data.get("runs_on", {}).get(lang, ())))
    return found


def cut(text: str, lang: str) -> list[str]:
    """``text`` cut where it may hold another request (a language without words of its own is cut as English);
    a dictated to-do or note runs on over the ``runs_on`` words said without a pause."""
    text = text.strip()
    return [text[start:end] for start, end in _pieces(text, lang)]


def _pieces(text: str, lang: str) -> list[tuple[int, int]]:
    """Where each piece ``cut`` cuts ``text`` into begins and ends."""
    cuts = _cuts().get(lang, _cuts()["en"])
    parts, start = [], 0
    for at in cuts.where.finditer(text):
        said = at.group()
        if cuts.dictated is not None and said[:1] not in cuts.pauses and said.strip().casefold() in cuts.runs_on \
                and cuts.dictated.search(text, 0, at.start()):
            continue
        parts.append((start, at.start()))
        start = at.end()
    return [(a, b) for a, b in [*parts, (start, len(text))] if text[a:b].strip()]


def dictating(text: str, lang: str) -> bool:
    """Does ``text`` open with the words after which the user dictates a to-do or a note ("remind me", "提醒我")?"""
    cuts = _cuts().get(lang)
    return cuts is not None and cuts.dictated is not None and cuts.dictated.match(text.strip()) is not None


def grouped(text: str, lang: str, alone: Callable[[str], bool]) -> list[str]:
    """``text`` cut into its requests: the pieces ``cut`` finds, where a piece that is no request ``alone`` stays
    with the one before it, as said ("order fish and chips to the office and remind me to call mom": "chips to the
    office" is no request, so the first request is "order fish and chips to the office"), and a first or last piece
    that is none with the one beside it. One piece, the whole text, when no two are requests alone."""
    text, known = text.strip(), {}

    def reads(start: int, end: int) -> bool:
        if (start, end) not in known:
            known[(start, end)] = alone(text[start:end])
        return known[(start, end)]

    groups: list[tuple[int, int]] = []
    for start, end in _pieces(text, lang):
        if groups and not (reads(start, end) and reads(*groups[-1])):
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    while len(groups) > 1 and not reads(*groups[-1]):
        groups[-2:] = [(groups[-2][0], groups[-1][1])]
    return [text[start:end] for start, end in groups] or [text]


def _says_nothing(value: object, lang: str) -> bool:
    """Does a later clause's free text only point back ("it", "它"), count and measure ("张票", "two tickets") or
    count ("and then buy two")?"""
    return refers_back(value, lang) or names_nothing(value, lang) or \
        re.fullmatch(COUNT_WORDS, str(value).strip(), re.IGNORECASE) is not None


def _points_back(intent: Intent, spec: IntentSpec, lang: str) -> bool:
    """Is a required free-text parameter of ``intent`` only a word pointing at another clause's thing ("it") or a
    count of it ("帮我买张票" after a concert: its tickets, not a product)?"""
    return any(_says_nothing(v, lang) for k, v in intent.spans.items()
               if k in spec.required and spec.slots[k] == "text")


def _asks_again(intent: Intent, spec: IntentSpec, before: IntentSpec) -> bool:
    """Does ``intent`` name none of the free text its capability needs, and ask for the capability of the request
    before it (or the one that capability falls back to: cinema and event tickets)? "buy tickets for the Coldplay
    concert and buy me two tickets": two of those tickets, not a second booking of an unnamed film. A request for
    another capability stays one of its own ("order a pizza and book two tickets": which film is asked)."""
    texts = [k for k in spec.required if spec.slots[k] == "text"]
    return bool(texts) and _related(spec, before) and not any(k in intent.slots for k in texts)


def _clashes(intent: Intent, before: Intent) -> bool:
    """Does ``intent`` say another value for a parameter ``before`` already has ("book two tickets for Dune and book
    three tickets": three is no part of the two)? Then it is a request of its own, asked about, never dropped."""
    return any(k in before.slots and before.slots[k] != v for k, v in intent.slots.items())


def _related(spec: IntentSpec, other: IntentSpec) -> bool:
    """One capability, or one and the capability it declares as its fallback (cinema and event tickets)?"""
    return spec.name == other.name or (other.instead is not None and other.instead[0] == spec.name) or \
        (spec.instead is not None and spec.instead[0] == other.name)


def same_request(intents: list[Intent], specs: dict[str, IntentSpec]) -> bool:
    """Do ``intents`` (a sentence's clauses) all ask for the first one's capability or its fallback?"""
    return bool(intents) and all(_related(specs[i.name], specs[intents[0].name]) for i in intents)


def join(intents: list[Intent | None], specs: dict[str, IntentSpec], lang: str) -> list[Intent] | None:
    """The clauses' requests, where a clause whose required free text only points back ("buy me a toaster and get
    *it* delivered home") is no request of its own: its other parameters complete the request before it where that
    one lacks them (the toaster, delivered home). So is a clause whose free text only counts ("我想去看周杰伦的演唱会，
    帮我买两张票": two of the concert's tickets, no product "两张票"), and one that names nothing while asking for the
    same capability again (``_asks_again``). None when a clause was not understood or the first points back."""
    out: list[Intent] = []
    for intent in intents:
        if intent is None:
            return None
        spec = specs[intent.name]
        if not _points_back(intent, spec, lang) and not (out and _asks_again(intent, spec, specs[out[-1].name])
                                                         and not _clashes(intent, out[-1])):
            out.append(intent)
            continue
        if not out:
            return None
        out[-1] = _completed(out[-1], intent, specs, lang)
    return out


def _completed(before: Intent, intent: Intent, specs: dict[str, IntentSpec], lang: str) -> Intent:
    """``before`` with the values of a later clause that is no request of its own, where it lacks them."""
    spec, kinds = specs[intent.name], specs[before.name].slots
    extra = {k: v for k, v in intent.slots.items() if k not in before.slots and kinds.get(k) == spec.slots[k]
             and (spec.slots[k] == "count" or not _says_nothing(intent.spans.get(k, ""), lang))}
    counts = [k for k, kind in kinds.items() if kind == "count" and k not in before.slots and k not in extra]
    told = [n for k, v in intent.spans.items() if spec.slots.get(k) == "text" and _says_nothing(v, lang)
            and (n := count_in(specs[before.name], v, lang)) is not None]
    extra.update({counts[0]: told[0]} if counts and told else {})  # "帮我买两张票": two of the concert's tickets
    return replace(before, slots={**before.slots, **extra}, text=f"{before.text} {intent.text}",
                   spans={**before.spans, **{k: intent.spans[k] for k in extra if k in intent.spans}})
