"""What one utterance means (``Understanding``), whichever tier of ``understand`` read it, and its parameters in one
shape (``normalise_slots``): counts as ints, times as ISO, places as keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from tandem.agent.clauses import Intent
from tandem.agent.ground import choice_value, names_nothing
from tandem.agent.intents import IntentSpec, place_key
from tandem.agent.slots import When, extract_when, parse_count
from tandem.types import Usage

__all__ = ["Tier", "Understanding", "normalise_slots"]

Tier = Literal["fast", "learned", "device", "cloud", "none"]

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
    # the sentence says what NOT to do or which thing to leave (declined.py: "storniere die Kinokarten nicht", "cancel
    # the pizza, not the cinema tickets"): its intents are all it asks, and no follow-up on an earlier task is read
    # into it (reread28 H1: "storniere die Kinokarten nicht", read as nothing, was then the cinema's cancellation)
    declines: bool = False

    @property
    def matched(self) -> bool:
        return bool(self.intents)


def _iso_when(value: str, now: dt.datetime | None) -> str | None:
    """A model's time as ISO: kept when it already is, read like user words ("tonight at 8") otherwise; None when
    it says no time ("starting"): then it is asked."""
    try:
        return dt.datetime.fromisoformat(value).isoformat(timespec="minutes") if "T" in value else \
            dt.date.fromisoformat(value).isoformat()
    except ValueError:
        found, _ = extract_when(value, now or dt.datetime.now())
        return found.iso if found else None


def normalise_slots(spec: IntentSpec, raw: dict[str, Any], when: When | None,
                    now: dt.datetime | None = None) -> dict[str, Any]:
    """Slot values in one shape whatever tier found them: ints for counts, ISO for times, place keys. A stretch of days
    said ("next week") ends in the parameter ``<when slot>_end`` where the capability declares one (of kind "when")."""
    slots: dict[str, Any] = {}
    repeat = f"{spec.when_slot}_repeat" if spec.when_slot else None  # the date reader's rule only (When.repeat): a
    # model's words there ("every other day") would fail the partner, which takes an RRULE (reread31 M-6)
    for name, value in raw.items():
        if value in (None, "") or name not in spec.slots or name == repeat:
            continue
        kind = spec.slots[name]
        if kind == "count":
            count = value if isinstance(value, int) else parse_count(str(value))
            if count is not None:
                slots[name] = count
        elif kind == "place":
            slots[name] = place_key(str(value))
        elif kind == "when":
            if (iso := _iso_when(str(value), now)) is not None:
                slots[name] = iso
        elif kind == "choice":
            choice = str(value) if str(value) in spec.choices.get(name, {}) else choice_value(spec, name, str(value))
            if choice:
                slots[name] = choice
        elif kind != "text" or not names_nothing(value):  # "张票", "two tickets": no product, asked for
            slots[name] = str(value).strip(" 《》\"'“”的")
    if when is not None and spec.when_slot is not None:
        slots[spec.when_slot] = when.iso
        if when.end is not None and spec.slots.get(f"{spec.when_slot}_end") == "when":  # "next week": up to its Sunday
            slots[f"{spec.when_slot}_end"] = when.end
        if when.repeat is not None and f"{spec.when_slot}_repeat" in spec.slots:  # "every day except Sunday": its rule
            slots[f"{spec.when_slot}_repeat"] = when.repeat
    return slots
