"""The names of what the user's partners offer, for the privacy detectors (``tandem.privacy.things``): a dish or a
product named like a person ("Pizza Margherita", "Spaghetti Carbonara") is no one's name, so it is neither a reason
to keep a request on the device nor masked before a cloud call.

The shipped partners' catalogues declare them: the dishes of the food partners' menus in every language they are
named in, and the shopping partners' products and brands. Restaurants, cinemas and events are left out: they are
often named after a person ("Trattoria Luigi"), and a person's name must stay one (privacy fails closed). Any
partner, a third party's too, may declare its things in its manifest (``things``; their catalogues are never read):
the privacy layer reads only those of them that cannot name a person (``tandem.privacy.things``).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from typing import Any

from tandem.config import Settings
from tandem.partners import MANIFEST_DIR
from tandem.privacy.detect import Finding
from tandem.privacy.things import Things
from tandem.services.registry import ServiceRegistry

__all__ = ["PartnerThings", "catalogue_things", "partner_things"]

# The partner categories whose catalogues name things, and the files of the shipped partners' catalogues.
_CATALOGUES = {"food": ("dish_names.json", "restaurants.json"), "shopping": ("products.json",)}
_NAMED = ("name", "brand")  # the fields of a catalogue entry that name a thing
_HELD = ("dishes",)  # the fields that hold things within an entry that is none (a restaurant)


def partner_things(settings: Settings) -> Things:
    """The thing names of the partners the user has available: the shipped partners' catalogues (food: dishes;
    shopping: products), and what each partner's manifest declares (``things``)."""
    registry = ServiceRegistry(settings)
    try:
        available = registry.available()
    finally:
        registry.close()
    categories = {c for r in available if r.builtin for c in r.manifest.categories}
    shipped = catalogue_things(tuple(sorted(categories & set(_CATALOGUES))))
    declared = [name for r in available for name in r.manifest.things]
    return Things(shipped.given, declared) if declared else shipped


class PartnerThings:
    """``partner_things(settings)`` as the partners are now: read again on the first use after the registry's file
    (or its write-ahead log) changed, so a partner added, enabled, disabled or removed while ``tandem serve`` runs
    counts from the next request on (before, the names read at start stayed: a removed partner's things were still
    no one's names). Two stats per use; reading the names takes about a second, only after a change."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stamp: tuple[int, ...] | None = None
        self._things = Things(())
        self._lock = threading.Lock()

    def _stamp_now(self) -> tuple[int, ...]:
        db = self.settings.home / "services.db"
        return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (db, db.with_name(db.name + "-wal")))

    def current(self) -> Things:
        with self._lock:
            if self._stamp is None or self._stamp_now() != self._stamp:
                self._things = partner_things(self.settings)
                self._stamp = self._stamp_now()  # after the read: opening the registry may write it
            return self._things

    def apart(self, text: str, found: list[Finding]) -> list[Finding]:
        return self.current().apart(text, found)

    def __bool__(self) -> bool:
        return bool(self.current())


@functools.cache
def catalogue_things(categories: tuple[str, ...] = tuple(_CATALOGUES)) -> Things:
    """The thing names of the shipped partners' catalogues of ``categories`` (all of them: food and shopping)."""
    data = MANIFEST_DIR.with_name("data")
    names: list[str] = []
    for category in categories:
        for file in _CATALOGUES[category]:
            names.extend(_names(json.loads((data / file).read_text(encoding="utf-8")), top=True))
    return Things(names)


def _names(data: Any, top: bool = False) -> Iterator[str]:
    """The names in a catalogue: each entry's name, brand and names in other languages, and those of the things a
    restaurant holds (not the restaurant's own); a table of names ({"Pizza Margherita": {"en": ...}}) gives both."""
    if isinstance(data, list):
        for entry in data:
            yield from _names(entry)
    elif isinstance(data, dict) and any(k in data for k in _HELD):
        for key in _HELD:
            yield from _names(data.get(key, []))
    elif isinstance(data, dict) and ("name" in data or "names" in data):
        yield from (str(data[k]) for k in _NAMED if isinstance(data.get(k), str))
        yield from (str(v) for v in (data.get("names") or {}).values())
    elif isinstance(data, dict) and top:
        for key, value in data.items():
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                yield key
                yield from value.values()
            elif isinstance(value, list):
                yield from _names(value)
