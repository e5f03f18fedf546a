"""What memory does for each capability, read from ``habits.toml``: what a completed task teaches it, and which
gaps of the next request it fills in. Adding a capability (or changing what memory makes of one) edits that file,
not ``learn.py`` or ``agent/remember.py``.

    rules = habits("order_food")
    rules.read("place", summary, slots)   # "office": what the task says of the key
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["HABITS", "AisleSeats", "Fill", "Habits", "UsualTime", "habits", "note"]

HABITS = Path(__file__).with_name("habits.toml")


@dataclass(frozen=True)
class Fill:
    """An open slot memory fills."""

    habit: str  # the memory key whose strongest liked value fills it ("cinema")
    note: Mapping[str, str]  # language -> what the confirmation says of it, "{value}" the value (``note``)
    optional: bool = False  # dropped again when nothing can be prepared with it


@dataclass(frozen=True)
class UsualTime:
    """The slot whose date without a clock time gets the usual clock time."""

    slot: str  # "when"
    note: Mapping[str, str]  # language -> what the confirmation says of it, "{value}" the clock time


@dataclass(frozen=True)
class AisleSeats:
    """How a stated aisle preference picks the seats of a call."""

    tool: str  # the partner's tool that lists the free and sold seats ("seat_map")
    by: str  # the call's argument it is asked by ("showtime_id")
    note: Mapping[str, str]  # language -> what the confirmation says of the seats it picked


@dataclass(frozen=True)
class Habits:
    """What memory learns from a completed task of one capability, and what it fills in the next request."""

    domain: str | None = None  # what kind of thing it is ("film"); None: not said
    learn: Mapping[str, str] = field(default_factory=dict)  # memory key -> "summary.<key>" or "slots.<slot>"
    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # memory key -> the only values learned
    when: tuple[str, ...] = ()  # where the task's time is read, the first one given
    clock: bool = True  # the clock time of `when` is a habit
    count: tuple[str, ...] = ()  # how many the total paid for, the first one given
    fill: Mapping[str, Fill] = field(default_factory=dict)  # slot -> how memory fills it when the request did not
    usual_time: UsualTime | None = None  # None: memory adds no clock time
    aisle_seats: AisleSeats | None = None  # None: memory picks no seats

    def read(self, key: str, summary: Mapping[str, Any], slots: Mapping[str, Any]) -> Any:
        """The value ``learn`` says a memory key has in a task (None when the task has none it may learn)."""
        value = _at(self.learn[key], summary, slots)
        return None if key in self.only and value not in self.only[key] else value

    def first(self, places: tuple[str, ...], summary: Mapping[str, Any], slots: Mapping[str, Any]) -> Any:
        """The first value given at ``places`` ("summary.starts_at", "slots.when"); None when none is."""
        return next((found for place in places if (found := _at(place, summary, slots))), None)


def habits(intent: str) -> Habits:
    """What memory does for the capability ``intent`` (the [default] when ``habits.toml`` does not list it)."""
    table = _table(HABITS)
    return table.get(intent) or table["default"]


def note(said: Mapping[str, str], language: str, value: str = "") -> str:
    """A note in ``language`` (English when it has none), ``value`` filled in."""
    return (said.get(language) or said["en"]).format(value=value)


def _at(place: str, summary: Mapping[str, Any], slots: Mapping[str, Any]) -> Any:
    where, _, key = place.partition(".")
    return {"summary": summary, "slots": slots}[where].get(key)


@cache
def _table(path: Path) -> dict[str, Habits]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    default = data.pop("default")
    return {"default": _habits(default), **{intent: _habits({**default, **table}) for intent, table in data.items()}}


def _habits(table: dict[str, Any]) -> Habits:
    seats, usual = table.get("aisle_seats"), table.get("usual_time")
    return Habits(domain=table.get("domain"), learn=dict(table.get("learn", {})),
                  only={key: tuple(values) for key, values in table.get("only", {}).items()},
                  when=tuple(table.get("when", ())), clock=bool(table.get("clock", True)),
                  count=tuple(table.get("count", ())),
                  fill={slot: Fill(**_with_notes(how)) for slot, how in table.get("fill", {}).items()},
                  usual_time=UsualTime(**_with_notes(usual)) if usual else None,
                  aisle_seats=AisleSeats(**_with_notes(seats)) if seats else None)


def _with_notes(table: dict[str, Any]) -> dict[str, Any]:
    """A table whose ``note`` is one sentence for every language or one per language, the latter."""
    said = table["note"]
    return {**table, "note": {"en": said} if isinstance(said, str) else dict(said)}
