"""A date with no time of day is said as a date ("3 December", "3. Dezember", "12月3日"): before, ``when_said`` made
midnight of it ("Thursday 3 December at 12 am"), and "no order of yours from …" showed ISO dates ("2026-11-30")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import capabilities
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.reply import describe
from tandem.agent.spoken import when_said
from tandem.agent.tasks import PendingCall, Task, TaskState
from tests.agent.toolsets import in_memory_partners

_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@pytest.mark.parametrize(("language", "day", "timed"), [
    ("en", "3 December", "Thursday 3 December at 8 pm"), ("de", "3. Dezember", "Donnerstag, 3. Dezember um 20 Uhr"),
    ("zh", "12月3日", "12月3日星期四晚上8点"), ("fr", "3 December", "Thursday 3 December at 8 pm"),
])
def test_a_date_alone_is_said_as_a_date_and_a_time_as_before(language: str, day: str, timed: str) -> None:
    assert when_said("2026-12-03", language) == day
    assert when_said("2026-12-03T20:00", language) == when_said("2026-12-03 20:00:00", language) == timed
    assert when_said("2026-13-03", language) == "2026-13-03"  # no date: given back as it is


def test_an_all_day_item_of_a_list_answer_is_shown_with_its_date() -> None:
    doc = {"id": "acme.calendar", "categories": ["calendar"], "tools": [{
        "name": "agenda", "intent": "show_agenda", "items": {"name": "subject", "time": "begins"}}]}
    (spec,) = capabilities([doc])
    task = Task(id="t-1", conversation_id="c-1", intent=spec.name, slots={}, state=TaskState.DONE, language="de",
                result=[{"id": "a1", "subject": "Urlaub", "begins": "2026-12-24"}],
                call=PendingCall("acme.agenda", "acme.calendar", {}, False, {}, spec.items))
    assert describe(task).endswith("1 found: Urlaub (24. Dezember)"), describe(task)
    assert describe(replace(task, language="zh")).endswith("Urlaub (12月24日)")


@pytest.mark.anyio
@pytest.mark.parametrize(("said", "shown"), [
    ("order what I had last week", "from {first} to {last}"),
    ("das Gleiche wie letzte Woche", "vom {first} bis {last}"), ("上周点的再来一份", "{first}到{last}"),
    ("order what I had yesterday", "from {day}"),
])
async def test_no_order_on_the_days_named_says_them_as_dates(home: Path, said: str, shown: str) -> None:
    today = dt.date.today()
    noon = dt.datetime.combine(today, dt.time(12, 0))
    monday = today - dt.timedelta(days=today.weekday() + 7)
    lang = "zh" if said.startswith("上") else "de" if said.startswith("das") else "en"
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), clock=lambda: noon)
        reply = await take_turn(assistant, said)
    days = {"first": when_said(monday.isoformat(), lang), "last": when_said((monday + dt.timedelta(days=6))
                                                                            .isoformat(), lang),
            "day": when_said((today - dt.timedelta(days=1)).isoformat(), lang)}
    assert reply.tasks == () and shown.format(**days) in reply.text, reply.text
    assert not _ISO_DATE.search(reply.text)
