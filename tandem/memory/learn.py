"""Learning the user's tastes: from what they say ("I'm vegetarian", "aisle seats", "no horror films"),
from tasks they completed (the cinema, the seat, the party size, the usual time and price) and from
feedback on suggestions.

Facts carry their provenance (``task:<id>``, ``feedback:accept:<item>``), and each new observation of the
same value adds to its weight, so "usually" emerges from repetition rather than from one order. Only
taste-like attributes are learned; names, phone numbers, addresses and payment tokens in a task are
never copied into memory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tandem.memory.store import MemoryItem, MemoryStore

__all__ = ["LEARNED_KEYS", "Statement", "learn_from_item", "learn_from_task", "parse_statement", "price_band",
           "time_of_day"]

# Attributes of catalog items and tasks that say something about taste (and nothing about identity).
LEARNED_KEYS = ("domain", "cuisine", "genre", "kind", "category", "brand", "venue", "cinema", "restaurant", "film",
                "seat", "clock", "time_of_day", "weekday", "price_band", "party_size", "place", "city")


_DOMAINS = {"buy_movie_tickets": "film", "order_food": "food", "buy_event_tickets": "event", "buy_product": "product"}


@dataclass(frozen=True)
class Statement:
    """A preference read from something the user said."""

    key: str  # "diet", "seat", "genre", "cuisine", "price_max", "avoid", "like"
    value: str  # "vegetarian", "aisle", "horror", "30"
    polarity: int  # +1 wants, -1 avoids


def time_of_day(iso: str) -> str | None:
    """"morning", "afternoon", "evening" or "night" for an ISO time; None without a clock time."""
    match = re.search(r"[T ](\d{2}):", iso)
    if not match:
        return None
    hour = int(match.group(1))
    return "morning" if 5 <= hour < 12 else "afternoon" if hour < 17 else "evening" if hour < 22 else "night"


def price_band(price: float, currency: str | None) -> str:
    """A coarse band that means the same in EUR and CNY (CNY prices are roughly 7 × EUR)."""
    eur = price / 7.0 if (currency or "").upper() in ("CNY", "RMB") else price
    return "budget" if eur < 15 else "mid" if eur < 40 else "premium"


def learn_from_task(store: MemoryStore, task_id: str, intent: str, summary: Mapping[str, Any],
                    slots: Mapping[str, Any] | None = None,
                    result: Mapping[str, Any] | None = None) -> list[MemoryItem]:
    """Facts from one completed task: its summary (what the user confirmed), slots and the partner's answer."""
    slots, result = slots or {}, result or {}
    facts: dict[str, Any] = {"domain": _DOMAINS.get(intent)}
    if intent == "buy_movie_tickets":
        facts |= {"cinema": summary.get("cinema"), "film": summary.get("film"), "party_size": summary.get("tickets")}
        when = str(summary.get("starts_at") or slots.get("when") or "")
        # Only what the user chose or said: a partner handing out seat A1 says nothing about the user.
        facts["seat"] = slots.get("seat")
    elif intent == "order_food":
        facts |= {"restaurant": summary.get("restaurant"), "cuisine": summary.get("cuisine"),
                  "place": slots.get("place") if slots.get("place") in ("home", "office") else None}
        when = str(slots.get("when") or "")
    else:
        facts |= {k: summary.get(k) for k in ("venue", "kind", "category", "brand")}
        when = str(summary.get("starts_at") or slots.get("when") or "")
    facts["time_of_day"] = time_of_day(when) if when else None
    clock = re.search(r"[T ](\d{2}:\d{2})", when)
    facts["clock"] = clock.group(1) if clock and intent != "order_food" else None
    total, count = summary.get("total"), summary.get("tickets") or slots.get("count") or 1
    if isinstance(total, int | float) and total > 0:
        facts["price_band"] = price_band(float(total) / max(int(count), 1), summary.get("currency"))
    return _observe(store, facts, f"task:{task_id}")


