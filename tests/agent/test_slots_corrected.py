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
from tests.agent.conftest import named_day, noon_before, partner_rows
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


@pytest.mark.parametrize(("text", "lang"), [
    ("two tickets for Dune tomorrow, not at 8 pm but at 7:45", "en"),
    ("zwei Karten für Dune am Freitag, nicht um 20 Uhr, sondern um 19:30 Uhr", "de"),
    ("买两张周五沙丘的电影票，不是晚上八点，是七点半的", "zh"),
])
def test_a_clock_said_instead_near_the_one_ruled_out_is_asked(text: str, lang: str) -> None:
    """A showing picked near 19:45 may be the 20:00 one ruled out (reread33 H-1 on cdb9e09): no time."""
    assert extract_when(text, MONDAY, lang) == (None, text)


@pytest.mark.parametrize(("text", "lang", "iso"), [
    ("remind me tomorrow not at 11 am but at 1 to call mum", "en", "2026-12-08T13:00"),  # past 12: not 01:00
    ("明天不是上午十一点，是一点提醒我", "zh", "2026-12-08T13:00"),
    ("remind me tomorrow not at 9 pm but at 8", "en", "2026-12-08T20:00"),
])
def test_the_part_of_the_day_ruled_out_goes_only_to_a_clock_in_its_half(text: str, lang: str, iso: str) -> None:
    when, _ = extract_when(text, MONDAY, lang)
    assert when is not None and when.iso == iso


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    ("two tickets for Dune not today at 8 pm but tomorrow at 9 pm", "en", "2026-12-08T21:00", "two tickets for Dune"),
    ("zwei Karten für Dune nicht heute um 20 Uhr, sondern morgen um 20 Uhr", "de", "2026-12-08T20:00",
     "zwei Karten für Dune"),
    ("two tickets for Dune, not tomorrow at 8 pm but on Friday at 8 pm", "en", "2026-12-11T20:00",
     "two tickets for Dune,"),
    ("erinnere mich nicht heute, sondern morgen um 9 an Mama", "de", "2026-12-08T09:00", "erinnere mich an Mama"),
    ("two tickets for Dune not today at 8 but at 9", "en", None, "two tickets for Dune not today at 8 but at 9"),
    ("not today but now: order a pizza to the office", "en", "2026-12-07", "not but now: order a pizza to the office"),
])
def test_a_day_corrected_is_the_day_said_instead(text: str, lang: str, iso: str | None, rest: str) -> None:
    """reread33 (pre-existing at 2d5bb64): the day ruled out with its clock was bought; a clock said instead with no
    day is asked."""
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


_FRIDAY_SAID = noon_before(4)  # "on Friday" is within the cinema's week whatever day the suite runs
_SHOWN = "SELECT s.starts_at FROM orders o JOIN showtimes s ON s.id = o.showtime_id"


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "yes"), [
    ("EN", "two tickets for Dune on Friday, not at 8 pm but at 9 pm", "yes"),
    ("DE", "zwei Karten für Dune am Freitag, nicht um 20 Uhr sondern um 21 Uhr", "ja"),
    ("CN", "买两张周五沙丘的电影票，不是晚上八点是九点的", "好的"),
    ("EN", "two tickets for Dune tomorrow, not at 8 pm but at 7:45", "yes"),  # reread33 H-1
    ("CN", "买两张周五沙丘的电影票，不是晚上八点，是七点半的", "好的"),
    ("EN", "two tickets for Dune not today at 8 pm but tomorrow at 9 pm", "yes"),  # asked: Dune plays at 20:00 only
])
async def test_the_showing_ruled_out_is_never_bought(home: Path, understander: Understander, case: str, said: str,
                                                     yes: str) -> None:
    """Dune plays at 20:00 only: 21:00 (or 19:45) asked is no reason to sell the 20:00 showing ruled out."""
    async with talking(home, case, understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
        await take_turn(assistant, yes, answer.conversation_id)
    cinema = "guangying.cinema" if case == "CN" else "lichtspiel.cinema"
    assert partner_rows(home, cinema, _SHOWN) == [], answer.text


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "yes", "day"), [
    ("EN", "two tickets for Dune on Friday, not at 5 pm but at 8 pm", "yes", "friday"),
    ("DE", "zwei Karten für Dune am Freitag, nicht um 17 Uhr sondern um 20 Uhr", "ja", "friday"),
    ("DE", "zwei Karten für Dune nicht heute um 20 Uhr, sondern morgen um 20 Uhr", "ja", "tomorrow"),  # reread33
])
async def test_the_showing_said_instead_is_bought_on_the_day_said(home: Path, understander: Understander, case: str,
                                                                  said: str, yes: str, day: str) -> None:
    async with talking(home, case, understander, _FRIDAY_SAID) as (assistant, _):
        answer = await take_turn(assistant, said, None)
        await take_turn(assistant, yes, answer.conversation_id)
    shown = partner_rows(home, "lichtspiel.cinema", _SHOWN)
    on = _FRIDAY_SAID().date() + dt.timedelta(days=1) if day == "tomorrow" else named_day(_FRIDAY_SAID, 4)
    assert [r["starts_at"] for r in shown] == [f"{on.isoformat()} 20:00"], answer.text


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "answer", "yes"), [
    ("EN", "two tickets for Dune on Friday, not at 8 pm but at 9 pm", "8 pm", "yes"),
    ("DE", "zwei Karten für Dune am Freitag, nicht um 20 Uhr sondern um 21 Uhr", "20 Uhr", "ja"),
])
async def test_the_time_asked_after_a_correction_is_on_the_day_said(home: Path, understander: Understander, case: str,
                                                                    said: str, answer: str, yes: str) -> None:
    """The answer to "When? Showings of Dune: 20:00" is on Friday, never today (review-lead32 H-1: a9d3094 put it on
    today's card; waiting.on_the_day_said keeps the day of a slot holding a day and a clock, f30c795)."""
    async with talking(home, case, understander, _FRIDAY_SAID) as (assistant, _):
        asked = await take_turn(assistant, said, None)
        card = await take_turn(assistant, answer, asked.conversation_id)
        await take_turn(assistant, yes, asked.conversation_id)
    friday = named_day(_FRIDAY_SAID, 4)
    assert [r["starts_at"] for r in partner_rows(home, "lichtspiel.cinema", _SHOWN)] == \
        [f"{friday.isoformat()} 20:00"], card.text
