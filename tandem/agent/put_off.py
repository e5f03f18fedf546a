"""Requests the user puts off or only asks about make no card now (split out of ``assistant``): "not yet, buy the usb
cable", "nicht jetzt, storniere die Kinokarten später" (``spoken.deferred``; reread29 M3), "should I get two tickets for
Dune tonight at 8?", "I might get …, not sure yet" (``spoken.wavers``; review30 R30-5). A card made for them would be
carried out now by the next yes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tandem.agent.intents import IntentSpec
from tandem.agent.spoken import deferred, later, wavers
from tandem.agent.toolset import ToolSpec, find_tool
from tandem.agent.understand import Understanding

__all__ = ["not_now"]


def not_now(understanding: Understanding, text: str, lang: str, intents: Mapping[str, IntentSpec],
            tools: list[ToolSpec]) -> tuple[Understanding, str | None]:
    """``understanding`` without the requests whose tool commits the user (or is not listed now: fail closed) when
    ``text`` puts them off or only asks or wavers about them, and what to say of those left out (None: none was). A
    request put off that says the time it is for, where its capability takes one, stays ("not now, book two tickets
    for Dune tomorrow at 8"): the card is for then."""
    put_off, doubted = deferred(text), wavers(text)
    if not put_off and not doubted:
        return understanding, None
    kept = []
    for intent in understanding.intents:
        spec = intents.get(intent.name)
        tool = find_tool(tools, spec.category, spec.tool) if spec is not None else None
        timed = put_off and spec is not None and spec.when_slot is not None and intent.slots.get(spec.when_slot)
        if spec is None or timed or (tool is not None and not tool.transactional):
            kept.append(intent)
    if len(kept) == len(understanding.intents):
        return understanding, None
    return replace(understanding, intents=tuple(kept)), later(lang, "doubted" if doubted else "later")
