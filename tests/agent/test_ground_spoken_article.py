"""Spoken German "ne", "nen" for "eine", "einen" (measure_words.toml ``articles`` and ``numbers``; reread25 L5):
"bestell *ne* Pizza" orders one pizza, not a dish "ne Pizza". The tag question "…, ne?" and the repair "zwei ne
drei" stay what they were. Own sentences, none from a bench set."""

import datetime as dt

import pytest

NOW = dt.datetime(2026, 11, 29, 15, 0)


def _read(understander, text: str) -> list[tuple[str, dict]]:
    return [(i.name, {k: v for k, v in i.slots.items() if k not in ("when", "when_end")})
            for i in understander.understand(text, NOW).intents]


@pytest.mark.parametrize(("text", "name", "slot", "value"), [
    ("bestell ne Pizza ins Büro", "order_food", "dish", "Pizza"),
    ("bestell mir ne Lasagne nach Hause", "order_food", "dish", "Lasagne"),
    ("ich hätte gern ne Portion Pommes nach Hause", "order_food", "dish", "Pommes"),
    ("kauf ne Powerbank und schick sie ins Büro", "buy_product", "item", "Powerbank"),
    ("buch mir ne Karte für Dune heute Abend", "buy_movie_tickets", "film", "Dune"),
])
def test_ne_is_one(understander, text: str, name: str, slot: str, value: str) -> None:
    [(said, slots)] = _read(understander, text)
    assert (said, slots[slot], slots["count"]) == (name, value, 1)


@pytest.mark.parametrize(("text", "name", "slot", "value"), [
    ("bestell zwei Pizzen ins Büro, ne?", "order_food", "count", 2),  # a tag question
    ("bestell zwei ne drei Pizzen ins Büro", "order_food", "count", 3),  # a repair
    ("notier: ne Kiste Wasser kaufen", "take_note", "text", "ne Kiste Wasser kaufen"),  # dictated as said
    ("erinner mich morgen um 9 an ne Rückmeldung für Tom", "set_reminder", "todo", "ne Rückmeldung für Tom"),
])
def test_ne_elsewhere_stays(understander, text: str, name: str, slot: str, value: object) -> None:
    [(said, slots)] = _read(understander, text)
    assert (said, slots[slot]) == (name, value)
