"""The assistant with memory, over the real cinema partner: after three orders with aisle seats at the same
cinema, "book two tickets for Dune on Saturday" proposes that cinema, the usual time and aisle seats, says
so in the confirmation, and the completed order teaches memory once more."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.remember import RememberingAssistant, aisle_seats
from tandem.agent.tasks import TaskState
from tandem.memory import MemoryStore, habits
from tandem.memory.learn import learn_from_task
from tandem.partners import cinema
from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.agent.toolsets import InMemoryPartners, in_memory_partners

pytestmark = pytest.mark.anyio


def _now() -> dt.datetime:
    """9:00 of the day the test runs (the partner's schedule starts today; not a constant of collection time)."""
    return dt.datetime.combine(dt.date.today(), dt.time(9, 0))


def _saturday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


USUAL = "Lichtspiel Potsdamer Platz"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def schedule_at(home: Path, cinema_id: str, day: dt.date, clock: str) -> None:
    """Dune at a second cinema too (``schedule_film`` uses the first), so the usual one must be chosen."""
    variant = cinema.VARIANTS["EU"]
    store = cinema.open_store(home / "partners" / f"{variant.service_id}.db", variant)
    try:
        with store.write() as conn:
            price = conn.execute("SELECT price FROM cinemas WHERE id = ?", (cinema_id,)).fetchone()[0]
            showtime = f"{cinema_id}-f-dune-{day:%Y%m%d}-{clock.replace(':', '')}"
            conn.execute("INSERT INTO showtimes VALUES (?, ?, 'Saal 1', 'f-dune', ?, ?)",
                         (showtime, cinema_id, f"{day:%Y-%m-%d} {clock}", price))
            conn.executemany("INSERT INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                             [(showtime, f"{chr(65 + r)}{c + 1}", r, c) for r in range(6) for c in range(10)])
    finally:
        store.close()


@pytest.fixture
def journal(home: Path) -> Journal:
    schedule_film(home, "DE", "Dune", "Dune", clock="20:00", day=_saturday())  # at Lichtspiel Alexanderplatz
    schedule_at(home, "lsp-pots", _saturday(), "20:00")
    write_profile(home, "DE")
    return Journal(home / "agent.db")


def _remembering(partners: InMemoryPartners, journal: Journal, memory: MemoryStore,
                 home: Path) -> RememberingAssistant:
    return RememberingAssistant(partners, journal, memory=memory, profile=load_profile(home), clock=_now)


def three_past_orders(memory: MemoryStore) -> None:
    for n, film in enumerate(("Leise Motoren", "Sieben Laternen", "Der Hafenwärter")):
        summary = {"film": film, "cinema": USUAL, "starts_at": f"2026-11-0{n + 1} 20:00", "tickets": 2,
                   "total": 27.8, "currency": "EUR", "holder": "Alex Muster"}
        learn_from_task(memory, f"t-old{n}", "buy_movie_tickets", summary, {"film": film, "seat": "aisle"},
                        {"order_id": f"o-{n}", "seats": ["G1", "G2"]})


def test_aisle_seats() -> None:
    free = [f"{r}{c}" for r in "ABCD" for c in range(1, 11) if (r, c) != ("C", 1)]
    assert aisle_seats(free, ["C1"], 2) == ["C9", "C10"]  # two thirds back; the left end is taken
    assert aisle_seats(["A5", "A6"], ["A1", "A10"], 2) is None


@pytest.mark.parametrize("sentence", ["book two tickets for Dune on Saturday", "book one ticket for Dune on Saturday"])
async def test_habits_fill_the_request_and_show_in_the_confirmation(home: Path, journal: Journal,
                                                                    sentence: str) -> None:
    memory = MemoryStore.at_home(home)
    three_past_orders(memory)
    async with in_memory_partners(home) as partners:
        plain = Assistant(partners, journal, profile=load_profile(home), clock=_now)
        assert (await plain.ask(sentence)).tasks[0].missing == "when"
        assistant = _remembering(partners, journal, memory, home)
        reply = await assistant.ask(sentence)
        task = reply.tasks[0]
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        summary = task.call.summary
        assert summary["cinema"] == USUAL and summary["starts_at"] == f"{_saturday()} 20:00"
        aisle = ("B1, B2", "B9, B10", "C1, C2", "C9, C10", "D1, D2", "D9, D10") if "two" in sentence else (
            "B1", "B10", "C1", "C10", "D1", "D10")
        assert summary["seats"] in aisle
        for said in (f"{USUAL} (your usual cinema)", "20:00 (your usual time)", "aisle seats (your preference)"):
            assert said in reply.text
        done = await assistant.confirm(task.confirmation_id or "")
        assert done.state == TaskState.DONE
    sold = partner_rows(home, "lichtspiel.cinema", "SELECT seat FROM seats WHERE order_id IS NOT NULL")
    assert sorted(r["seat"] for r in sold) == sorted(summary["seats"].split(", "))
    facts = {(i.key, i.value): i for i in memory.items(kind="fact")}
    assert facts[("cinema", USUAL)].weight == 4 and facts[("seat", "aisle")].weight == 4
    assert facts[("cinema", USUAL)].source == f"task:{task.id}"
    assert not any("Alex" in i.value or "Muster" in i.value for i in memory.items())
    memory.close()


async def test_one_order_is_not_yet_a_habit(home: Path, journal: Journal) -> None:
    memory = MemoryStore.at_home(home)
    learn_from_task(memory, "t-1", "buy_movie_tickets", {"cinema": USUAL, "starts_at": "2026-11-01 20:00"},
                    {}, {"seats": ["G1"]})
    async with in_memory_partners(home) as partners:
        assistant = _remembering(partners, journal, memory, home)
        reply = await assistant.ask("book two tickets for Dune on Saturday at 8 pm")
    call = reply.tasks[0].call
    assert call is not None and call.summary["cinema"] == "Lichtspiel Alexanderplatz"
    assert "seats" not in call.arguments and "from_memory" not in call.summary
    memory.close()


async def test_privacy_erase_leaves_nothing_of_the_user_on_the_device(home: Path, journal: Journal) -> None:
    from click.testing import CliRunner

    from tandem.cli import cli

    memory = MemoryStore.at_home(home)
    three_past_orders(memory)
    async with in_memory_partners(home) as partners:
        assistant = _remembering(partners, journal, memory, home)
        task = (await assistant.ask("book two tickets for Dune on Saturday")).tasks[0]
        assert (await assistant.confirm(task.confirmation_id or "")).state == TaskState.DONE
    journal.close()
    memory.close()
    result = CliRunner().invoke(cli, ["privacy", "erase", "--yes"], catch_exceptions=False)
    assert result.exit_code == 0 and "memory" in result.output and "agent.db" in result.output
    secrets = ("Alex Muster", "+49 30 1234567", "Friedrichstraße 100", "Kastanienallee 7", "tok_test_4242")
    # partners/ stands in for the partners' own servers: their order records are theirs to erase on request
    mine = [p for p in home.rglob("*") if p.is_file() and "partners" not in p.relative_to(home).parts]
    for path in mine:
        data = path.read_bytes()
        assert not any(s.encode() in data for s in secrets), path
    assert not (home / "profile.toml").exists() and not (home / "agent.db").exists()


async def test_the_usual_delivery_place_fills_a_food_order(home: Path, journal: Journal) -> None:
    memory = MemoryStore.at_home(home)
    for n in range(2):
        learn_from_task(memory, f"t-f{n}", "order_food", {"restaurant": "Pizzeria", "total": 11.5, "currency": "EUR"},
                        {"dish": "Pizza", "place": "office"})
    async with in_memory_partners(home) as partners:
        plain = Assistant(partners, journal, profile=load_profile(home), clock=_now)
        assert (await plain.ask("Bestell mir eine Pizza")).tasks[0].missing == "place"
        assistant = _remembering(partners, journal, memory, home)
        reply = await assistant.ask("Bestell mir eine Pizza")
    call = reply.tasks[0].call
    assert call is not None and call.summary["address"] == "Friedrichstraße 100"
    assert "to your office (as usual)" in reply.text
    memory.close()


async def test_when_the_usual_cinema_does_not_show_it_another_one_is_proposed(home: Path, journal: Journal) -> None:
    memory = MemoryStore.at_home(home)
    for n in range(3):
        learn_from_task(memory, f"t-{n}", "buy_movie_tickets", {"cinema": "Lichtspiel Schwabing",
                                                                  "starts_at": "2026-11-01 20:00"}, {}, {})
    async with in_memory_partners(home) as partners:
        assistant = _remembering(partners, journal, memory, home)
        reply = await assistant.ask("book two tickets for Dune on Saturday")
    call = reply.tasks[0].call
    assert call is not None and call.summary["cinema"] == "Lichtspiel Alexanderplatz"
    assert "usual cinema" not in reply.text and "20:00 (your usual time)" in reply.text
    memory.close()


@pytest.mark.parametrize(("usual", "note"), [("Spreehalle", True), ("Halle am Ende der Welt", False)])
async def test_a_habit_declared_only_in_the_data_fills_a_capability(home: Path, journal: Journal, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch, usual: str,
                                                                     note: bool) -> None:
    """memory/habits.toml, not agent/remember.py, says which gaps memory fills: declared there, the usual venue fills
    an event order, and (declared optional) is dropped again where the event does not play."""
    table = tmp_path / "habits.toml"
    fill = 'fill.venue = {habit = "venue", note = "{value} (your usual venue)", optional = true}\n'
    events = '[buy_event_tickets]\ndomain = "event"\n'
    table.write_text(habits.HABITS.read_text(encoding="utf-8").replace(events, events + fill), encoding="utf-8")
    monkeypatch.setattr(habits, "HABITS", table)
    memory = MemoryStore.at_home(home)
    for n in range(2):
        learn_from_task(memory, f"t-e{n}", "buy_event_tickets", {"venue": usual, "starts_at": "2026-11-01 20:00"})
    async with in_memory_partners(home) as partners:
        assistant = _remembering(partners, journal, memory, home)
        reply = await assistant.ask("book two concert tickets for Nordlicht Quartett")
    call = reply.tasks[0].call
    assert call is not None and call.summary["venue"] == "Spreehalle"
    assert ("Spreehalle (your usual venue)" in reply.text) is note and ("usual venue" in reply.text) is note
    memory.close()


async def test_what_memory_filled_in_is_said_in_the_requests_language(home: Path, journal: Journal) -> None:
    """The notes are habits.toml data per language: a German request hears them in German."""
    memory = MemoryStore.at_home(home)
    three_past_orders(memory)
    async with in_memory_partners(home) as partners:
        reply = await _remembering(partners, journal, memory, home).ask("buch zwei Karten für Dune am Samstag")
    call = reply.tasks[0].call
    assert call is not None and call.summary["cinema"] == USUAL, reply.tasks[0]
    assert call.summary["from_memory"] == f"{USUAL} (dein übliches Kino); 20:00 (deine übliche Uhrzeit); " \
                                          "Plätze am Gang (deine Vorliebe)"
    memory.close()


async def test_only_a_purchase_the_user_chose_teaches(home: Path, journal: Journal) -> None:
    # review R3: every done task taught memory: a cancelled 12.70 EUR pizza taught price_band=budget, a refund of
    # four tickets price_band=premium, and two reminders at 07:00 a "usual time" the next cinema booking would get
    memory = MemoryStore.at_home(home)
    async with in_memory_partners(home) as partners:
        assistant = _remembering(partners, journal, memory, home)
        for _ in range(2):
            reminder = (await assistant.ask("remind me tomorrow at 7 am to call mom")).tasks[0]
            if reminder.confirmation_id:
                reminder = await assistant.confirm(reminder.confirmation_id)
            assert reminder.state == TaskState.DONE, reminder
        assert memory.items(kind="fact") == []
        food = (await assistant.ask("Bestell mir eine Pizza ins Büro")).tasks[0]
        food = await assistant.confirm(food.confirmation_id or "")
        assert food.state == TaskState.DONE
        learned = {(i.key, i.value, i.weight) for i in memory.items(kind="fact")}
        assert ("domain", "food", 1.0) in learned
        cancel = (await assistant.ask("cancel my last pizza order", food.conversation_id)).tasks[0]
        if cancel.confirmation_id:
            cancel = await assistant.confirm(cancel.confirmation_id)
        assert cancel.state == TaskState.DONE, cancel
    assert {(i.key, i.value, i.weight) for i in memory.items(kind="fact")} == learned
    memory.close()
