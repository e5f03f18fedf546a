"""The egress safety net for numbers and German postcodes: what no rule could parse still counts as personal.

A phone written without any separator ("0579656124"), a customer number, a postcode standing before a
town ("61262 Beilngries"): the shape rules in ``patterns.py`` and ``chinese.py`` name what they recognise;
this detector, run only before a cloud call, replaces any other run of six or more digits (single spaces,
dashes, slashes or brackets between them; not dates, amounts or decimals, which use dots and commas) and
a five-digit postcode before a capitalised word; in English text any five-digit number that is no amount
or count ("KNIVSTA, nan 18237", "Brickfields, 50470": a ZIP or postcode whose address lines no rule could
parse, a customer number). The cost is precision: an order number becomes a
placeholder too (measured in ``bench/privacy.py``).
"""

from __future__ import annotations

import re

from tandem.privacy.detect import Finding
from tandem.privacy.word_sets import GERMAN_COMMON

__all__ = ["DigitRuns"]

# An area code in brackets counts with its number: "(04521) 778812".
_RUN = re.compile(r"(?<![\d.,:])(?:\+|\((?=\d))?\d(?:[ \-/]?\)?[ \-/(]?\d){5,}(?![\d.,]\d)")
_POSTCODE = re.compile(r"(?<![\d.,])(\d{5})[ \t]+([A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+)?)")
# Five digits standing alone (not inside a code like "STL03071"): not "$12345", "12,345", "1.2345", and not
# followed by a unit or currency ("12000 dollars").
_FIVE = re.compile(r"(?<![\w.,:$€£¥#/-])\d{5}(?!\w|[.,:/-]\d)")
_UNITS = re.compile(r"[ \t]*(?:%|(?i:dollars?|bucks|usd|eur|euros?|pounds?|gbp|yen|yuan|rmb|francs?|people|persons|"
                    r"users|visitors|views|votes|fans|employees|students|copies|units|items|words|steps|points|calories|"
                    r"kcal|km|kilometers?|kilometres?|miles?|m|meters?|metres?|feet|ft|kg|lbs?|tons?|mah|mb|gb|kb|"
                    r"rpm|hz|years?|days?|hours?|minutes?|seconds?)\b)")
_NOT_TOWNS = frozenset({"euro", "eur", "dollar", "stück", "mal", "menschen", "einwohner", "besucher", "kilometer",
                        "meter", "punkte", "tonnen", "jahre", "tage", "stunden", "minuten", "teilnehmer"})


class DigitRuns:
    """See the module docstring."""

    def detect(self, text: str, language: str) -> list[Finding]:
        if sum(c.isdigit() for c in text) < 5:
            return []
        found = [Finding(m.start(), m.end(), "ID_NUMBER", m.group(), 0.4, "fail-closed") for m in _RUN.finditer(text)]
        if language == "en":
            found += [Finding(m.start(), m.end(), "ID_NUMBER", m.group(), 0.35, "fail-closed")
                      for m in _FIVE.finditer(text) if not _UNITS.match(text, m.end())]
        if language == "de":
            for m in _POSTCODE.finditer(text):
                town = m.group(2).lower()
                if town not in _NOT_TOWNS and town not in GERMAN_COMMON:
                    found.append(Finding(m.start(), m.end(), "ADDRESS", m.group(), 0.6, "fail-closed"))
        return found
