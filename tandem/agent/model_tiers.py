"""The model tiers of ``understand``: the device model filling one chosen capability's parameters under a grammar
(``SlotFiller``), and a model picking among the capabilities as tools itself (``ModelParser``: the device without a
learned tier, or the cloud). Only values the user said are kept on the device."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from tandem.agent.capabilities import shipped
from tandem.agent.clauses import Intent
from tandem.agent.ground import grounded
from tandem.agent.intents import IntentSpec, intent_tools
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.understand_check import warm
from tandem.agent.understanding import Tier, Understanding, normalise_slots
from tandem.errors import ContextOverflow, ModelError, NotFound
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ResponseFormat, Tool, Usage

__all__ = ["ModelParser", "SlotFiller", "sum_usage"]


def sum_usage(*found: Usage | None) -> Usage | None:
    used = [u for u in found if u is not None]
    return Usage(sum(u.prompt_tokens for u in used), sum(u.completion_tokens for u in used)) if used else None


_SYSTEM = ("You turn a user's request into function calls, one call per thing they ask for. Use the user's own "
           "words for names. Times are ISO 8601. If no function fits, answer in one short sentence without calling "
           "anything.")
_NOW_TIME = "Now is {now} ({weekday})."
_FILL = ("Fill in {name} ({description}) from the user's words. Copy values exactly as the user said them; leave out "
         "anything the user did not say.")
_NOW = "Today is {today} ({weekday}).{city}"


def _grounded_slots(spec: IntentSpec, arguments: dict[str, Any], text: str) -> dict[str, Any]:
    """Only what the user said: a model's value that is no span of the words (or count, place, choice said)
    is dropped, and the task asks for it. Times come from the date/time reader, not from here."""
    return {k: v for k, v in arguments.items() if k in spec.slots and spec.slots[k] != "when"
            and grounded(spec, k, v, text)}


class SlotFiller:
    """The device model's small job: the parameters of one chosen capability, under a grammar from their
    JSON Schema, with a short prompt (today's date, the user's city)."""

    def __init__(self, model: Model, city: str = "") -> None:
        self.model, self.city = model, city

    def fill(self, spec: IntentSpec, text: str, now: dt.datetime,
             wanted: list[str]) -> tuple[dict[str, Any], Usage | None]:
        """The ``wanted`` parameters the words give, and what the model spent on them (None: it did not answer)."""
        schema = self._schema(spec, wanted)
        # The first system message and the answer format are the same for every request of this capability, so
        # the device model keeps their evaluated state (LlamaCppModel.fixed_length); what varies comes after.
        now_said = _NOW.format(today=now.date().isoformat(), weekday=now.strftime("%A"),
                               city=f" The user is in {self.city}." if self.city else "")
        request = ChatRequest(messages=(Message("system", self.first(spec)), Message("system", now_said),
                                        Message("user", text)),
                              response_format=ResponseFormat("json_schema", schema), max_tokens=64, temperature=0.0,
                              seed=0)
        try:
            result = complete(self.model, request)
            arguments = json.loads(result.message.content or "")
        except (ModelError, ContextOverflow, NotFound, ValueError):  # no help from the model: the task asks instead
            return {}, None
        return (_grounded_slots(spec, arguments, text) if isinstance(arguments, dict) else {}), result.usage

    @staticmethod
    def first(spec: IntentSpec) -> str:
        """The fixed first message of ``spec``'s requests."""
        return _FILL.format(name=spec.name, description=spec.description)

    @staticmethod
    def _schema(spec: IntentSpec, wanted: list[str]) -> dict[str, Any]:
        properties = spec.tool_schema()["properties"]
        return {"type": "object", "properties": {k: v for k, v in properties.items() if k in wanted},
                "additionalProperties": False}

    def warm(self, specs: tuple[IntentSpec, ...]) -> int:
        """Let the device evaluate and keep the fixed prompt parts (first message and answer format) of the requests
        it will most likely get, so their first use does not read them: one per required free-text parameter, asked
        alone. Counts, places and times are read from the words by rules, so a request to the device usually wants
        one text parameter the words did not frame (bench tune half: 26 of 29 such requests). How many were kept."""
        return sum(warm(self.model, self.first(spec), ResponseFormat("json_schema", self._schema(spec, [slot])))
                   for spec, slot in self.warmed(specs))

    @staticmethod
    def warmed(specs: tuple[IntentSpec, ...]) -> list[tuple[IntentSpec, str]]:
        """The (capability, parameter) pairs ``warm`` prepares."""
        return [(spec, r) for spec in specs for r in spec.required if spec.slots[r] == "text"]


class ModelParser:
    """A model tier: the intents become tools and the model (grammar-constrained on the device) calls them.
    Slot values the user did not say are dropped (and asked for later)."""

    def __init__(self, model: Model, tier: Tier, intents: tuple[IntentSpec, ...] | None = None,
                 confidence: float = 0.7, region: str = "") -> None:
        self.model, self.tier, self.confidence = model, tier, confidence
        self.region = region or None
        self.intents = shipped() if intents is None else intents

    def parse(self, text: str, now: dt.datetime, *, lang: str | None = None,
              live: set[str] | None = None) -> Understanding:
        started = time.perf_counter()
        lang = lang or detect_language(text)
        specs = [s for s in self.intents if live is None or s.name in live]
        tools = tuple(Tool(s.name, s.description, s.tool_schema()) for s in specs)
        now_said = _NOW_TIME.format(now=now.strftime("%Y-%m-%dT%H:%M"), weekday=now.strftime("%A"))
        # The instructions and the tools stay the same from request to request (a kept prefix on the device).
        request = ChatRequest(messages=(Message("system", _SYSTEM), Message("system", now_said), Message("user", text)),
                              tools=tools, tool_choice="auto", max_tokens=96, temperature=0.0, seed=0)
        usage = None
        try:
            result = complete(self.model, request)
            calls, usage = result.message.tool_calls, result.usage
        except (ModelError, ContextOverflow):  # this tier cannot help; the caller falls back (to chat, or "sorry")
            calls = ()
        by_name = intent_tools(tuple(specs))
        when, _ = extract_when(text, now, lang, self.region)
        intents = tuple(Intent(c.name, normalise_slots(by_name[c.name], self._kept(by_name[c.name], c.arguments, text),
                                                       when, now), text,
                               {k: str(v) for k, v in c.arguments.items()})
                        for c in calls if c.name in by_name)
        return Understanding(intents, self.tier if intents else "none", self.confidence if intents else 0.0, lang,
                             (time.perf_counter() - started) * 1000, (self.tier,), self.model.info.id, usage)

    def _kept(self, spec: IntentSpec, arguments: dict[str, Any], text: str) -> dict[str, Any]:
        """On the device every value must be grounded; the cloud tier may translate ("the sandworm film" →
        "Dune"), which the partner's search then checks."""
        return _grounded_slots(spec, arguments, text) if self.tier == "device" else arguments
