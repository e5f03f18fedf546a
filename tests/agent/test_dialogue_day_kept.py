"""A value the request said survives the question for another value (session 30's P-1): "add a haircut on Friday to my
calendar" asked "When is it?", and "3 pm" saved the haircut for today at 3 pm — the Friday said was lost. An answer that
says a clock but no day of its own is that clock on the day said, read as with the day ("at 2" is 14:00); one that
says its own day ("tomorrow at 3") is that day. A count asked keeps the day the request said. My own phrasings
(dialog22)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.slots import extract_when
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talked, talking

pytestmark = pytest.mark.anyio
_LANG = {"EN": "en", "DE": "de", "CN": "zh"}


def _day(request: str) -> str:
    """The day ``request`` says (read at noon today, as ``talking``'s clock)."""
    said, _ = extract_when(request, dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    assert said is not None and said.time is None, request
    return said.date


@pytest.mark.parametrize(("case", "request_", "answer", "table", "column", "at"), [
    ("EN", "add a haircut on Friday to my calendar", "3 pm", "events", "starts_at", "15:00"),
    ("EN", "add a haircut on Friday to my calendar", "at 8", "events", "starts_at", "08:00"),
    ("EN", "add a haircut on Friday to my calendar", "at 2", "events", "starts_at", "14:00"),
    ("DE", "trag einen Friseurtermin am Freitag in meinen Kalender ein", "15 Uhr", "events", "starts_at", "15:00"),
    ("CN", "周五加一个理发的日程", "下午三点", "events", "starts_at", "15:00"),
    ("EN", "remind me on Thursday to call mom", "9 am", "reminders", "due_at", "09:00"),
    ("DE", "erinnere mich am Donnerstag an den Anruf bei Oma", "um 9", "reminders", "due_at", "09:00"),
    ("CN", "周四提醒我给妈妈打电话", "早上九点", "reminders", "due_at", "09:00"),
])
async def test_a_clock_answered_is_on_the_day_the_request_said(
        home: Path, understander: Understander, case: str, request_: str, answer: str, table: str, column: str,
        at: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        asked = await take_turn(assistant, request_)
        (waiting,) = asked.tasks
        assert waiting.state == TaskState.NEEDS_INFO and waiting.missing == "when", asked.text
        said = await take_turn(assistant, answer, asked.conversation_id)
        assert [t.state for t in said.tasks] == [TaskState.DONE], said.text
    saved = [str(r[column]) for r in partner_rows(home, "tandem.office", f"SELECT {column} FROM {table}")]
    assert [s[:16] for s in saved] == [f"{_day(request_)}T{at}"], said.text


@pytest.mark.parametrize(("case", "request_", "answer", "ahead"), [
    ("EN", "add a haircut on Friday to my calendar", "tomorrow at 3", 1),
    ("DE", "trag einen Friseurtermin am Freitag in meinen Kalender ein", "morgen um 15 Uhr", 1),
])
async def test_an_answer_that_says_its_own_day_is_that_day(
        home: Path, understander: Understander, case: str, request_: str, answer: str, ahead: int) -> None:
    async with talking(home, case, understander) as (assistant, _):
        asked = await take_turn(assistant, request_)
        await take_turn(assistant, answer, asked.conversation_id)
    saved = [str(r["starts_at"]) for r in partner_rows(home, "tandem.office", "SELECT starts_at FROM events")]
    assert [s[:16] for s in saved] == [f"{(dt.date.today() + dt.timedelta(days=ahead)).isoformat()}T15:00"]


@pytest.mark.parametrize(("case", "request_", "answer"), [
    ("EN", "book tickets for Dune on Friday", "two"),
    ("DE", "buch Karten für Dune am Freitag", "zwei"),
])
async def test_a_count_answered_keeps_the_day_said(
        home: Path, understander: Understander, case: str, request_: str, answer: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        asked = await take_turn(assistant, request_)
        (waiting,) = asked.tasks
        assert waiting.missing == "count", asked.text
        said = await take_turn(assistant, answer, asked.conversation_id)
        (task,) = said.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION, said.text
        assert (task.slots.get("count"), str(task.slots.get("when"))[:16]) == (2, _day(request_)), said.text


@pytest.mark.parametrize(("case", "request_", "answer"), [
    ("EN", "remind me to take my pills", "every day at 8"),
    ("DE", "erinnere mich an die Tabletten", "jeden Tag um 8"),
])
async def test_a_rule_said_in_the_answer_is_kept(
        home: Path, understander: Understander, case: str, request_: str, answer: str) -> None:
    """reread31 M-10: "every day at 8" said to "When should I remind you?" made the reminder once (the answer's rule
    was not kept as the request's is)."""
    async with talking(home, case, understander) as (assistant, _):
        asked = await take_turn(assistant, request_)
        said = await take_turn(assistant, answer, asked.conversation_id)
        (task,) = said.tasks
    assert (task.state, task.slots.get("when_repeat")) == (TaskState.DONE, "FREQ=DAILY"), said.text


@pytest.mark.parametrize(("case", "request_", "answer"), [
    ("EN", "two tickets for Dune on Friday at 11 pm", "8 pm"),
    ("DE", "zwei Karten für Dune am Freitag um 23 Uhr", "20 Uhr"),
    ("CN", "买两张周五晚上十一点的沙丘电影票", "晚上八点"),
])
async def test_a_clock_answered_to_the_showings_is_on_the_day_said(
        home: Path, understander: Understander, case: str, request_: str, answer: str) -> None:
    """A day said with a clock no showing is near ("When? Showings of Dune: 20:00"): the clock answered is on that day
    (slots24's ask, for review-lead32 H-1); before, the card showed today at 8 pm."""
    _, card = await talked(home, case, [request_, answer], understander)
    (task,) = card.tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION, card.text
    said_, _ = extract_when(request_, dt.datetime.combine(dt.date.today(), dt.time(12, 0)), _LANG[case])
    assert said_ is not None and said_.time == "23:00", request_
    assert str(task.call.summary["starts_at"] if task.call else "") == f"{said_.date} 20:00", card.text
