"""Days said further ahead (time_words.toml ``later``): a weekday a week after the coming one ("Friday after next",
"übernächsten Freitag", "a week on Friday", "next Friday week"), one of a later calendar week ("下下周三", "nächste
Woche Freitag"), a day said by one word three days ahead ("大后天"), and "晚" before a clock ("晚七点"). Said on
Monday 7 December 2026: the coming Friday is the 11th. Own sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.slots import extract_when, parse_count

NOW = dt.datetime(2026, 12, 7, 9, 0)  # a Monday


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    ("Friday after next", "en", "2026-12-18", ""),
    ("remind me on Tuesday after next to call Anna", "en", "2026-12-15", "remind me to call Anna"),
    ("a week on Friday at 8 pm", "en", "2026-12-18T20:00", ""),
    ("lunch with Karl a week from Wednesday", "en", "2026-12-16", "lunch with Karl"),
    ("team lunch next Friday week at noon", "en", "2026-12-18T12:00", "team lunch"),
    ("Dune on Saturday week", "en", "2026-12-19", "Dune"),
    ("übernächsten Freitag um 8", "de", "2026-12-18T08:00", ""),
    ("am übernächsten Mittwoch Zahnarzt", "de", "2026-12-16", "Zahnarzt"),
    ("nächste Woche Freitag um 18 Uhr", "de", "2026-12-18T18:00", ""),
    ("Teamessen nächste Woche Dienstag", "de", "2026-12-15", "Teamessen"),
    ("kommende Woche am Donnerstag Friseur", "de", "2026-12-17", "Friseur"),
    ("übernächste Woche Montag", "de", "2026-12-21", ""),
    ("überübermorgen", "de", "2026-12-10", ""),
    ("下下周三", "zh", "2026-12-23", ""),
    ("下下个星期五下午三点开会", "zh", "2026-12-25T15:00", "开会"),
    ("下下礼拜一", "zh", "2026-12-21", ""),
    ("大后天晚上八点", "zh", "2026-12-10T20:00", ""),
    ("大后天去医院", "zh", "2026-12-10", "去医院"),
    ("周五晚八点的电影", "zh", "2026-12-11T20:00", "电影"),
    ("下周二晚10点", "zh", "2026-12-15T22:00", ""),
])
def test_a_day_said_further_ahead(text: str, lang: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW, lang)
    assert when is not None and when.iso == iso
    assert left.strip(" ,，") == rest


@pytest.mark.parametrize(("text", "lang", "iso"), [
    ("next Friday", "en", "2026-12-11"),
    ("on Friday", "en", "2026-12-11"),
    ("this weekend", "en", "2026-12-12"),
    ("the day after tomorrow", "en", "2026-12-09"),
    ("nächsten Freitag", "de", "2026-12-11"),
    ("nächste Woche", "de", "2026-12-14"),
    ("übermorgen", "de", "2026-12-09"),
    ("下周三", "zh", "2026-12-16"),
    ("周三", "zh", "2026-12-09"),
    ("后天", "zh", "2026-12-09"),
])
def test_the_days_said_as_before(text: str, lang: str, iso: str) -> None:
    when, _ = extract_when(text, NOW, lang)
    assert when is not None and when.iso == iso


def test_a_weekend_is_no_week() -> None:
    when, _ = extract_when("tickets for Friday weekend", NOW, "en")
    assert when is not None and when.iso == "2026-12-11"


@pytest.mark.parametrize("text", [
    "提醒我晚一点给妈妈打电话", "帮我点一份饺子，晚一点送到", "早一点到", "快一点送", "晚一点的场次", "晚点再提醒我",
    "晚一点儿提醒我", "能不能早一点送过来", "慢一点开", "迟一点再说",
])
def test_a_bit_later_is_no_clock(text: str) -> None:  # reread27 M4: "晚一点" is "a bit later", never 01:00
    when, _ = extract_when(text, NOW.replace(hour=12), "zh")
    assert when is None


@pytest.mark.parametrize(("text", "iso"), [
    ("晚七点", "2026-12-07T19:00"), ("晚上一点", "2026-12-08T01:00"), ("今晚一点", "2026-12-08T01:00"),
    ("明晚一点", "2026-12-09T01:00"), ("明天一点开会", "2026-12-08T13:00"), ("下午一点", "2026-12-07T13:00"),
])
def test_one_oclock_said_with_a_part_of_the_day_is_a_clock(text: str, iso: str) -> None:
    when, _ = extract_when(text, NOW.replace(hour=12), "zh")
    assert when is not None and when.iso == iso


@pytest.mark.parametrize(("text", "iso", "rest"), [  # review27 P27-6, reread27 M5: a number before a classifier counts
    ("今晚八点两张《沙丘》的票", "2026-12-07T20:00", "两张《沙丘》的票"), ("三点三张", "2026-12-07T15:00", "三张"),
    ("今晚八点两份饺子", "2026-12-07T20:00", "两份饺子"), ("明天下午3点5个人", "2026-12-08T15:00", "5个人"),
    ("八点十两张票", "2026-12-07T20:10", "两张票"), ("七點兩張票", "2026-12-07T19:00", "兩張票"),
    ("今晚8点30两张票", "2026-12-07T20:30", "两张票"), ("晚上八点三十两张票", "2026-12-07T20:30", "两张票"),
    ("今晚八点零五两张票", "2026-12-07T20:05", "两张票"), ("八点二十两张", "2026-12-07T20:20", "两张"),
    ("三点半两份饺子", "2026-12-07T15:30", "两份饺子"), ("今晚八点一刻两张票", "2026-12-07T20:15", "两张票"),
    ("下午三点十五分两张票", "2026-12-07T15:15", "两张票"), ("八点二十分", "2026-12-07T20:20", ""),
    ("八点二十", "2026-12-07T20:20", ""), ("八点两分", "2026-12-07T20:02", ""), ("八点零二分", "2026-12-07T20:02", ""),
    ("8点30", "2026-12-07T20:30", ""), ("晚上七点四十五", "2026-12-07T19:45", ""), ("三点一刻", "2026-12-07T15:15", ""),
])
def test_a_count_after_the_hour_is_no_minutes(text: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW.replace(hour=12), "zh")
    assert when is not None and when.iso == iso and left == rest


@pytest.mark.parametrize(("text", "iso", "rest"), [  # review28 R28-1: a word after the minutes that opens with a
    ("晚上七点四十五提醒我关窗", "2026-12-07T19:45", "提醒我关窗"),  # classifier's character keeps them
    ("明早七点零五提醒我出门", "2026-12-08T07:05", "提醒我出门"),
    ("九点45提醒我喝水", "2026-12-07T21:45", "提醒我喝水"),
    ("晚上八点十五只提醒我一次", "2026-12-07T20:15", "只提醒我一次"),
    ("下午3点20提醒我开会", "2026-12-07T15:20", "提醒我开会"),
    ("下午三点四十把快递取了", "2026-12-07T15:40", "把快递取了"),
    ("下午四点二十对一下账", "2026-12-07T16:20", "对一下账"),
    ("下午三点二十支付房租", "2026-12-07T15:20", "支付房租"), ("7点5分提醒我", "2026-12-07T19:05", "提醒我"),
    ("晚上七點四十五提醒我關窗", "2026-12-07T19:45", "提醒我關窗"),  # traditional (session 29's check of R28-1)
    ("下午三點二十分提醒我開會", "2026-12-07T15:20", "提醒我開會"),
    ("九點十五把報告發給老闆", "2026-12-07T21:15", "把報告發給老闆"),
    ("下午四点五十包饺子", "2026-12-07T16:50", "包饺子"), ("早上六点五十叫我起床", "2026-12-08T06:50", "叫我起床"),
])
def test_minutes_before_a_word_that_opens_like_a_classifier_stay(text: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW.replace(hour=12), "zh")
    assert when is not None and when.iso == iso and left == rest


def test_two_is_never_a_digit_after_another_numeral() -> None:  # measure_words.toml numerals.zh leading
    assert (parse_count("三十二"), parse_count("两"), parse_count("两张"), parse_count("三十两")) == (32, 2, 2, None)


@pytest.mark.parametrize(("text", "lang", "rest"), [  # time_words.toml joins shows: the showing goes with its time
    ("two tickets for Past Lives for the 9 pm show", "en", "two tickets for Past Lives"),
    ("two tickets for Past Lives at Kino Mitte for the 9 pm show", "en", "two tickets for Past Lives at Kino Mitte"),
    ("book Anora, the 7 pm screening, two seats", "en", "book Anora, two seats"),
    ("three seats at the 6:30 pm showing at Kino Mitte", "en", "three seats at Kino Mitte"),
    ("two tickets for Wicked tomorrow for the 8 pm show please", "en", "two tickets for Wicked please"),
    ("get me a seat for the 6 pm showing of Anora", "en", "get me a seat for the showing of Anora"),  # the film's
    ("remind me at 9 pm to watch the show", "en", "remind me to watch the show"),
    ("《沙丘》，明天晚七点场，万达影城，两个座位", "zh", "《沙丘》，万达影城，两个座位"),
    ("今晚八点那场沙丘，两张票", "zh", "沙丘，两张票"), ("帮我买两张今晚八点的场次的沙丘", "zh", "帮我买两张沙丘"),
    ("明天下午三点的话剧票两张", "zh", "话剧票两张"), ("book Anora, at 7 pm, two seats", "en", "book Anora, two seats"),
    ("can I swap it for a later showing?", "en", "can I swap it for a showing?"),  # a clock's showing only
])
def test_the_showing_a_time_is_of_goes_with_it(text: str, lang: str, rest: str) -> None:
    assert extract_when(text, NOW, lang)[1] == rest
