"""Values whose look says whose they are: a partner's order id ("FD-1A2B3C4D5E", "SH-88", "TIX-…", "CIN-…") names the
partner that issued it, as its manifest declares (a parameter's ``shape``). A follow-up that names one goes to the
capability declaring that shape ("where is CIN-4F2A?" read as the food order's tracking asks the cinema's order), and
the id fills the parameter, so the user's order is the one they named, never their latest.

    [tools.parameters.order_id]
    kind = "text"
    shape = "FD-[0-9A-F]{1,10}"              # a prefix, then counted classes (tandem.services.manifest checks it)
    own_order = {from = ["place_order"]}

A word is an id only when it holds a digit and a shape matches all of it, in any case. A follow-up is moved only to a
capability of the same kind (committing or not: "cancel" is never turned into "show"), and only from one that reads
the user's orders or took the id as a place ("where is FD-12" read as a way to "FD-12"); a note, a reminder or a title
that holds an id keeps it ("note down FD-1A2B": review R23-2).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from functools import cache

from tandem.agent.clauses import Intent
from tandem.agent.intents import IntentSpec

__all__ = ["named_ids", "routed"]

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_#./:-]{0,63}")  # the characters a shape may be written in


@cache
def _compiled(shape: str) -> re.Pattern[str] | None:
    """A declared shape, matched whole in any case; None for one that does not compile (a manifest reaches the agent
    checked, but a document handed in directly may not be)."""
    try:
        return re.compile(shape, re.IGNORECASE)
    except re.error:
        return None


def _words(text: str) -> list[str]:
    return [w.rstrip(".:/-") for w in _WORD.findall(text) if any(c.isdigit() for c in w)]


def named_ids(spec: IntentSpec, text: str) -> dict[str, str]:
    """The parameters of ``spec`` whose declared shape a word of ``text`` has, each with that word as said."""
    found: dict[str, str] = {}
    for name, shapes in spec.shapes.items():
        patterns = [p for p in map(_compiled, shapes) if p is not None]
        said = next((w for w in _words(text) if any(p.fullmatch(w) for p in patterns)), None)
        if said:
            found[name] = said
    return found


def routed(intent: Intent, intents: Mapping[str, IntentSpec], live: Collection[str]) -> Intent:
    """``intent`` with an id it names in its parameter, or moved to the capability whose shape the id has (the first
    declared of the same kind); as it was when it names none, or no capability of its kind declares the id's shape."""
    spec = intents.get(intent.name)
    if spec is None:
        return intent
    own = named_ids(spec, intent.text)
    if own:
        return replace(intent, slots={**intent.slots, **own})
    said = {w.casefold() for w in _words(intent.text)}
    placed = any(spec.slots.get(k) == "place" and str(v).strip().casefold() in said for k, v in intent.slots.items())
    if not spec.own and not placed:  # a note's text, a reminder, a title keep the id the user wrote down (R23-2)
        return intent
    for other in intents.values():
        ids = named_ids(other, intent.text) if other.name in live and other.transactional == spec.transactional \
            else {}
        if ids:
            return Intent(other.name, ids, intent.text)
    return intent
