"""Days said to come back, with the days they leave out (time_words.toml ``every``): the first day they say that is
not left out, and the words cut out of the request ("every day except Sunday …" made one reminder on the Sunday; the
closing note of sessions 28-29). Said at noon on Saturday 12 December 2026 (and on Monday 7 December). Own sentences,
none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.every import every_day
from tandem.agent.slots import extract_when

SATURDAY = dt.datetime(2026, 12, 12, 12, 0)
MONDAY = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "now", "iso", "rest"), [
    ("remind me every day except Sunday at 6 pm to walk the dog", "en", SATURDAY, "2026-12-12T18:00",
     "remind me to walk the dog"),
    ("remind me every day except Saturdays and Sundays at 9am to check the mail", "en", SATURDAY, "2026-12-14T09:00",
     "remind me to check the mail"),
    ("every weekday at 7 am remind me to pack lunch", "en", SATURDAY, "2026-12-14T07:00", "remind me to pack lunch"),
    ("remind me every day but not on Mondays to feed the fish", "en", MONDAY, "2026-12-08",
     "remind me to feed the fish"),
    ("erinnere mich jeden Tag außer am Wochenende um 8 Uhr an die Vitamine", "de", SATURDAY, "2026-12-14T08:00",
     "erinnere mich an die Vitamine"),
    ("erinnere mich täglich außer sonntags um 18 Uhr, die Blumen zu gießen", "de", SATURDAY, "2026-12-12T18:00",
     "erinnere mich, die Blumen zu gießen"),
    ("除了周末每天早上八点提醒我背单词", "zh", SATURDAY, "2026-12-14T08:00", "提醒我背单词"),
    ("除周日外每天晚上九点提醒我记账", "zh", SATURDAY, "2026-12-12T21:00", "提醒我记账"),
    ("每天（周六除外）早上七点提醒我吃早饭", "zh", SATURDAY, "2026-12-13T07:00", "提醒我吃早饭"),
])
def test_days_that_come_back_are_their_first_day_not_left_out(text: str, lang: str, now: dt.datetime, iso: str,
                                                               rest: str) -> None:
    when, left = extract_when(text, now, lang)
    assert when is not None and (when.iso, left) == (iso, rest)


def test_days_that_leave_out_every_day_are_no_day() -> None:
    text = "remind me every weekday except Monday, Tuesday, Wednesday, Thursday and Friday at 7 to run"
    assert extract_when(text, SATURDAY, "en") == (None, text)


@pytest.mark.parametrize(("text", "lang"), [
    ("add the daily standup at 9 to my calendar", "en"), ("Tagesordnung für Montag", "de"),
    ("two tickets for the weekend except the Sunday matinee", "en"),
])
def test_words_that_only_hold_a_word_of_every_day_say_none(text: str, lang: str) -> None:
    assert every_day(text, lang) is None
