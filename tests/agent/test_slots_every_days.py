"""Days said to come back, as the date reader reads them (session 32): a weekday before a part of the day in Chinese
(review31 R31-21), the day they start on (reread31 M-9), a range of weekdays said with the daily words (M-8), a day
ruled out (review31 R31-3), every other week, which the office partner keeps (R31-2). Said at noon on Monday 7
December 2026. Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.slots import extract_when
from tests.services.conftest import mcp_session, partner_params
from tests.services.test_partners import call, call_error

MONDAY = dt.datetime(2026, 12, 7, 12, 0)
WORKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


@pytest.mark.parametrize(("text", "lang", "iso", "repeat", "rest"), [
    # a weekday before 下午 is a day (R31-21: '下' was listed as no day's follower, for "一下")
    ("每周五下午五点提醒我交周报", "zh", "2026-12-11T17:00", "FREQ=WEEKLY;BYDAY=FR", "提醒我交周报"),
    ("每周二下午三点提醒我开组会", "zh", "2026-12-08T15:00", "FREQ=WEEKLY;BYDAY=TU", "提醒我开组会"),
    ("每周一下午四点提醒我浇花", "zh", "2026-12-07T16:00", "FREQ=WEEKLY;BYDAY=MO", "提醒我浇花"),
    # a day led by a word that starts them is their first day, not a day of its own (M-9: read once, 09:00)
    ("ab morgen jeden Abend um 9 an die Vitamine erinnern", "de", "2026-12-08T21:00", "FREQ=DAILY",
     "an die Vitamine erinnern"),
    ("starting tomorrow remind me every evening at 9 to journal", "en", "2026-12-08T21:00", "FREQ=DAILY",
     "remind me to journal"),
    ("remind me every day at 8 starting Wednesday to water the basil", "en", "2026-12-09T08:00", "FREQ=DAILY",
     "remind me to water the basil"),
    ("从下周一开始每天早上七点提醒我背单词", "zh", "2026-12-14T07:00", "FREQ=DAILY", "提醒我背单词"),
    ("明天起每天晚上十点提醒我关灯", "zh", "2026-12-08T22:00", "FREQ=DAILY", "提醒我关灯"),
    ("erinnere mich von Mittwoch an jeden Morgen um 7 an das Fenster", "de", "2026-12-09T07:00", "FREQ=DAILY",
     "erinnere mich an das Fenster"),
    ("starting Sunday remind me every weekday at 6 to pack lunch", "en", "2026-12-14T06:00",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "remind me to pack lunch"),
    # a range of weekdays with the daily words: the weekdays of the range (M-8), the daily words cut with it
    ("周一到周五每天早上六点半提醒我出门", "zh", "2026-12-08T06:30", WORKDAYS, "提醒我出门"),
    ("remind me every day from Monday to Friday at 7 to feed the fish", "en", "2026-12-08T07:00", WORKDAYS,
     "remind me to feed the fish"),
    ("erinnere mich von Montag bis Freitag jeden Tag um 7 an den Bus", "de", "2026-12-08T07:00", WORKDAYS,
     "erinnere mich an den Bus"),
    ("from Tuesday to Thursday, remind me every day at 5 pm to log my hours", "en", "2026-12-08T17:00",
     "FREQ=WEEKLY;BYDAY=TU,WE,TH", "remind me to log my hours"),
    # the days left out said later in the clause (review31 R31-3)
    ("remind me every day at 9 to stretch except on Sundays", "en", "2026-12-08T09:00",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA", "remind me to stretch"),
    # every other week (review31 R31-2)
    ("remind me every other Monday at 9 to pay the cleaner", "en", "2026-12-14T09:00",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "remind me to pay the cleaner"),
    ("erinnere mich jeden zweiten Freitag um 17 Uhr an die Abrechnung", "de", "2026-12-11T17:00",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "erinnere mich an die Abrechnung"),
    ("每隔一周的周三晚上八点提醒我打扫卫生", "zh", "2026-12-09T20:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
     "提醒我打扫卫生"),
    # "weekly on", "wöchentlich am" (review31 R31-2 rest)
    ("remind me weekly on Thursdays at 6 pm to water the ferns", "en", "2026-12-10T18:00", "FREQ=WEEKLY;BYDAY=TH",
     "remind me to water the ferns"),
    ("erinnere mich wöchentlich am Freitag um 17 Uhr an die Zeiterfassung", "de", "2026-12-11T17:00",
     "FREQ=WEEKLY;BYDAY=FR", "erinnere mich an die Zeiterfassung"),
    # until the end of the month or week: its last day (R31-3 rest)
    ("remind me every day till the end of the month at 8 to take my iron", "en", "2026-12-08T08:00",
     "FREQ=DAILY;UNTIL=20261231T235959", "remind me to take my iron"),
    ("erinnere mich täglich bis Monatsende um 8 an das Eisen", "de", "2026-12-08T08:00",
     "FREQ=DAILY;UNTIL=20261231T235959", "erinnere mich an das Eisen"),
    ("每天晚上九点到月底提醒我记账", "zh", "2026-12-07T21:00", "FREQ=DAILY;UNTIL=20261231T235959", "提醒我记账"),
    ("remind me every evening until the end of the week at 9 to study", "en", "2026-12-07T21:00",
     "FREQ=DAILY;UNTIL=20261213T235959", "remind me to study"),
    # a range from a start day to a last: every day up to the last
    ("从明天到周五每天早上八点提醒我带伞", "zh", "2026-12-08T08:00", "FREQ=DAILY;UNTIL=20261211T235959", "提醒我带伞"),
])
def test_days_said_to_come_back(text: str, lang: str, iso: str, repeat: str, rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, repeat, rest)


@pytest.mark.parametrize(("text", "lang"), [("每周一次提醒我交房租", "zh"), ("我们每周一起去游泳", "zh"),
                                            ("每周一定要提醒我锻炼", "zh")])
def test_a_word_the_day_begins_is_no_rule(text: str, lang: str) -> None:
    """"每周一次" (once a week) says no Monday."""
    when, _ = extract_when(text, MONDAY, lang)
    assert when is None or when.repeat is None


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    # a day a pause parts from the days that come back is the request's own (reread31 H-3)
    ("two tickets for Anora from Friday, every Saturday I visit my aunt", "en", "2026-12-11",
     "two tickets for Anora, every Saturday I visit my aunt"),
    ("remind me tomorrow at 9 to call the school", "en", "2026-12-08T09:00", "remind me to call the school"),
    # a day ruled out is never the day (review31 R31-3): the next time the clock shows; a day said of its own wins
    # (reread31 H-4: "any day but Friday" says Friday)
    ("remind me at 8 to call Anna but not on Sunday", "en", "2026-12-07T20:00",
     "remind me to call Anna but not on Sunday"),
    ("erinnere mich um 8 an den Arzt, aber nicht am Sonntag", "de", "2026-12-07T20:00",
     "erinnere mich an den Arzt, aber nicht am Sonntag"),
    ("except Saturday, remind me tomorrow at 7 to call the bank", "en", "2026-12-08T07:00",
     "except Saturday, remind me to call the bank"),
    ("two tickets for Dune on Friday at 8 pm, I can't do any day but Friday", "en", "2026-12-11T20:00",
     "two tickets for Dune, I can't do any day but Friday"),
])
def test_a_day_said_apart_or_ruled_out_is_no_start(text: str, lang: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, None, rest)


@pytest.mark.anyio
async def test_the_office_partner_keeps_a_reminder_every_other_week(tmp_path: Path) -> None:
    async with mcp_session(partner_params("office", None, tmp_path / "o.db")) as s:
        cleaner = await call(s, "add_reminder", text="pay the cleaner", due_at="2026-12-07T09:00",
                             repeat="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270110")
        assert (cleaner["due_at"], cleaner["repeat"], cleaner["until"]) == \
            ("2026-12-07T09:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "2027-01-07T09:00")
        seen = [(await call(s, "complete_reminder", reminder_id=cleaner["id"])).get("due_at") for _ in range(4)]
        assert seen == ["2026-12-10T09:00", "2026-12-21T09:00", "2026-12-24T09:00", "2027-01-04T09:00"]
        for wrong in ("FREQ=WEEKLY;INTERVAL=0;BYDAY=MO", "FREQ=DAILY;INTERVAL=two"):
            assert "RRULE" in await call_error(s, "add_reminder", text="x", due_at="2026-12-12T09:00", repeat=wrong)


@pytest.mark.parametrize(("text", "lang"), [("two tickets for Anora at 8 pm but not on Monday", "en"),
                                            ("zwei Karten für Anora um 20 Uhr, aber nicht am Montag", "de")])
def test_a_clock_whose_next_time_is_on_the_day_ruled_out_is_asked(text: str, lang: str) -> None:
    """Said on a Monday: never bought for today, the day ruled out, nor moved to another (reread31 H-4)."""
    assert extract_when(text, MONDAY, lang) == (None, text)


@pytest.mark.parametrize(("text", "lang"), [("book two tickets for Anora but not on Friday", "en"),
                                            ("买两张周五阿诺拉的电影票，不要晚上八点那场", "zh"),  # R32-11
                                            ("two tickets for Anora on Friday, but not the 8 pm show", "en"),
                                            ("zwei Karten für Anora, aber nicht am Freitag", "de"),
                                            ("remind me to call the bank but not on Sunday", "en")])
def test_a_day_ruled_out_said_alone_says_no_time(text: str, lang: str) -> None:
    """Not the day ruled out (6c2a30a, d372fe2: Friday, bought on yes: reread32 H-2): asked."""
    assert extract_when(text, MONDAY, lang) == (None, text)


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    # the day said in the clock's own clause, not one in a clause beside it (review32 R32-7)
    ("the yoga class is on Thursday, remind me tomorrow at 9 to pack the mat", "en", "2026-12-08T09:00",
     "the yoga class is on Thursday, remind me to pack the mat"),
    ("der Kurs ist am Donnerstag, erinnere mich morgen um 9 an die Matte", "de", "2026-12-08T09:00",
     "der Kurs ist am Donnerstag, erinnere mich an die Matte"),
    ("周四上瑜伽课，明天早上九点提醒我带垫子", "zh", "2026-12-08T09:00", "周四上瑜伽课，提醒我带垫子"),
])
def test_the_day_of_the_clocks_own_clause(text: str, lang: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, MONDAY, lang)
    assert when is not None and (when.iso, when.repeat, left) == (iso, None, rest)
