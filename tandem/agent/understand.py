"""Tiered understanding: what does the user want, as intents with normalised slots?

    fast   sentence templates per language (en/de/zh) over clauses; ~1 ms, no model
    device the on-device Qwen with grammar-constrained calls of the intents as tools
    cloud  an injected cloud Model (through the router, pseudonymised by it), same contract

The first tier that is confident enough wins. Every result carries its tier and confidence, and "no
match" is an ``Understanding`` with no intents, not an exception: the caller decides what to say.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tandem.agent.intents import INTENTS, IntentSpec, intent_tools, place_key
from tandem.agent.slots import When, detect_language, extract_when, parse_count
from tandem.errors import ContextOverflow, ModelError
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, Tool, Usage

__all__ = ["Intent", "ModelParser", "TemplateParser", "Tier", "Understander", "Understanding", "normalise_slots"]

Tier = Literal["fast", "device", "cloud", "none"]

# Where a request that holds several commands may be cut: "... und buch ...", "... and then ...", "，再订".
_SPLIT = {
    "en": r",? (?:and then|and also|and|then|also|plus) |; ",
    "de": r",? (?:und dann|und außerdem|und|dann|außerdem|danach) |; ",
    "zh": r"[，,；;]?(?:然后再|然后|并且|再帮我|还要|另外|再)|[，,；;]",
}


@dataclass(frozen=True)
class Intent:
    """One thing the user asked for."""

    name: str  # an IntentSpec name, e.g. "order_food"
    slots: dict[str, Any]  # normalised values: counts as int, "when" as ISO text, places as "office"/"home"/words
    text: str  # the words it was read from
    spans: dict[str, str] = field(default_factory=dict)  # slot -> the words it was read from, as said


@dataclass(frozen=True)
class Understanding:
    """What one utterance means, and how sure we are."""

    intents: tuple[Intent, ...]  # empty: no match
    tier: Tier  # which tier produced it ("none" when nothing matched)
    confidence: float  # 0..1
    language: str  # "en", "de" or "zh"
    latency_ms: float = 0.0  # time spent understanding, all tiers tried
    tried: tuple[str, ...] = field(default=())  # tiers consulted, in order
    model: str | None = None  # id of the model that understood it (model tiers only)
    usage: Usage | None = None  # tokens the model tiers spent

    @property
    def matched(self) -> bool:
        return bool(self.intents)


def _clean(text: str) -> str:
    text = re.sub(r"[\"“”„‚‘«»]|(?<!\w)['’]|['’](?!\w)", "", text.strip())  # quotes, not "mom's"
    text = re.sub(r"\s+", " ", re.sub(r"[.!?。！？]+$", "", text)).strip(" ,，")
    return re.sub(r" (?:for|at|on|by|um|für|fuer|am|gegen|ab)$", "", text, flags=re.I)  # "tickets for [tonight]"


def _iso_when(value: str, now: dt.datetime | None) -> str:
    """A model's time as ISO: kept when it already is, read like user words ("tonight at 8") otherwise."""
    try:
        return dt.datetime.fromisoformat(value).isoformat(timespec="minutes") if "T" in value else \
            dt.date.fromisoformat(value).isoformat()
    except ValueError:
        found, _ = extract_when(value, now or dt.datetime.now())
        return found.iso if found else value


def normalise_slots(spec: IntentSpec, raw: dict[str, Any], when: When | None,
                    now: dt.datetime | None = None) -> dict[str, Any]:
    """Slot values in one shape whatever tier found them: ints for counts, ISO for times, place keys."""
    slots: dict[str, Any] = {}
    for name, value in raw.items():
        if value in (None, "") or name not in spec.slots:
            continue
        kind = spec.slots[name]
        if kind == "count":
            count = value if isinstance(value, int) else parse_count(str(value))
            if count is not None:
                slots[name] = count
        elif kind == "place":
            slots[name] = place_key(str(value))
        elif kind == "when":
            slots[name] = _iso_when(str(value), now)
        else:
            slots[name] = str(value).strip(" 《》\"'“”的")
    if when is not None and "when" in spec.slots:
        slots["when"] = when.iso
    return slots


