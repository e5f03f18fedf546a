"""Learning: statements in en/de/zh, facts from completed tasks (with weights growing by repetition)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from tandem.memory import MemoryStore, habits
from tandem.memory.learn import Statement, learn_from_task, parse_statement, price_band, time_of_day
from tandem.memory.request import parse_request


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm vegetarian", Statement("diet", "vegetarian", 1)),
    ("Ich bin Vegetarierin", Statement("diet", "vegetarian", 1)),
    ("我吃素", Statement("diet", "vegetarian", 1)),
    ("aisle seats please", Statement("seat", "aisle", 1)),
    ("Gangplatz bitte", Statement("seat", "aisle", 1)),
    ("no horror films", Statement("genre", "horror", -1)),
    ("Keine Horrorfilme", Statement("genre", "horror", -1)),
    ("I love turkish food", Statement("cuisine", "turkish", 1)),
    ("my budget is 30 euros", Statement("price_max", "30", 1)),
    ("I hate crowds", Statement("avoid", "crowds", -1)),
    # walk4 W4-10: a Chinese "not" after "我" was missed (a dislike of horror stored as liking "不喜欢恐怖"), an
    # allergy was stored as a like, and German "vegetarisch" as liking "esse vegetarisch"
    ("我不喜欢恐怖片", Statement("genre", "恐怖", -1)),
    ("我讨厌恐怖电影", Statement("genre", "恐怖", -1)),
    ("I'm allergic to nuts", Statement("avoid", "nuts", -1)),
    ("Ich bin allergisch gegen Nüsse", Statement("avoid", "nüsse", -1)),
    ("我对花生过敏", Statement("avoid", "花生", -1)),
    ("Ich esse vegetarisch", Statement("diet", "vegetarian", 1)),
])
def test_statements(text: str, expected: Statement) -> None:
    assert parse_statement(text) == expected


@pytest.mark.parametrize("text", ["x" * 100_000, "7" * 100_000, "电" * 100_000, "a-" * 50_000, "1." * 50_000])
def test_a_long_text_is_read_in_linear_time(text: str) -> None:
    # the amount and the "Horrorfilme" genre were tried from every letter or digit: 100,000 of them held a request
    # (POST /v1/memory/items, /v1/recommendations, a task's text) for minutes; each takes milliseconds now
    started = time.perf_counter()
    parse_statement(text)
    parse_request(text, dt.datetime(2026, 11, 28, 12))
    assert time.perf_counter() - started < 5


def test_no_statement_is_none() -> None:
    assert parse_statement("  ") is None
    assert parse_statement("I like films") is None


def test_helpers() -> None:
    assert time_of_day("2026-11-29T20:30") == "evening" and time_of_day("2026-11-29") is None
    assert price_band(12.5, "EUR") == "budget" and price_band(180, "CNY") == "mid"
    assert price_band(60, "EUR") == "premium"


def test_three_cinema_orders_make_a_habit_without_personal_data(store: MemoryStore) -> None:
    for n, film in enumerate(("Orbit of Glass", "Quiet Engines", "Seven Lanterns")):
        summary = {"partner": "Lichtspiel", "film": film, "cinema": "Lichtspiel Alexanderplatz",
                   "starts_at": f"2026-11-2{n}T20:30", "tickets": 2, "total": 25.0, "currency": "EUR",
                   "holder": "Maria Beispiel"}
        learn_from_task(store, f"t-{n}", "buy_movie_tickets", summary, {"film": film, "seat": "aisle"},
                        {"seats": ["F1", "F2"], "order_id": "o-1"})
    facts = {(i.key, i.value): i for i in store.items(kind="fact")}
    assert facts[("cinema", "Lichtspiel Alexanderplatz")].weight == 3
    assert facts[("seat", "aisle")].weight == 3 and facts[("seat", "aisle")].source == "task:t-2"
    assert facts[("party_size", "2")].weight == 3 and facts[("time_of_day", "evening")].weight == 3
    assert facts[("price_band", "budget")].weight == 3 and facts[("domain", "film")].weight == 3
    assert not any("Maria" in i.value or "Beispiel" in i.value for i in store.items())


def test_a_partner_value_memory_cannot_hold_is_not_learned_and_the_rest_is(store: MemoryStore) -> None:
    # a hostile partner's restaurant name (600 characters, or a terminal escape) raised out of learning, after the
    # order was placed: the confirmation answered 400 for a purchase that had gone through
    for n, name in enumerate(("x" * 600, "Pizzeria\x1b[2J")):
        learn_from_task(store, f"t-{n}", "order_food", {"restaurant": name, "cuisine": "italian", "total": 12.7,
                                                        "currency": "EUR"}, {"place": "office"})
    facts = {(i.key, i.value) for i in store.items(kind="fact")}
    assert ("cuisine", "italian") in facts and ("place", "office") in facts
    assert not [value for key, value in facts if key == "restaurant"]


def test_seats_the_partner_handed_out_teach_no_preference(store: MemoryStore) -> None:
    """The cinema hands out seats from A1: ordinary bookings must not turn into an "aisle" habit."""
    for n in range(3):
        summary = {"film": "Dune", "cinema": "Lichtspiel", "starts_at": f"2026-11-2{n}T20:00", "tickets": 2}
        learn_from_task(store, f"t-{n}", "buy_movie_tickets", summary, {"film": "Dune"},
                        {"seats": ["A1", "A2"], "order_id": f"o-{n}"})
    assert not [i for i in store.items(kind="fact") if i.key == "seat"]


def test_a_capability_declared_only_in_the_habits_data_is_learned_from(store: MemoryStore, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A capability Tandem's code has never heard of (a taxi ride) declared in memory/habits.toml: its rides teach
    the domain, the time and the saved place they went to, never a typed address."""
    table = tmp_path / "habits.toml"
    table.write_text(habits.HABITS.read_text(encoding="utf-8") + '\n[book_taxi]\ndomain = "ride"\n'
                     'learn = {place = "slots.destination"}\nonly = {place = ["home", "office"]}\n', encoding="utf-8")
    monkeypatch.setattr(habits, "HABITS", table)
    for n, destination in enumerate(("office", "office", "Friedrichstraße 100")):
        learn_from_task(store, f"t-{n}", "book_taxi", {"to": destination, "starts_at": "2026-11-20T08:10"},
                        {"destination": destination})
    facts = {(i.key, i.value): i.weight for i in store.items(kind="fact")}
    assert facts[("domain", "ride")] == 3 and facts[("place", "office")] == 2 and facts[("clock", "08:10")] == 3
    assert not any("Friedrich" in value for _, value in facts)
