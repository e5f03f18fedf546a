"""Words of a day typed or texted as people type them (time_words.toml ``typed``): "tmrw", "tommorow", "tonite",
"thurs", "morgn" are read as the day and cut out as typed. Said at noon on Monday 7 December 2026. Own sentences, none
from a bench set."""

import datetime as dt

import pytest

from tandem.agent import slots
from tandem.agent.slots import extract_when

NOW = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "iso", "said", "rest"), [
    ("remind me tommorow morning to water the plants", "en", "2026-12-08", "tommorow morning",
     "remind me to water the plants"),
    ("pls remind me tmrw to book the car", "en", "2026-12-08", "tmrw", "pls remind me to book the car"),
    ("two tickets for Wicked tomorow nite at 9", "en", "2026-12-08T21:00", "tomorow nite at 9",
     "two tickets for Wicked"),
    ("a table for 2 tonite at 8", "en", "2026-12-07T20:00", "tonite at 8", "a table for 2"),
    ("thurs pilates is off", "en", "2026-12-10", "thurs", "pilates is off"),
    ("lunch with Jo on Fri at 1", "en", "2026-12-11T13:00", "Fri at 1", "lunch with Jo"),
    ("TMRW in 20 minutes", "en", "2026-12-08", "TMRW", "in 20 minutes"),
    ("erinner mich morgn die Oma anzurufen", "de", "2026-12-08", "morgn", "erinner mich die Oma anzurufen"),
    ("zwei Karten für übermorgn", "de", "2026-12-09", "übermorgn", "zwei Karten"),
])
def test_a_day_typed_short_or_misspelt_is_the_day(text: str, lang: str, iso: str, said: str, rest: str) -> None:
    when, left = extract_when(text, NOW, lang)
    assert when is not None and (when.iso, when.text, left) == (iso, said, rest)


@pytest.mark.parametrize(("text", "lang"), [
    ("c'mon, order the pizza", "en"), ("we'd like two pizzas", "en"), ("book the Monterey tour", "en"),
])
def test_a_word_that_only_holds_a_typed_day_says_none(text: str, lang: str) -> None:
    assert extract_when(text, NOW, lang) == (None, text)


@pytest.mark.parametrize(("text", "lang", "rest"), [  # review29 R29-15, reread29 M1: a title's or a name's word
    ("two tickets for Mon Oncle tonight at 8", "en", "two tickets for Mon Oncle"),
    ("remind me to call Thu at 5", "en", "remind me to call Thu"),
    ("set a reminder at 7 to call Mon about the rent", "en", "set a reminder to call Mon about the rent"),
])
def test_a_short_day_that_is_a_name_too_stays_the_name(text: str, lang: str, rest: str) -> None:
    when, left = extract_when(text, NOW, lang)
    assert when is not None and when.date == NOW.date().isoformat() and left == rest


@pytest.mark.parametrize(("text", "iso", "rest"), [  # review of 0554949: beside a clock, a part of the day or "on"
    ("remind me thu 10am dentist", "2026-12-10T10:00", "remind me dentist"),
    ("meeting wed 3pm", "2026-12-09T15:00", "meeting"), ("Mon 9am standup", "2026-12-14T09:00", "standup"),
    ("tue morning run", "2026-12-08", "run"), ("lunch on wed", "2026-12-09", "lunch"),
])
def test_a_short_day_that_is_a_name_too_is_a_day_beside_a_time(text: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW, "en")
    assert when is not None and when.iso == iso and left == rest


def test_the_pattern_of_short_days_beside_a_time_is_built_once() -> None:
    """It was built on every ``extract_when`` call (reread29, slots._typed_days): each later call reuses it."""
    extract_when("meeting wed 3pm", NOW, "en")
    built = slots._typed_beside.cache_info().misses
    for text in ("lunch on wed", "remind me thu 10am dentist", "tue morning run"):
        extract_when(text, NOW, "en")
    assert slots._typed_beside.cache_info().misses == built
