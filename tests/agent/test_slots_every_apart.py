"""Repeats said in more ways (review-lead32 L-2: 'remind me daily at 8 am …', 'each morning at 7', 'wöchentlich
montags um 9', 'every other day', 'jeden zweiten Tag' were set once, silently, some at the wrong time): read with their
rule and first time; the office partner keeps a day that comes back every so many days; a repeat no rule is read of
is said (every.repeat_unread), never dropped unseen; a crafted UNTIL far ahead is a clear error (reread32 L-2). Said
at noon on Monday 7 December 2026. Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.every import repeat_unread
from tandem.agent.slots import extract_when
from tests.services.conftest import mcp_session, partner_params
from tests.services.test_partners import call, call_error

MONDAY = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "iso", "repeat", "rest"), [
    ("remind me daily at 8 am to take my pills", "en", "2026-12-08T08:00", "FREQ=DAILY", "remind me to take my pills"),
    ("remind me each morning at 7", "en", "2026-12-08T07:00", "FREQ=DAILY", "remind me"),
    ("remind me each evening at 9 to journal", "en", "2026-12-07T21:00", "FREQ=DAILY", "remind me to journal"),
    ("erinnere mich wöchentlich montags um 9 an den Bericht", "de", "2026-12-14T09:00", "FREQ=WEEKLY;BYDAY=MO",
     "erinnere mich an den Bericht"),
    ("remind me every other day at 8 to water the plants", "en", "2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2",
     "remind me to water the plants"),
    ("remind me every 3 days at 9 am to check the mail", "en", "2026-12-08T09:00", "FREQ=DAILY;INTERVAL=3",
     "remind me to check the mail"),
    ("erinnere mich jeden zweiten Tag um 8 an die Blumen", "de", "2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2",
     "erinnere mich an die Blumen"),
    ("erinnere mich alle 2 Tage um 8 an die Blumen", "de", "2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2",
     "erinnere mich an die Blumen"),
    ("每隔一天早上八点提醒我吃药", "zh", "2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2", "提醒我吃药"),
    ("每两天早上八点提醒我浇花", "zh", "2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2", "提醒我浇花"),
    ("每天早上七点提醒我吃药", "zh", "2026-12-08T07:00", "FREQ=DAILY", "提醒我吃药"),
])
def test_a_repeat_is_read_with_its_rule_and_first_time(text: str, lang: str, iso: str, repeat: str,
                                                       rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert (when.iso if when else None, when.repeat if when else None, left) == (iso, repeat, rest)


@pytest.mark.parametrize(("text", "lang"), [
    ("the daily standup is at 10, remind me at 9", "en"),  # a thing: no repeat
    ("remind me to buy a daily newspaper tomorrow at 8", "en"),
    ("send the daily report tomorrow at 9", "en"),
])
def test_a_word_of_a_thing_is_no_repeat(text: str, lang: str) -> None:
    when, _ = extract_when(text, MONDAY, lang)
    assert when is not None and when.repeat is None


@pytest.mark.parametrize(("text", "lang", "said"), [
    ("remind me every 2 hours to drink water", "en", "every 2 hours"),
    ("remind me twice a day to drink water", "en", "twice a day"),
    ("remind me monthly to pay the rent", "en", "monthly"),
    ("erinnere mich alle zwei Stunden ans Trinken", "de", "alle zwei Stunden"),
    ("每两个小时提醒我喝水", "zh", "每两个小时"),
    ("每小时提醒我活动一下", "zh", "每小时"),
    ("remind me every day at 8 to take my pills", "en", None),  # read: FREQ=DAILY
    ("send the monthly report tomorrow", "en", None),  # a thing
    ("记下来，水管工每小时80块", "zh", None),  # a price by the hour
])
def test_a_repeat_no_rule_is_read_of_is_said(text: str, lang: str, said: str | None) -> None:
    assert repeat_unread(text, lang) == said


@pytest.mark.anyio
async def test_the_office_partner_keeps_a_day_every_other_day_and_bounds_its_end(tmp_path: Path) -> None:
    async with mcp_session(partner_params("office", None, tmp_path / "o.db")) as s:
        plants = await call(s, "add_reminder", text="water the plants", due_at="2026-12-08T08:00",
                            repeat="FREQ=DAILY;INTERVAL=2;UNTIL=20261214")
        assert (plants["due_at"], plants["repeat"], plants["until"]) == \
            ("2026-12-08T08:00", "FREQ=DAILY;INTERVAL=2", "2026-12-14T08:00")
        seen = [(await call(s, "complete_reminder", reminder_id=plants["id"])).get("due_at") for _ in range(3)]
        assert seen == ["2026-12-10T08:00", "2026-12-12T08:00", "2026-12-14T08:00"]
        assert "years" in await call_error(s, "add_reminder", text="x", due_at="2026-12-08T08:00",
                                           repeat="FREQ=DAILY;UNTIL=99991231")
        assert "calendar" in await call_error(s, "add_reminder", text="x", due_at="9999-12-31T08:00",
                                              repeat="FREQ=WEEKLY;BYDAY=MO")


@pytest.mark.parametrize(("text", "iso"), [
    ("remind me in the morning at 7 to take my pills", "2026-12-08T07:00"),  # was 19:00 today
    ("remind me in the evening at 7 to call mum", "2026-12-07T19:00"),
])
def test_a_part_of_the_day_said_before_the_clock_is_its_half(text: str, iso: str) -> None:
    when, left = extract_when(text, MONDAY, "en")
    assert when is not None and when.iso == iso and "morning" not in left
