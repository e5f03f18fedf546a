"""Event tickets (concerts, theatre, comedy) through the reference tickets partner: asked for as such, or as
"tickets for <title>" when no film has that title; a concert poster; confirmed before anything is bought."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.poster import apply_poster, read_poster
from tandem.agent.profile import load_profile
from tandem.agent.slots import extract_when
from tandem.agent.spoken import say
from tandem.agent.tasks import TaskState
from tandem.agent.understand import TemplateParser
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


def _now() -> dt.datetime:
    """9:30 on the day the test runs (the partners' schedules start on the day they run), never the day collected."""
    return dt.datetime.combine(dt.date.today(), dt.time(9, 30))


def _concert_day() -> dt.date:
    """Nordlicht Quartett plays three days after the seed, which is the day the partners run."""
    return dt.date.today() + dt.timedelta(days=3)


def assistant_for(home: Path, partners: object) -> Assistant:
    return Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_now)  # type: ignore[arg-type]


@pytest.mark.parametrize("sentence", ["book two concert tickets for Nordlicht Quartett",
                                      "buch zwei Konzertkarten für Nordlicht Quartett",
                                      "book two tickets for Nordlicht Quartett"])  # no film has that title
async def test_concert_tickets_proposed_then_bought_once(home: Path, sentence: str) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        assistant = assistant_for(home, partners)
        (task,) = (await assistant.ask(sentence)).tasks
        assert task.intent == "buy_event_tickets" and task.state == TaskState.AWAITING_CONFIRMATION, task
        assert task.call is not None
        summary = task.call.summary
        assert summary["event"] == "Nordlicht Quartett – Wintertour" and summary["venue"] == "Spreehalle"
        assert summary["starts_at"] == f"{_concert_day().isoformat()} 20:00" and summary["tickets"] == 2
        assert (summary["section"], summary["total"], summary["holder"]) == ("Rang", 78.0, "Alex Muster")
        assert partner_rows(home, "rangplatz.tickets", "SELECT * FROM orders") == []  # nothing before yes
        assert say(task).startswith(("Book 2 tickets for Nordlicht Quartett – Wintertour at Spreehalle on ",
                                     "2 Karten für Nordlicht Quartett – Wintertour in Spreehalle am "))
        done = await assistant.confirm(task.confirmation_id or "")
        again = await assistant.confirm(task.confirmation_id or "")
    assert done.state == again.state == TaskState.DONE
    (order,) = partner_rows(home, "rangplatz.tickets", "SELECT * FROM orders")
    assert order["total"] == 78.0 and order["holder"] == "Alex Muster"
    sold = partner_rows(home, "rangplatz.tickets", f"SELECT seat FROM seats WHERE order_id = '{order['id']}'")
    assert len(sold) == 2 and all(s["seat"].startswith("Rang-") for s in sold)


async def test_chinese_concert(home: Path) -> None:
    write_profile(home, "CN")
    async with in_memory_partners(home, "CN") as partners:
        (task,) = (await assistant_for(home, partners).ask("帮我订两张星河乐队新年演唱会的门票")).tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
    assert task.call.summary["event"] == "星河乐队新年演唱会" and task.call.summary["tickets"] == 2


async def test_unknown_title_asks_with_what_is_on(home: Path) -> None:
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        (task,) = (await assistant_for(home, partners).ask("book two concert tickets for The Silent Choir")).tasks
    assert task.state == TaskState.NEEDS_INFO and "Nordlicht Quartett" in (task.question or "")
    assert task.call is None


async def test_a_time_that_does_not_match_is_not_booked(home: Path) -> None:
    write_profile(home, "DE")
    day = _concert_day().strftime("%A")
    async with in_memory_partners(home) as partners:
        (task,) = (await assistant_for(home, partners).ask(
            f"book two concert tickets for Nordlicht Quartett on {day} at 11 am")).tasks
    assert task.state == TaskState.NEEDS_INFO and task.call is None


def _span_before_the_concert() -> str | None:
    """A stretch of days said in English that holds the concert's day but begins earlier, worked out when the test runs
    ("this week" on a Monday, "next month" near a month's end); None on the rare day when none does."""
    day = _concert_day().isoformat()
    for said in ("this week", "next week", "this month", "next month", "this weekend", "next weekend"):
        when, _ = extract_when(f"tickets {said}", _now(), "en")
        if when is not None and when.end is not None and when.date < day <= when.end:
            return said
    return None


async def test_a_stretch_of_days_finds_an_event_after_its_first_day(home: Path) -> None:
    """"... this week" (a weekend, a month) is every day of it: the concert three days on is found, not only what is on
    the stretch's first day (before, only that day was searched and the user was asked which event)."""
    said = _span_before_the_concert()
    if said is None:
        pytest.skip("no stretch of days begins before the concert today")
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        asked = await assistant_for(home, partners).ask(f"book two concert tickets for Nordlicht Quartett {said}")
    (task,) = asked.tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None, (said, task.question)
    assert task.call.summary["starts_at"] == f"{_concert_day().isoformat()} 20:00"


async def test_concert_poster(home: Path) -> None:
    write_profile(home, "DE")
    concert = _concert_day()
    day = f"{concert.day}.{concert.month}.{concert.year}"
    poster = read_poster([("Live in concert", 30), ("NORDLICHT QUARTETT", 70),
                          (f"{day} · Einlass 19:00 · Beginn 20:00", 30), ("Spreehalle Berlin", 36)], _now())
    request = "book two tickets for this"
    understanding = apply_poster(TemplateParser().parse(request, _now()), poster)
    async with in_memory_partners(home) as partners:
        (task,) = (await assistant_for(home, partners).ask(request, understanding=understanding)).tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None, task
    assert task.call.summary["event"] == "Nordlicht Quartett – Wintertour" and task.call.summary["tickets"] == 2
