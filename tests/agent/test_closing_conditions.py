"""A polite condition closes a request ("… to the office *if you could*", "… ins Büro, *wenn möglich*", "送到办公室，
*如果可以的话*"): the place or thing kept it ("office if you could", slots17 on blind25's tune half). A note or a to-do
says them itself and keeps them. An infinitive's "zu" closes a German place ("ins Büro liefern *zu* lassen" kept
"Büro liefern zu lassen"), never a title ("Keine Zeit zu sterben"). Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.closing import closed
from tandem.agent.understand import Understander

_CUT = [  # (value, language, place?, kept)
    ("office if you could", "en", True, "office"), ("home if possible", "en", True, "home"),
    ("the office if that's ok", "en", True, "the office"), ("Alexanderplatz if you don't mind", "en", True,
                                                           "Alexanderplatz"),
    ("a bowl of ramen if you can", "en", False, "a bowl of ramen"),
    ("Hauptbahnhof wenn möglich", "de", True, "Hauptbahnhof"), ("Büro liefern zu lassen", "de", True, "Büro"),
    ("Büro zu liefern", "de", True, "Büro"), ("Hause zu bringen", "de", True, "Hause"),
    ("Käsespätzle wenn es geht", "de", False, "Käsespätzle"),
    ("办公室，如果可以的话", "zh", True, "办公室"), ("公司如果可以", "zh", True, "公司"),
]
_KEPT = [  # a note's or a to-do's own words (no place, nothing counted)
    ("call the landlord back if possible", "en"), ("ask Tom if you can borrow his car", "en"),
    ("Vermieter zurückrufen, wenn möglich", "de"), ("如果可以的话早点回家", "zh"),
]


@pytest.mark.parametrize(("value", "lang", "place", "kept"), _CUT)
def test_a_polite_condition_closes_a_place_or_a_thing(value: str, lang: str, place: bool, kept: str) -> None:
    assert closed(value, lang, place=place, counts=not place) == kept


@pytest.mark.parametrize("title", ["Keine Zeit zu sterben", "Zeit zu leben", "Nichts zu verlieren"])
def test_a_title_keeps_its_zu(title: str) -> None:
    assert closed(title, "de", counts=True) == title


@pytest.mark.parametrize(("value", "lang"), _KEPT)
def test_a_note_or_a_to_do_keeps_them(value: str, lang: str) -> None:
    assert closed(value, lang) == value


@pytest.mark.parametrize(("said", "place"), [
    ("order a pizza to the office if you could", "office"),
    ("Bestell mir eine Pizza ins Büro, wenn möglich", "office"),  # a saved place, by its key
    ("Hast du Lust, mir eine Pizza ins Büro liefern zu lassen?", "office"),
    ("帮我点一份披萨送到办公室，如果可以的话", "office"),
])
def test_an_order_said_with_a_condition_of_politeness_goes_to_the_place(understander: Understander, said: str,
                                                                        place: str) -> None:
    read = understander.understand(said, dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    assert [(i.name, i.slots.get("place")) for i in read.intents] == [("order_food", place)]
