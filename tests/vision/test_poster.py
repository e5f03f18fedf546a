"""Posters → bookings: PNG posters drawn with PIL (English, German, Chinese; film and concert), read by the
real OCR, parsed into the event's title, date, time and venue, and booked over the reference cinema
partner only after the request pointed at them ("book two tickets for this")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.poster import Poster, apply_poster, find_date, read_poster
from tandem.agent.profile import load_profile
from tandem.agent.skills import fold
from tandem.agent.tasks import TaskState
from tandem.agent.understand import TemplateParser
from tandem.vision.image import load_image
from tandem.vision.registry import VisionRegistry
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners
from tests.test_cli import tandem
from tests.vision.conftest import render

NOW = dt.datetime.combine(dt.date.today(), dt.time(9, 30))
DAY = NOW.date() + dt.timedelta(days=3)  # inside the partner's seven-day schedule
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember")
_EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DE_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def lines_of(vision: VisionRegistry, png: bytes) -> list[tuple[str, float]]:
    analysis = vision.analyze(load_image(png, max_pixels=10_000_000))
    return [(line.text, float(line.box[3][1] - line.box[0][1])) for line in analysis.lines]


POSTERS = {  # region, request, poster lines (text, points, colour), film, cinema
    "en": ("DE", "book two tickets for this",
           (("DUNE: PART TWO", 72, "black"), (f"{_EN_DAYS[DAY.weekday()]} {DAY.day} {_EN_MONTHS[DAY.month - 1]} "
                                              f"{DAY.year} 20:00", 40, "darkred"),
            ("Lichtspiel Alexanderplatz, Berlin", 36, "black")), "Dune", "Lichtspiel Alexanderplatz"),
    "de": ("DE", "Buch mir zwei Karten für diesen Film",
           (("DUNE", 80, "navy"), (f"{_DE_DAYS[DAY.weekday()]}, {DAY.day}. {_DE_MONTHS[DAY.month - 1]} {DAY.year}",
                                   40, "black"),
            ("Beginn 20 Uhr", 36, "black"), ("Tickets ab 12,50 €", 28, "gray"),
            ("Lichtspiel Alexanderplatz", 36, "black")), "Dune", "Lichtspiel Alexanderplatz"),
    "zh": ("CN", "帮我订两张这部电影的票",
           (("沙丘", 90, "black"), (f"{DAY.year}年{DAY.month}月{DAY.day}日 晚上8点", 40, "darkred"),
            ("光影影城(国贸店)", 40, "black")), "沙丘", "光影影城(国贸店)"),
}


def test_dates_in_three_languages() -> None:
    today = dt.date(2026, 11, 29)
    cases = {"Sat 12 Dec 2026": dt.date(2026, 12, 12), "Samstag, 12. Dezember 2026": dt.date(2026, 12, 12),
             "12.12.2026": dt.date(2026, 12, 12), "Fr. 4.12. · 20 Uhr": dt.date(2026, 12, 4),
             "2026年12月12日": dt.date(2026, 12, 12), "1月3日": dt.date(2027, 1, 3),
             "December 3rd, 8 pm": dt.date(2026, 12, 3), "2027-02-01": dt.date(2027, 2, 1),
             "14 March": dt.date(2027, 3, 14), "20:00": None, "31.02.2026": None}
    for text, day in cases.items():
        found = find_date(text, today)
        assert (found[0] if found else None) == day, text


def test_poster_lines_to_event() -> None:
    now = dt.datetime(2026, 11, 29, 12)
    concert = read_poster([("Live in concert", 30), ("NORDLICHT QUARTETT", 70), ("Wintertour", 40),
                           ("Fr. 4.12.2026 · Einlass 19:00 · Beginn 20:00", 30), ("Spreehalle Berlin", 36),
                           ("Karten 39 € / 59 €", 30)], now)
    assert concert.title == "NORDLICHT QUARTETT" and concert.when is not None
    assert concert.when.iso == "2026-12-04T20:00"  # the show starts at 20:00, doors open at 19:00
    assert concert.venue == "Live in concert, Wintertour, Spreehalle Berlin"
    weekday = read_poster([("THE ECHOES", 60), ("Saturday 8 pm", 30), ("Spreehalle", 30)], now)
    assert weekday.when is not None and weekday.when.iso == "2026-12-05T20:00"  # the coming Saturday
    assert read_poster([("12,50 €", 30)], now) == Poster(None, None, None, ("12,50 €",))


def test_apply_poster_fills_only_what_the_request_left_open() -> None:
    poster = Poster("DUNE: PART TWO", None, "Lichtspiel Alexanderplatz", ())
    parser = TemplateParser()
    pointing = apply_poster(parser.parse("book two tickets for this", NOW), poster).intents[0]
    assert pointing.slots == {"film": "DUNE: PART TWO", "count": 2, "cinema": "Lichtspiel Alexanderplatz"}
    named = apply_poster(parser.parse("book two tickets for Seven Lanterns at Lichtspiel Schwabing", NOW),
                         poster).intents[0]
    assert named.slots["film"] == "Seven Lanterns" and named.slots["cinema"] == "Lichtspiel Schwabing"


@pytest.mark.anyio
@pytest.mark.parametrize("lang", sorted(POSTERS))
async def test_poster_proposes_that_showing(home: Path, vision: VisionRegistry, lang: str) -> None:
    region, request, lines, film, cinema = POSTERS[lang]
    read = lines_of(vision, render(lines, size=(900, 600)))
    text = " ".join(t for t, _ in read)
    assert all(fold(part) in fold(text) for part in (lines[0][0], cinema))  # OCR read the poster
    poster = read_poster(read, NOW)
    assert poster.when is not None and poster.when.iso == f"{DAY.isoformat()}T20:00", poster
    write_profile(home, region)
    understanding = apply_poster(TemplateParser().parse(request, NOW), poster)
    async with in_memory_partners(home, "EU" if region == "DE" else "CN") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=lambda: NOW)
        (task,) = (await assistant.ask(request, understanding=understanding)).tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None, task
    summary = task.call.summary
    assert (summary["film"], summary["cinema"], summary["tickets"]) == (film, cinema, 2)
    assert summary["starts_at"] == f"{DAY.isoformat()} 20:00"


@pytest.mark.anyio
async def test_a_venue_the_partner_does_not_have_is_not_booked_elsewhere(home: Path) -> None:
    write_profile(home, "DE")
    poster = read_poster([("DUNE: PART TWO", 72), (f"{DAY.day}.{DAY.month}.{DAY.year} 20:00", 40),
                          ("Kino Babylon Berlin", 40)], NOW)
    understanding = apply_poster(TemplateParser().parse("book two tickets for this", NOW), poster)
    async with in_memory_partners(home) as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=lambda: NOW)
        (task,) = (await assistant.ask("book two tickets for this", understanding=understanding)).tasks
    assert task.state == TaskState.NEEDS_INFO and task.call is None


@pytest.mark.usefixtures("judged_home")
def test_ask_with_a_poster_proposes_the_booking(home: Path, tmp_path: Path) -> None:
    write_profile(home, "DE")
    _, request, lines, film, cinema = POSTERS["en"]
    poster = tmp_path / "poster.png"
    poster.write_bytes(render(lines, size=(900, 600)))
    out = tandem("ask", "--image", str(poster), request, "--json", home=home)
    assert out.returncode == 0, out.stderr
    assert f"read from poster.png: {lines[0][0]} | {lines[1][0]} | {lines[2][0]}" in out.stderr
    (task,) = json.loads(out.stdout)["tasks"]
    assert task["state"] == "awaiting-confirmation" and task["slots"]["film"] == "DUNE: PART TWO"
    assert task["summary"]["film"] == film and task["summary"]["cinema"] == cinema
    assert task["summary"]["starts_at"] == f"{DAY.isoformat()} 20:00" and task["summary"]["tickets"] == 2


@pytest.mark.parametrize(("region", "date"), [("DE", "2027-06-05"), ("US", "2027-05-06")])
def test_tandem_ask_reads_a_poster_date_in_the_users_order(region: str, date: str) -> None:
    """`tandem ask` with an image read the poster without the user's region (slots9's request): "05/06/2027" was
    6 May for a user in Germany too."""
    from types import SimpleNamespace

    from tandem.cli.ask import _with_poster

    def line(text: str, height: float) -> SimpleNamespace:
        return SimpleNamespace(text=text, box=((0, 0), (100, 0), (100, height), (0, height)))

    read = SimpleNamespace(lines=[line("THE ECHOES", 60), line("05/06/2027 8 pm", 30), line("Spreehalle", 30)])
    understanding = _with_poster(TemplateParser().parse("book two tickets for this", NOW), [read], region)
    assert any(date in str(value) for value in understanding.intents[0].slots.values()), understanding.intents[0]
