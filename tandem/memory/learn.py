"""Learning the user's tastes: from what they say ("I'm vegetarian", "aisle seats", "no horror films"),
from tasks they completed (the cinema, the seat, the party size, the usual time and price) and from
feedback on suggestions.

Facts carry their provenance (``task:<id>``, ``feedback:accept:<item>``), and each new observation of the
same value adds to its weight, so "usually" emerges from repetition rather than from one order. Only
taste-like attributes are learned; names, phone numbers, addresses and payment tokens in a task are
never copied into memory.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tandem.errors import InvalidRequest
from tandem.memory.habits import habits
from tandem.memory.store import MemoryItem, MemoryStore
from tandem.memory.words import either, inside_or_whole, kinds, words
from tandem.observe import count

__all__ = ["LEARNED_KEYS", "Statement", "learn_from_item", "learn_from_task", "parse_statement", "price_band",
           "time_of_day"]

log = logging.getLogger("tandem.memory")

# Attributes of catalog items and tasks that say something about taste (and nothing about identity).
LEARNED_KEYS = ("domain", "cuisine", "genre", "kind", "category", "brand", "venue", "cinema", "restaurant", "film",
                "seat", "clock", "time_of_day", "weekday", "price_band", "party_size", "place", "city")


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
    """Facts from one completed task: what its capability's ``habits.toml`` table reads of its summary (what the
    user confirmed) and slots (what the user said). The partner's answer (``result``) teaches nothing."""
    slots, rules = slots or {}, habits(intent)
    facts: dict[str, Any] = {"domain": rules.domain} | {key: rules.read(key, summary, slots) for key in rules.learn}
    when = str(rules.first(rules.when, summary, slots) or "")
    facts["time_of_day"] = time_of_day(when) if when else None
    clock = re.search(r"[T ](\d{2}:\d{2})", when)
    facts["clock"] = clock.group(1) if clock and rules.clock else None
    total, count = summary.get("total"), rules.first(rules.count, summary, slots) or 1
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
        if key not in LEARNED_KEYS or value in (None, "", [], 0):
            continue
        try:
            learned.append(store.observe(key, str(value), source=source, weight=weight))
        except InvalidRequest as exc:  # a partner's name memory cannot hold (too long, control characters)
            log.warning("not learned from %s: %s: %s", source, key, exc)
            count("memory_not_learned", "invalid-value")
    return learned


# The words are data (words.toml); these are the patterns made of them.
_DIETS = kinds("diets")
_SEATS = kinds("seats")
_NEGATION = re.compile(rf"^(?:{either('negation_first')})\s*|{inside_or_whole('negation')}")  # zh: anywhere
_FILM_WORDS = re.compile(inside_or_whole("film"))
_FOOD_WORDS = re.compile(inside_or_whole("food"))
_COMPOUNDS = tuple(re.compile(p) for p in words("compound_film"))  # "Horrorfilme": the genre, then the film word
# A budget stated: a word before the amount, or the amount (a currency may follow) and a word after it.
# An amount is read from its first digit only: tried at every digit of a long number, it took quadratic time.
_BUDGET = re.compile(rf"(?:{either('budget_before')})\s*(\d+(?:[.,]\d+)?)|(?<!\d)(\d+(?:[.,]\d+)?)\s*"
                     rf"(?:{either('currencies')})?\s*(?:{either('budget_after')})")
_FILLERS = re.compile(rf"\b({either('fillers')})\b")
_LEADING = re.compile(rf"^({either('leading_subjects')})?({either('leading_verbs')})?")


def parse_statement(text: str) -> Statement | None:
    """A preference from a short sentence in en/de/zh; None when the sentence states none we know.
    Unknown likes and dislikes are kept as words ("like"/"avoid") rather than dropped."""
    said = " ".join(text.casefold().replace("’", "'").split()).strip(" .!。！")
    if not said:
        return None
    negative = bool(_NEGATION.search(said))
    for value, spellings in _DIETS.items():
        if any(w in said for w in spellings):
            return Statement("diet", value, -1 if negative else 1)
    for value, spellings in _SEATS.items():
        if any(re.search(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), said) for w in spellings):
            return Statement("seat", value, -1 if negative else 1)
    budget = _BUDGET.search(said)
    if budget:
        return Statement("price_max", (budget.group(1) or budget.group(2)).replace(",", "."), 1)
    core = _strip_fillers(said)
    if not core:
        return None
    compound = next((found for pattern in _COMPOUNDS if (found := pattern.search(said))), None)
    if compound and not _FILM_WORDS.fullmatch(compound.group(0)):
        return Statement("genre", compound.group(1), -1 if negative else 1)
    for key, pattern in (("genre", _FILM_WORDS), ("cuisine", _FOOD_WORDS)):
        if pattern.search(said):
            value = pattern.sub("", core).strip(" -")
            return Statement(key, value, -1 if negative else 1) if value else None
    return Statement("avoid" if negative else "like", core, -1 if negative else 1)


def _strip_fillers(said: str) -> str:
    core = _NEGATION.sub(" ", said)
    core = _FILLERS.sub(" ", core)
    core = _LEADING.sub("", core.strip())
    return " ".join(core.split()).strip(" ,-")

