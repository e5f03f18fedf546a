"""A month said alone after a thing ("the Nutcracker *in December*", "Kebekus *im Dezember*"; time_words.toml
``month_leads`` and ``dates`` months) is no part of the thing, and a value that is only a month names no place or
thing. Own sentences, none from a bench set."""

import pytest

from tandem.agent.besides import month_only
from tandem.agent.capabilities import shipped
from tandem.agent.ground import ended


def _spec(name: str):
    return next(s for s in shipped() if s.name == name)


@pytest.mark.parametrize(("slot", "value", "lang", "thing"), [
    ("venue", "Royal Albert Hall in December", "en", "Royal Albert Hall"),
    ("event", "Swan Lake in March", "en", "Swan Lake"),
    ("event", "the Proms in the month of August", "en", "the Proms"),
    ("venue", "Elbphilharmonie im Dezember", "de", "Elbphilharmonie"),
    ("event", "Helge Schneider im Oktober", "de", "Helge Schneider"),
])
def test_a_month_said_alone_is_no_part_of_a_value(slot: str, value: str, lang: str, thing: str) -> None:
    assert ended(_spec("buy_event_tickets"), {slot: value}, lang)[slot] == thing


@pytest.mark.parametrize(("value", "lang"), [
    ("August Rush", "en"),  # a month that opens a title
    ("Festival of May", "en"),
    ("Konzert am 3. Dezember", "de"),  # a date, the time reader's
    ("may", "en"),  # a verb, in lower case
    ("Mar", "en"),  # a shortening
    ("Jan", "de"),  # a name too
])
def test_other_words_stay(value: str, lang: str) -> None:
    assert not month_only(value, lang)
    assert ended(_spec("buy_event_tickets"), {"event": value}, lang)["event"] == value


def test_a_note_keeps_its_month() -> None:
    assert ended(_spec("take_note"), {"text": "Urlaub im Dezember"}, "de")["text"] == "Urlaub im Dezember"


@pytest.mark.parametrize(("value", "lang"), [("Dezember", "de"), ("November", "en")])
def test_a_month_read_as_the_place_of_a_thing_is_none(value: str, lang: str) -> None:
    """"{event} im {venue}" read "Kebekus im Dezember": the month is no place."""
    out = ended(_spec("buy_event_tickets"), {"event": "Kebekus", "venue": value}, lang)
    assert out == {"event": "Kebekus", "venue": ""}


@pytest.mark.parametrize(("value", "lang"), [("August", "de"), ("June", "en")])
def test_a_title_that_is_a_month_stays(value: str, lang: str) -> None:
    """reread25 L1: "zwei Karten für August heute Abend" lost the film."""
    assert ended(_spec("buy_movie_tickets"), {"film": value}, lang)["film"] == value


@pytest.mark.parametrize(("value", "lang"), [("August", "de"), ("June", "en")])
def test_a_title_that_is_a_month_stays_beside_its_place(value: str, lang: str) -> None:
    """reread25 L1b: "zwei Karten für August im Delphi heute Abend" kept the cinema and lost the film."""
    out = ended(_spec("buy_movie_tickets"), {"film": value, "cinema": "Delphi"}, lang)
    assert out == {"film": value, "cinema": "Delphi"}
