""""Yes, but ..." with a change other than a count (issue 13): "yes, but on Saturday", "ja, aber erst morgen",
"好的，不过换成周六" buy nothing. The task is prepared again for the new day (the time of the showing kept) and
the assistant asks anew; the first confirmation is withdrawn; only a fresh yes buys, and it buys the new
day. A change the assistant cannot apply ("yes, but with popcorn") buys nothing either: it asks what is
meant, the question still open. Typed (``take_turn``, as chat completions call it) and spoken (the voice
turn, ``respond``), with the reference partners in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.assistant import Assistant, Reply
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.spoken import read_change, unclear
from tandem.agent.tasks import TaskState
from tandem.app.voice import respond
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners


def _today() -> tuple[dt.datetime, dict[str, dt.date], dict[str, str]]:
    """Noon today, the days a change names (the later one a day the shipped schedules show Dune at 20:00),
    and the later day's weekday per language, as of now: the partners' schedules start on the day they run."""
    noon = dt.datetime.combine(dt.date.today(), dt.time(12, 0))
    later = noon.date() + dt.timedelta(days=2)
    weekdays = {"en": later.strftime("%A"),
                "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")[
                    later.weekday()],
                "zh": "周" + "一二三四五六日"[later.weekday()]}
    return noon, {"later": later, "tomorrow": noon.date() + dt.timedelta(days=1)}, weekdays


# For reading a change alone, where the clock is passed in, the day the module is read is as good as any.
NOON, DAYS, WEEKDAY = _today()
LATER, TOMORROW = DAYS["later"], DAYS["tomorrow"]


# language, region, request, "yes, but <another day>" (its day: "later" or "tomorrow"), an unclear change, a yes,
# the cinema. The days are worked out as the test runs, not as it is collected: a run that crossed midnight
# between the two asked for a showing "today" that the partners' schedules (which start on the day they run)
# no longer had.
CASES = [
    ("en", "DE", "book two tickets for Dune today at 8 pm", "Yes, but on {en}.", "later",
     "Yes, but with popcorn.", "Yes.", "lichtspiel.cinema"),
    ("de", "DE", "Buch zwei Kinokarten für Dune heute um 20 Uhr", "Ja, aber erst morgen.", "tomorrow",
     "Ja, aber mit Popcorn.", "Ja, bitte.", "lichtspiel.cinema"),
    ("zh", "CN", "订两张今晚八点的沙丘电影票", "好的，不过换成{zh}", "later", "好的，不过要爆米花",
     "好的，确认。", "guangying.cinema"),
]

Turn = Callable[[Assistant, str, "str | None"], Awaitable[Reply]]


async def _typed(assistant: Assistant, text: str, conversation: str | None) -> Reply:
    return await take_turn(assistant, text, conversation)


async def _spoken(assistant: Assistant, text: str, conversation: str | None) -> Reply:
    return await respond(assistant, text, conversation)


def _orders(home: Path, cinema: str) -> list[dict[str, Any]]:
    return partner_rows(home, cinema, "SELECT * FROM orders")


@pytest.mark.parametrize(("said", "day", "time"), [
    (f"Yes, but on {WEEKDAY['en']}", LATER, None), ("Ja, aber erst morgen", TOMORROW, None),
    (f"Ja, aber auf {WEEKDAY['de']}", LATER, None), (f"好的，不过换成{WEEKDAY['zh']}", LATER, None),
    ("yes, but at 9 pm", NOON.date(), "21:00"), ("Genau, aber um 21 Uhr", NOON.date(), "21:00")])
def test_a_changed_day_or_time_is_read(said: str, day: dt.date, time: str | None) -> None:
    change = read_change(said, NOON, "de" if said.startswith(("Ja", "Genau")) else None)
    assert change is not None and change.count is None and change.when is not None
    assert (change.when.date, change.when.time) == (day.isoformat(), time)


@pytest.mark.parametrize("said", ["Yes, but with popcorn", "Ja, aber mit Popcorn", "好的，不过要爆米花", "Yes.",
                                  "Yes, but in Hamburg tomorrow", "yes, 2 tomorrow"])
def test_more_than_a_change_is_no_change(said: str) -> None:
    assert read_change(said, NOON) is None


@pytest.mark.anyio
@pytest.mark.parametrize("turn", [_typed, _spoken], ids=["typed", "spoken"])
@pytest.mark.parametrize(("lang", "region", "request_text", "but", "day_named", "vague", "yes", "cinema"), CASES,
                         ids=[c[0] for c in CASES])
async def test_yes_but_another_day_buys_nothing_and_asks_for_that_day(
        home: Path, turn: Turn, lang: str, region: str, request_text: str, but: str, day_named: str, vague: str,
        yes: str, cinema: str) -> None:
    noon, days, weekdays = _today()
    but, day = but.format(**weekdays), days[day_named]
    write_profile(home, region)
    async with in_memory_partners(home, "EU" if region == "DE" else "CN") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=lambda: noon)
        asked = await turn(assistant, request_text, None)
        (task,) = asked.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        first = str(task.call.summary["starts_at"])
        assert first.startswith(noon.date().isoformat()) and "20:00" in first

        unsure = await turn(assistant, vague, asked.conversation_id)  # a change it cannot apply
        assert unsure.text.startswith(unclear(lang)) and _orders(home, cinema) == []
        assert [t.confirmation_id for t in unsure.tasks] == [task.confirmation_id]  # still the open question

        hedged = await turn(assistant, but, asked.conversation_id)
        (again,) = hedged.tasks
        assert again.state == TaskState.AWAITING_CONFIRMATION and again.call is not None
        assert again.confirmation_id != task.confirmation_id and not hedged.text.startswith(unclear(lang))
        moved = str(again.call.summary["starts_at"])
        assert moved.startswith(day.isoformat()) and "20:00" in moved, moved  # the new day, the same showing time
        assert again.call.summary["tickets"] == 2
        assert _orders(home, cinema) == []  # nothing bought by "yes, but ..."
        await assistant.confirm(task.confirmation_id or "")  # the first question was withdrawn
        assert _orders(home, cinema) == []

        done = await turn(assistant, yes, asked.conversation_id)
        assert [t.state for t in done.tasks] == [TaskState.DONE]
        (order,) = _orders(home, cinema)
        assert order["id"] == done.tasks[0].result["order_id"]
        assistant.journal.close()