class TemplateParser:
    """The fast tier: templates per language, applied to each clause of a request."""

    def __init__(self, intents: tuple[IntentSpec, ...] = INTENTS) -> None:
        self.intents = intents

    def _match(self, clause: str, lang: str, now: dt.datetime, live: set[str] | None) -> Intent | None:
        when, rest = extract_when(clause, now, lang)
        cleaned = _clean(rest)
        for spec in self.intents:
            if live is not None and spec.name not in live:
                continue
            for pattern in spec.patterns.get(lang, ()):
                found = pattern.fullmatch(cleaned)
                if found:
                    raw = {k: v for k, v in found.groupdict().items() if v}
                    spans = {**raw, **({"when": when.text} if when and "when" in spec.slots else {})}
                    return Intent(spec.name, normalise_slots(spec, raw, when), clause.strip(), spans)
        return None

    def parse(self, text: str, now: dt.datetime, *, lang: str | None = None,
              live: set[str] | None = None) -> Understanding:
        """Intents for every clause, or no match when any clause is not understood."""
        started = time.perf_counter()
        lang = lang or detect_language(text)
        clauses = [c for c in re.split(_SPLIT[lang], text.strip(), flags=re.I) if c.strip()]
        intents = [self._match(c, lang, now, live) for c in clauses]
        if len(clauses) > 1 and not all(intents):
            intents = [self._match(text, lang, now, live)]  # "Pizza und Cola": the cut was not a new command
        found = tuple(i for i in intents if i is not None)
        matched = bool(found) and len(found) == len(intents)
        return Understanding(found if matched else (), "fast" if matched else "none",
                             self._confidence(found) if matched else 0.0, lang,
                             (time.perf_counter() - started) * 1000, ("fast",))

    def _confidence(self, intents: tuple[Intent, ...]) -> float:
        """A whole-sentence template match is near certain; slots still missing (to be asked) lower it."""
        specs = {s.name: s for s in self.intents}
        shares = [sum(1 for r in specs[i.name].required if r in i.slots) / len(specs[i.name].required)
                  if specs[i.name].required else 1.0 for i in intents]
        return round(0.8 + 0.15 * min(shares), 3)


_SYSTEM = ("You turn a user's request into function calls, one call per thing they ask for. Use the user's own "
           "words for names. Times are ISO 8601; now is {now} ({weekday}). If no function fits, answer in one "
           "short sentence without calling anything.")


class ModelParser:
    """A model tier: the intents become tools and the model (grammar-constrained on the device) calls them."""

    def __init__(self, model: Model, tier: Tier, intents: tuple[IntentSpec, ...] = INTENTS,
                 confidence: float = 0.7) -> None:
        self.model, self.tier, self.intents, self.confidence = model, tier, intents, confidence

    def parse(self, text: str, now: dt.datetime, *, lang: str | None = None,
              live: set[str] | None = None) -> Understanding:
        started = time.perf_counter()
        lang = lang or detect_language(text)
        specs = [s for s in self.intents if live is None or s.name in live]
        tools = tuple(Tool(s.name, s.description, s.tool_schema()) for s in specs)
        system = _SYSTEM.format(now=now.strftime("%Y-%m-%dT%H:%M"), weekday=now.strftime("%A"))
        request = ChatRequest(messages=(Message("system", system), Message("user", text)), tools=tools,
                              tool_choice="auto", max_tokens=96, temperature=0.0, seed=0)
        usage = None
        try:
            result = complete(self.model, request)
            calls, usage = result.message.tool_calls, result.usage
        except (ModelError, ContextOverflow):  # this tier cannot help; the caller falls back (to chat, or "sorry")
            calls = ()
        by_name = intent_tools(tuple(specs))
        when, _ = extract_when(text, now, lang)
        intents = tuple(Intent(c.name, normalise_slots(by_name[c.name], c.arguments, when, now), text,
                               {k: str(v) for k, v in c.arguments.items()})
                        for c in calls if c.name in by_name)
        return Understanding(intents, self.tier if intents else "none", self.confidence if intents else 0.0, lang,
                             (time.perf_counter() - started) * 1000, (self.tier,), self.model.info.id, usage)


class Understander:
    """Tries the fast tier, then the device model, then the cloud model, keeping the first confident answer."""

    def __init__(self, *, intents: tuple[IntentSpec, ...] = INTENTS, device: Model | None = None,
                 cloud: Model | None = None) -> None:
        self.tiers: list[TemplateParser | ModelParser] = [TemplateParser(intents)]
        if device is not None:
            self.tiers.append(ModelParser(device, "device", intents))
        if cloud is not None:
            self.tiers.append(ModelParser(cloud, "cloud", intents, confidence=0.85))

    def understand(self, text: str, now: dt.datetime | None = None, *, live: set[str] | None = None) -> Understanding:
        """The first tier's answer that matched; no match (tier "none") when none did."""
        now = now or dt.datetime.now()
        started, tried = time.perf_counter(), []
        lang = detect_language(text)
        result = Understanding((), "none", 0.0, lang)
        for tier in self.tiers:
            result = tier.parse(text, now, lang=lang, live=live)
            tried.append(tier.tier if isinstance(tier, ModelParser) else "fast")
            if result.matched:
                break
        return replace(result, language=lang, latency_ms=(time.perf_counter() - started) * 1000, tried=tuple(tried))
