"""A showing that has begun is not sold (review32 R32-6, MEDIUM money): at 20:15, 'two tickets for Dune tonight at 8'
+ yes bought the 20:00 showing (its cinema listed a day from its start), which then could not be cancelled ("its
showing began"). The cinema lists and sells only what has not begun by its clock; a card shown before the showing
and confirmed after it buys nothing: the yes asks the time again, with the next showings, in the user's words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.skills import skill_text
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import orders, talked, talking

pytestmark = pytest.mark.anyio

_TITLE = {"EN": "Dune", "DE": "Dune", "CN": "沙丘"}
_ASKED = [("EN", "two tickets for Dune tonight at 8", "yes"), ("DE", "zwei Karten für Dune heute um 20 Uhr", "ja"),
          ("CN", "订两张今晚八点的沙丘电影票", "好的")]


class _Clock:
    """Today at a time a test moves on."""

    def __init__(self, at: str) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(dt.date.today(), dt.time.fromisoformat(self.at))


def _asks_the_time(task_question: str | None, case: str) -> bool:
    """The question says the film is not on today any more and which showings come next, in the user's language."""
    title = _TITLE[case]
    lang = {"EN": "en", "DE": "de", "CN": "zh"}[case]
    said = skill_text("not_that_day", lang, title=title, day=dt.date.today().isoformat(), times="")
    return bool(task_question) and str(task_question).startswith(said) and \
        (dt.date.today() + dt.timedelta(days=1)).strftime("%m-%d 20:00") in str(task_question)


@pytest.mark.parametrize(("case", "text", "yes"), _ASKED)
async def test_a_showing_that_has_begun_is_not_offered(home: Path, understander: Understander, case: str, text: str,
                                                       yes: str) -> None:
    asked, again = await talked(home, case, [text, yes], understander, _Clock("20:15"))
    assert [(t.state, t.missing) for t in asked.tasks] == [(TaskState.NEEDS_INFO, "when")]
    assert _asks_the_time(asked.tasks[0].question, case), asked.text
    assert all(t.state != TaskState.DONE for t in again.tasks)
    assert orders(home, case, "cinema") == []


@pytest.mark.parametrize(("case", "said", "yes"), _ASKED)
async def test_a_yes_after_the_showing_began_buys_nothing_and_asks_the_time(home: Path, understander: Understander,
                                                                          case: str, said: str, yes: str) -> None:
    clock = _Clock("19:55")
    async with talking(home, case, understander, clock=clock) as (assistant, _):
        shown = await take_turn(assistant, said)
        assert [t.state for t in shown.tasks] == [TaskState.AWAITING_CONFIRMATION]
        clock.at = "20:05"
        late = await take_turn(assistant, yes, shown.conversation_id)
    assert [(t.state, t.missing) for t in late.tasks] == [(TaskState.NEEDS_INFO, "when")], late.text
    assert _asks_the_time(late.tasks[0].question, case), late.text
    assert orders(home, case, "cinema") == []


async def test_the_time_asked_again_buys_the_showing_answered(home: Path, understander: Understander) -> None:
    clock = _Clock("19:55")
    async with talking(home, "EN", understander, clock=clock) as (assistant, _):
        shown = await take_turn(assistant, "two tickets for Dune tonight at 8")
        clock.at = "20:05"
        late = await take_turn(assistant, "yes", shown.conversation_id)
        card = await take_turn(assistant, "tomorrow at 8 pm", late.conversation_id)
        done = await take_turn(assistant, "yes", card.conversation_id)
    assert [t.state for t in done.tasks] == [TaskState.DONE], done.text
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert [r["starts_at"] for r in partner_rows(home, "lichtspiel.cinema", "SELECT s.starts_at FROM orders o JOIN "
                                                 "showtimes s ON s.id = o.showtime_id")] == [f"{tomorrow} 20:00"]
