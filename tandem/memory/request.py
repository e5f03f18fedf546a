"""What a request for suggestions asks for ("a film for Saturday", "something to eat under 20 euros", "was
machen wir heute Abend?"): its domains, budget and day, read from its words in en/de/zh (``words.toml``).

    request = parse_request("a film for Saturday", now, city="Berlin")   # Request(domains=("film",), day=...)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from tandem.memory.words import by_language, either, kinds

__all__ = ["Request", "fold", "parse_request"]

# The words are data (words.toml, shared with learn.py); these are the patterns made of them.
_DOMAIN_WORDS = {domain: "|".join(found) for domain, found in kinds("domains").items()}
_OUTING = either("outing")
# A budget asked for: a word before the amount, or the amount with its currency (a word after it may follow).
# An amount is read from its first digit only: tried at every digit of a long number, it took quadratic time.
_BUDGET = re.compile(rf"(?:{either('budget_before')})\s*(\d+(?:[.,]\d+)?)|(?<!\d)(\d+(?:[.,]\d+)?)\s*"
                     rf"(?:{either('currencies')})\s*(?:{either('budget_after')})?")
_WEEKDAYS = {day: n for days in by_language("weekdays") for n, day in enumerate(days)}  # Monday is 0
_TODAY, _TOMORROW = either("today"), either("tomorrow")


@dataclass(frozen=True)
class Request:
    """What a request asks for, read from its words and the caller's context."""

    text: str  # the words, embedded as the query ("" for "anything for me")
    domains: tuple[str, ...] = ()  # "food", "film", "event", "product"; empty: all
    city: str | None = None  # only items in this city (items without a city are kept)
    budget: float | None = None  # highest price per person, in the item's currency
    day: dt.date | None = None  # things that happen once must happen on this day ("Saturday", "tonight")
    now: dt.datetime = field(default_factory=dt.datetime.now)  # for freshness and "tonight"


def fold(text: Any) -> str:
    return " ".join(str(text).casefold().split())


def parse_request(text: str, now: dt.datetime, *, city: str | None = None, budget: float | None = None) -> Request:
    """Domains, budget and day from the words of a request, in en/de/zh."""
    said = fold(text)
    domains = tuple(d for d, words in _DOMAIN_WORDS.items() if re.search(words, said))
    if not domains and re.search(_OUTING, said):
        domains = ("event", "film", "food")
    found = _BUDGET.search(said)
    if found and budget is None:
        budget = float((found.group(1) or found.group(2)).replace(",", "."))
    day = None
    if re.search(_TODAY, said):
        day = now.date()
    elif re.search(_TOMORROW, said):
        day = now.date() + dt.timedelta(days=1)
    else:
        for word, weekday in _WEEKDAYS.items():
            if word in said:
                day = now.date() + dt.timedelta(days=(weekday - now.weekday()) % 7)
                break
    return Request(text=text, domains=domains, city=city, budget=budget, day=day, now=now)
