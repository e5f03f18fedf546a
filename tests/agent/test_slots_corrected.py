"""A clock corrected in the same breath is read as the clock said instead, on the day said (review32 R32-11: 'two
tickets for Dune on Friday, not at 8 pm but at 9 pm' + yes bought Friday 20:00; review-lead32 H-1: ruling the clock out
must not lose the day), and a showing that began long before the time asked is never the one bought. Own sentences,
none from a bench set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.slots import extract_when
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

MONDAY = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    ("two tickets for Dune on Friday, not at 8 pm but at 9 pm", "en", "2026-12-11T21:00", "two tickets for Dune,"),
    ("two tickets for Dune on Friday, not at 8 pm but at 9", "en", "2026-12-11T21:00", "two tickets for Dune,"),
    ("two tickets for Dune on Friday not at 8 pm, at 9 pm", "en", "2026-12-11T21:00", "two tickets for Dune"),
    ("remind me tomorrow not at 8 am but rather at 9 am to call mum", "en", "2026-12-08T09:00",
     "remind me to call mum"),
    ("zwei Karten für Dune am Freitag, nicht um 20 Uhr sondern um 21 Uhr", "de", "2026-12-11T21:00",
     "zwei Karten für Dune,"),
    ("zwei Karten für Dune am Freitag, nicht um 20 Uhr, sondern um 21 Uhr", "de", "2026-12-11T21:00",
     "zwei Karten für Dune,"),
    ("ich kann nicht um 8, lieber um 9", "de", "2026-12-07T21:00", "ich kann"),
    ("买两张周五沙丘的电影票，不是晚上八点是九点的", "zh", "2026-12-11T21:00", "买两张沙丘的电影票，的"),
    ("买两张周五沙丘的电影票，不要晚上八点的，要晚上九点的", "zh", "2026-12-11T21:00", "买两张沙丘的电影票，的"),
    ("明天提醒我，不是早上八点，是早上九点，给妈妈打电话", "zh", "2026-12-08T09:00", "提醒我，给妈妈打电话"),
])
def test_a_clock_corrected_is_the_clock_said_instead_on_the_day_said(text: str, lang: str, iso: str,
                                                                     rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert (when.iso if when else None, left) == (iso, rest)


@pytest.mark.parametrize(("text", "lang", "iso"), [
    ("vergiss nicht um 8 Mama anzurufen", "de", "2026-12-07T20:00"),  # 'nicht' alone rules out nothing (M-1)
    ("why not at 8?", "en", "2026-12-07T20:00"),
    ("remind me to call mum, if not at 8 then at 9", "en", "2026-12-07T20:00"),
    ("remind me at 9, not at 8, to call mum", "en", "2026-12-07T21:00"),
    ("erinnere mich morgen um 8, nicht um 9", "de", "2026-12-08T08:00"),
])
def test_a_clock_not_corrected_is_read_as_before(text: str, lang: str, iso: str) -> None:
    when, _ = extract_when(text, MONDAY, lang)
    assert when is not None and when.iso == iso


_SHOWN = "SELECT s.starts_at FROM orders o JOIN showtimes s ON s.id = o.showtime_id"


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "yes"), [
    ("EN", "two tickets for Dune on Friday, not at 8 pm but at 9 pm", "yes"),
    ("DE", "zwei Karten für Dune am Freitag, nicht um 20 Uhr sondern um 21 Uhr", "ja"),
    ("CN", "买两张周五沙丘的电影票，不是晚上八点是九点的", "好的"),
])
async def test_the_showing_ruled_out_is_never_bought(home: Path, understander: Understander, case: str, said: str,
                                                     yes: str) -> None:
    """Dune plays at 20:00 only: 21:00 asked is no reason to sell the 20:00 showing ruled out (it is asked, with the
    showings of that day)."""
    async with talking(home, case, understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
        await take_turn(assistant, yes, answer.conversation_id)
    cinema = "guangying.cinema" if case == "CN" else "lichtspiel.cinema"
    assert partner_rows(home, cinema, _SHOWN) == [], answer.text
    assert "20:00" in answer.text  # the showings that day, asked


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "yes"), [
    ("EN", "two tickets for Dune on Friday, not at 5 pm but at 8 pm", "yes"),
    ("DE", "zwei Karten für Dune am Freitag, nicht um 17 Uhr sondern um 20 Uhr", "ja"),
])
async def test_the_showing_said_instead_is_bought_on_the_day_said(home: Path, understander: Understander, case: str,
                                                                  said: str, yes: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
        await take_turn(assistant, yes, answer.conversation_id)
    shown = partner_rows(home, "lichtspiel.cinema", _SHOWN)
    today = dt.date.today()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)
    assert [r["starts_at"] for r in shown] == [f"{friday.isoformat()} 20:00"], answer.text
