"""A pair of what lets one person in is two of it ("a pair of tickets": 2; measure_words.toml ``pairs``, ``admits``);
a pair of anything else is one pair ("a pair of socks"); German "ein paar" in lower case is "a few": no count."""

import datetime as dt

import pytest

from tandem.agent.counts import counts_said
from tandem.agent.understand import TemplateParser


def _counts(text: str, lang: str) -> list[int]:
    return [c.count for c in counts_said(text, lang) if not c.party]


@pytest.mark.parametrize(("text", "lang", "counts"), [
    ("get me a pair of tickets for Dune tonight", "en", [2]),
    ("book a pair of seats for Hamlet on Friday", "en", [2]),
    ("grab a pair of movie tickets for Barbie", "en", [2]),
    ("could you buy a pair of tickets to the Nutcracker", "en", [2]),
    ("two pairs of tickets for the match", "en", [4]),
    ("A pair of tickets for Oppenheimer, please", "en", [2]),
    ("buch ein Paar Kinokarten für Dune", "de", [2]),
    ("kauf ein Paar Karten für das Coldplay-Konzert", "de", [2]),
    ("Ein Paar Tickets für Hamlet bitte", "de", [2]),
    ("zwei Paar Karten für das Spiel", "de", [4]),
    # a pair of anything else is one pair, a unit
    ("order a pair of socks", "en", [1]),
    ("buy a pair of running shoes", "en", [1]),
    ("bestell ein Paar Socken", "de", [1]),
    ("zwei Paar Handschuhe bitte", "de", [2]),
    # "ein paar" says a few: no count
    ("ein paar Karten für Dune", "de", []),
    ("Ein paar Karten für Dune bitte", "de", []),
    # where the case tells nothing (all in capitals, all in lower case) "ein Paar" may be a few: no count, asked
    # (reread24 L2); after another count it is a pair whatever the case
    ("EIN PAAR KARTEN FÜR BARBIE", "de", []),
    ("KAUF EIN PAAR TICKETS FÜR HAMLET", "de", []),
    ("BESTELL EIN PAAR SOCKEN", "de", []),
    ("ein paar karten für barbie", "de", []),
    ("ZWEI PAAR KARTEN FÜR DAS SPIEL", "de", [4]),
    ("zwei paar karten für das spiel", "de", [4]),
    ("drei paar socken bitte", "de", [3]),
    ("kauf ein Paar Karten für Barbie heute", "de", [2]),
    # English writes no "a few" with "pair": its case never matters
    ("A PAIR OF TICKETS FOR DUNE", "en", [2]),
    ("a pair of tickets for dune", "en", [2]),
])
def test_a_pair_of_tickets_is_two(text: str, lang: str, counts: list[int]) -> None:
    assert _counts(text, lang) == counts


@pytest.mark.parametrize("text", ["BESTELL EIN PAAR PIZZA INS BÜRO", "BESTELL EIN PAAR NUDELN INS BÜRO",
                                  "BESTELL EIN PAAR BURGER INS BÜRO", "BESTELL EIN PAAR FRÜHLINGSROLLEN INS BÜRO"])
def test_a_few_in_capitals_is_read_as_in_lower_case(text: str) -> None:
    """review25 R25-1: all in capitals "EIN PAAR" left the dish "EIN PAAR PIZZA"; it is read as "a few" in lower case
    is: the thing alone, no count (asked)."""
    now = dt.datetime(2026, 11, 29, 15, 0)
    upper = TemplateParser().parse(text, now, lang="de").intents
    lower = TemplateParser().parse(text.lower(), now, lang="de").intents
    assert [(i.name, str(i.slots.get("dish")).casefold(), i.slots.get("count")) for i in upper] == \
        [(i.name, str(i.slots.get("dish")).casefold(), i.slots.get("count")) for i in lower]
    assert upper and "paar" not in str(upper[0].slots.get("dish")).casefold()