def learn_from_item(store: MemoryStore, attributes: Mapping[str, Any], source: str,
                    weight: float = 1.0) -> list[MemoryItem]:
    """Facts from a catalog item the user chose (accepted a suggestion, or completed it elsewhere)."""
    return _observe(store, {k: attributes.get(k) for k in LEARNED_KEYS}, source, weight)


def _observe(store: MemoryStore, facts: Mapping[str, Any], source: str, weight: float = 1.0) -> list[MemoryItem]:
    learned = []
    for key, value in facts.items():
        if key in LEARNED_KEYS and value not in (None, "", [], 0):
            learned.append(store.observe(key, str(value), source=source, weight=weight))
    return learned


_DIETS = {"vegetarian": ("vegetarian", "vegetarier", "vegetarierin", "素食", "吃素"),
          "vegan": ("vegan", "veganer", "veganerin", "纯素"), "halal": ("halal", "清真"),
          "gluten-free": ("gluten-free", "glutenfrei", "无麸质")}
_SEATS = {"aisle": ("aisle", "gangplatz", "gang", "靠过道", "过道"), "middle": ("middle", "mitte", "中间")}
_NEGATION = re.compile(r"^(?:no|not|never|keine?n?|nie|kein|不要|不吃|不看|别)\s*|\b(?:don'?t|do not|hate|mag keine?n?|"
                       r"nicht)\b")
_FILM_WORDS = re.compile(r"\b(films?|movies?|filme?n?)\b|电影|片")
_FOOD_WORDS = re.compile(r"\b(food|cuisine|dishes|essen|küche|kueche)\b|菜|料理")
_BUDGET = re.compile(r"(?:under|below|max(?:imum)?|budget(?: is| of)?|unter|höchstens|bis|不超过|以内)\s*"
                     r"(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*(?:€|eur|euro|元|块)?\s*(?:max|以内|以下)")


def parse_statement(text: str) -> Statement | None:
    """A preference from a short sentence in en/de/zh; None when the sentence states none we know.
    Unknown likes and dislikes are kept as words ("like"/"avoid") rather than dropped."""
    said = " ".join(text.casefold().replace("’", "'").split()).strip(" .!。！")
    if not said:
        return None
    negative = bool(_NEGATION.search(said))
    for value, words in _DIETS.items():
        if any(w in said for w in words):
            return Statement("diet", value, -1 if negative else 1)
    for value, words in _SEATS.items():
        if any(re.search(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), said) for w in words):
            return Statement("seat", value, -1 if negative else 1)
    budget = _BUDGET.search(said)
    if budget:
        return Statement("price_max", (budget.group(1) or budget.group(2)).replace(",", "."), 1)
    core = _strip_fillers(said)
    if not core:
        return None
    compound = re.search(r"(\w[\w-]{2,}?)-?filme?n?\b", said)  # German compounds: "Horrorfilme"
    if compound and not _FILM_WORDS.fullmatch(compound.group(0)):
        return Statement("genre", compound.group(1), -1 if negative else 1)
    for key, pattern in (("genre", _FILM_WORDS), ("cuisine", _FOOD_WORDS)):
        if pattern.search(said):
            value = pattern.sub("", core).strip(" -")
            return Statement(key, value, -1 if negative else 1) if value else None
    return Statement("avoid" if negative else "like", core, -1 if negative else 1)


def _strip_fillers(said: str) -> str:
    core = _NEGATION.sub(" ", said)
    core = re.sub(r"\b(i'?m|i am|i|we|my|please|like|love|prefer|want|always|usually|ich bin|ich|wir|mag|liebe|"
                  r"bevorzuge|immer|gerne?|am|the|a|an|eat|watch|any|for me|seats?|plätze|sitze)\b", " ", core)
    core = re.sub(r"^(我|我们)?(喜欢|爱|想要|要|是)?", "", core.strip())
    return " ".join(core.split()).strip(" ,-")

