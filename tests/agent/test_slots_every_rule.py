"""Days said to come back are a rule the reminder keeps (review30 R30-9, reread30 M-3): "remind me every day at 8 to
take my pills" was made once, silently, and "except on Sunday, remind me every day at 9" landed on the Sunday. The
date reader gives the rule (``When.repeat``, an iCalendar RRULE, every.rule), the office partner holds it (``repeat``:
due again on its days, done after its last) and its answer names it in the user's language (the manifest's
[values.repeat]). Said at noon on Saturday 12 December 2026 and on Monday 7 December. Own sentences, none from a bench
set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.slots import extract_when
from tests.services.conftest import mcp_session, partner_params
from tests.services.test_partners import call, call_error

SATURDAY = dt.datetime(2026, 12, 12, 12, 0)
MONDAY = dt.datetime(2026, 12, 7, 12, 0)
NOT_SUNDAY = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"


@pytest.mark.parametrize(("text", "lang", "now", "iso", "repeat", "rest"), [
    ("remind me every day at 8 to take my pills", "en", MONDAY, "2026-12-08T08:00", "FREQ=DAILY",
     "remind me to take my pills"),
    ("remind me every weekday at 7 am to pack lunch", "en", SATURDAY, "2026-12-14T07:00",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "remind me to pack lunch"),
    # the days left out said first, apart from "every day", or last, after a pause: never the day left out
    ("except on Sunday, remind me every day at 9 am to read", "en", SATURDAY, "2026-12-14T09:00", NOT_SUNDAY,
     "remind me to read"),
    ("remind me every day at 9 am to read, except on Sundays", "en", SATURDAY, "2026-12-14T09:00", NOT_SUNDAY,
     "remind me to read"),
    ("remind me every day but Sunday at 6 am to stretch", "en", SATURDAY, "2026-12-14T06:00", NOT_SUNDAY,
     "remind me to stretch"),
    ("außer sonntags erinnere mich jeden Tag um 9 Uhr ans Lesen", "de", SATURDAY, "2026-12-14T09:00", NOT_SUNDAY,
     "erinnere mich ans Lesen"),
    ("每天早上七点提醒我吃药，周日除外", "zh", SATURDAY, "2026-12-14T07:00", NOT_SUNDAY, "提醒我吃药"),
    ("除了周末每天早上八点提醒我背单词", "zh", SATURDAY, "2026-12-14T08:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     "提醒我背单词"),
    # "until" a day: the last day it comes back, not its first (M-3)
    ("remind me every day until Friday at 8 am to take pills", "en", MONDAY, "2026-12-08T08:00",
     "FREQ=DAILY;UNTIL=20261211T235959", "remind me to take pills"),
    ("erinnere mich täglich bis Freitag um 8 Uhr an die Tabletten", "de", MONDAY, "2026-12-08T08:00",
     "FREQ=DAILY;UNTIL=20261211T235959", "erinnere mich an die Tabletten"),
    ("每天早上八点到周五提醒我吃药", "zh", MONDAY, "2026-12-08T08:00", "FREQ=DAILY;UNTIL=20261211T235959",
     "提醒我吃药"),
    # a weekday said to come back each week (time_words.toml every.weekly)
    ("remind me every Monday at 9 am to put the bins out", "en", SATURDAY, "2026-12-14T09:00",
     "FREQ=WEEKLY;BYDAY=MO", "remind me to put the bins out"),
    ("erinnere mich jeden Freitag um 17 Uhr an die Stunden", "de", MONDAY, "2026-12-11T17:00", "FREQ=WEEKLY;BYDAY=FR",
     "erinnere mich an die Stunden"),
    ("每个星期天晚上八点提醒我给妈妈打电话", "zh", MONDAY, "2026-12-13T20:00", "FREQ=WEEKLY;BYDAY=SU",
     "提醒我给妈妈打电话"),
    # several weekdays, a weekend, a part of each day (review31 R31-1, R31-2); a clock said with
    # days that come back is read as on a day said, whatever the time now ("every day at 8": 08:00, "at 2": 14:00)
    ("remind me every Monday and Thursday at 7 to go running", "en", MONDAY, "2026-12-10T07:00",
     "FREQ=WEEKLY;BYDAY=MO,TH", "remind me to go running"),
    ("erinnere mich jeden Montag und Donnerstag um 7 ans Laufen", "de", MONDAY, "2026-12-10T07:00",
     "FREQ=WEEKLY;BYDAY=MO,TH", "erinnere mich ans Laufen"),
    ("每周一和周四早上七点提醒我跑步", "zh", MONDAY, "2026-12-10T07:00", "FREQ=WEEKLY;BYDAY=MO,TH", "提醒我跑步"),
    ("remind me every weekend at 10 to call mum", "en", MONDAY, "2026-12-12T10:00", "FREQ=WEEKLY;BYDAY=SA,SU",
     "remind me to call mum"),
    ("erinnere mich jedes Wochenende um 10 an Oma", "de", MONDAY, "2026-12-12T10:00", "FREQ=WEEKLY;BYDAY=SA,SU",
     "erinnere mich an Oma"),
    ("remind me every night at 10 to take the pills", "en", MONDAY, "2026-12-07T22:00", "FREQ=DAILY",
     "remind me to take the pills"),
    ("remind me every morning at 10 to stretch", "en", MONDAY, "2026-12-08T10:00", "FREQ=DAILY",
     "remind me to stretch"),
    ("erinnere mich jeden Abend um 9 an die Tabletten", "de", MONDAY, "2026-12-07T21:00", "FREQ=DAILY",
     "erinnere mich an die Tabletten"),
    ("每晚九点提醒我吃药", "zh", MONDAY, "2026-12-07T21:00", "FREQ=DAILY", "提醒我吃药"),
    ("remind me every day at 2 to water the plants", "en", MONDAY, "2026-12-07T14:00", "FREQ=DAILY",
     "remind me to water the plants"),
])
def test_days_said_to_come_back_are_read_with_their_rule(text: str, lang: str, now: dt.datetime, iso: str,
                                                        repeat: str, rest: str) -> None:
    when, left = extract_when(text, now, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, repeat, rest)


@pytest.mark.parametrize(("text", "lang"), [
    ("remind me tomorrow at 9 to call mum", "en"), ("two tickets for Dune until Friday", "en"),
    ("remind me on Monday at 9 to call mum", "en"), ("下周一早上九点提醒我倒垃圾", "zh"),
    ("erinnere mich am Montag um 9 an den Zahnarzt", "de"), ("明天早上八点提醒我吃药", "zh"),
])
def test_a_time_said_once_has_no_rule(text: str, lang: str) -> None:
    when, _ = extract_when(text, MONDAY, lang)
    assert when is not None and when.repeat is None


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    # a day said for the request wins: days said to come back elsewhere (in the to-do, in another clause) are no rule
    # and stay (reread31 H-3)
    ("remind me tomorrow at 9 to cancel the gym class I have every Monday", "en", "2026-12-08T09:00",
     "remind me to cancel the gym class I have every Monday"),
    ("Erinnere mich morgen um 9, den Kurs abzusagen, den ich jeden Montag habe", "de", "2026-12-08T09:00",
     "Erinnere mich, den Kurs abzusagen, den ich jeden Montag habe"),
    ("明天上午九点提醒我取消每周一的健身课", "zh", "2026-12-08T09:00", "提醒我取消每周一的健身课"),
    ("two tickets for Dune tomorrow at 8 pm please, every Saturday I visit my mum", "en", "2026-12-08T20:00",
     "two tickets for Dune please, every Saturday I visit my mum"),
    ("I'm busy every evening except Friday, so two tickets for Dune on Friday at 8 pm", "en", "2026-12-11T20:00",
     "I'm busy every evening except Friday, so two tickets for Dune"),  # the Friday ruled out is not read (R31-3)
    ("zwei Karten für Dune am Freitag um 20 Uhr, samstags kann ich nicht", "de", "2026-12-11T20:00",
     "zwei Karten für Dune, samstags kann ich nicht"),
    ("周五下午三点提醒我每周一次的周会", "zh", "2026-12-11T15:00", "提醒我每周一次的周会"),
])
def test_a_day_said_for_the_request_wins_over_days_said_to_come_back(text: str, lang: str, iso: str,
                                                                     rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, None, rest)


@pytest.mark.parametrize(("text", "lang", "iso", "repeat", "rest"), [
    # a range of weekdays (reread31 M-2); "until" a day inside the to-do, before the first time, is the to-do's (M-1)
    ("remind me every Monday to Friday at 7 to get up", "en", "2026-12-08T07:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     "remind me to get up"),
    ("erinnere mich jeden Montag bis Freitag um 7 ans Aufstehen", "de", "2026-12-08T07:00",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "erinnere mich ans Aufstehen"),
    ("每周一到周五早上七点提醒我起床", "zh", "2026-12-08T07:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "提醒我起床"),
    ("Erinnere mich jeden Montag um 9 daran, den Bericht bis Freitag abzugeben", "de", "2026-12-14T09:00",
     "FREQ=WEEKLY;BYDAY=MO", "Erinnere mich daran, den Bericht bis Freitag abzugeben"),
])
def test_ranges_and_the_to_dos_own_days(text: str, lang: str, iso: str, repeat: str, rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, repeat, rest)


@pytest.mark.parametrize(("text", "lang"), [("does the shop deliver on Sundays", "en"),
                                            ("Liefert ihr auch sonntags?", "de")])
def test_weekdays_said_alone_are_no_rule_and_stay(text: str, lang: str) -> None:
    """A question about what is done on a weekday keeps it (cut, "does the shop deliver" read as tracking an order)."""
    assert extract_when(text, MONDAY, lang) == (None, text)


@pytest.mark.anyio
async def test_the_office_partner_keeps_a_reminder_coming_back_on_its_days_up_to_its_last(tmp_path: Path) -> None:
    async with mcp_session(partner_params("office", None, tmp_path / "o.db")) as s:
        pills = await call(s, "add_reminder", text="take pills", due_at="2026-12-12T08:00",
                           repeat="FREQ=WEEKLY;BYDAY=SU,MO,TU,WE,TH,FR;UNTIL=20261215")  # said on a Saturday
        assert (pills["due_at"], pills["repeat"], pills["until"]) == \
            ("2026-12-13T08:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SU", "2026-12-15T08:00")
        seen = [(await call(s, "complete_reminder", reminder_id=pills["id"])) for _ in range(3)]
        assert [(r["done"], r.get("due_at")) for r in seen] == \
            [(False, "2026-12-14T08:00"), (False, "2026-12-15T08:00"), (True, None)]
        daily = await call(s, "add_reminder", text="water", due_at="2026-12-12T18:00", repeat="freq=daily")
        assert (daily["due_at"], daily["repeat"], "until" in daily) == ("2026-12-12T18:00", "FREQ=DAILY", False)
        assert (await call(s, "complete_reminder", reminder_id=daily["id"]))["due_at"] == "2026-12-13T18:00"
        assert [r["text"] for r in await call(s, "list_reminders")] == ["water"]
        once = await call(s, "add_reminder", text="call mum", due_at="2026-12-12T09:00")
        assert "repeat" not in once and (await call(s, "complete_reminder", reminder_id=once["id"]))["done"]
        for wrong in ("FREQ=HOURLY", "FREQ=WEEKLY", "FREQ=DAILY;BYDAY=XX", "FREQ=DAILY;COUNT=3",
                      "FREQ=DAILY;UNTIL=tomorrow"):
            error = await call_error(s, "add_reminder", text="x", due_at="2026-12-12T09:00", repeat=wrong)
            assert "RRULE" in error or "UNTIL" in error, wrong
        assert "before" in await call_error(s, "add_reminder", text="x", due_at="2026-12-12T09:00",
                                            repeat="FREQ=DAILY;UNTIL=20261201")
