"""Minutes said in words and clocks said to or past an hour (time_words.toml ``clock``: ``minutes``, ``towards``,
``sharp``), hours said as words without "at"/"um" before "o'clock"/"Uhr", and an article after "um" that is no hour
("um einen Tisch"). Said at noon on Monday 7 December 2026. Own sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.slots import extract_when

NOW = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    ("remind me at seven thirty to call Anna", "en", "2026-12-07T19:30", "remind me to call Anna"),
    ("at six forty-five pm", "en", "2026-12-07T18:45", ""),
    ("at seven forty five tonight", "en", "2026-12-07T19:45", ""),
    ("wake me at eight oh five tomorrow", "en", "2026-12-08T08:05", "wake me"),
    ("two tickets for Dune for eight o'clock", "en", "2026-12-07T20:00", "two tickets for Dune"),
    ("two seats for Anora seven thirty pm", "en", "2026-12-07T19:30", "two seats for Anora"),
    ("remind me at twenty past eight to water the plants", "en", "2026-12-07T20:20", "remind me to water the plants"),
    ("remind me at ten to nine to call mom", "en", "2026-12-07T20:50", "remind me to call mom"),
    ("at five past seven tomorrow morning", "en", "2026-12-08T07:05", ""),
    ("at twenty-five to ten", "en", "2026-12-07T21:35", ""),
    ("a table at half seven", "en", "2026-12-07T19:30", "a table"),
    ("call the dentist at quarter after nine tomorrow", "en", "2026-12-08T09:15", "call the dentist"),
    ("at two minutes past eight", "en", "2026-12-07T20:02", ""),
    ("erinnere mich um acht Uhr dreißig an den Müll", "de", "2026-12-07T20:30", "erinnere mich an den Müll"),
    ("erinnere mich um acht dreißig an den Müll", "de", "2026-12-07T20:30", "erinnere mich an den Müll"),
    ("morgen um sieben Uhr fünfundzwanzig", "de", "2026-12-08T07:25", ""),
    ("Karten für acht Uhr", "de", "2026-12-07T20:00", "Karten"),
    ("um zwanzig nach acht", "de", "2026-12-07T20:20", ""),
    ("zehn vor neun Uhr Zahnarzt", "de", "2026-12-07T20:50", "Zahnarzt"),
    ("um fünf vor halb neun", "de", "2026-12-07T20:25", ""),
    ("um fünf nach halb neun", "de", "2026-12-07T20:35", ""),
    ("um elf Uhr", "de", "2026-12-07T23:00", ""),
    ("Tisch um elf", "de", "2026-12-07T23:00", "Tisch"),
    ("um zwo", "de", "2026-12-07T14:00", ""),
    ("八点钟提醒我", "zh", "2026-12-07T20:00", "提醒我"),
    ("八点整提醒我", "zh", "2026-12-07T20:00", "提醒我"),
    ("八点过五分提醒我", "zh", "2026-12-07T20:05", "提醒我"),
    ("九点差五分提醒我", "zh", "2026-12-07T20:55", "提醒我"),
    ("差五分九点提醒我", "zh", "2026-12-07T20:55", "提醒我"),
    ("明早九点差一刻开会", "zh", "2026-12-08T08:45", "开会"),
    ("a table at eight two people", "en", "2026-12-07T20:00", "a table two people"),  # a count after the hour
    ("um acht Uhr zwei Karten", "de", "2026-12-07T20:00", "zwei Karten"),  # is no minutes
    ("um 8 Uhr 30 zwei Karten", "de", "2026-12-07T20:30", "zwei Karten"),
    ("remind me ten to nine tomorrow", "en", "2026-12-08T08:50", "remind me"),  # a time word after it: a clock
    ("ten to nine please, remind me to leave", "en", "2026-12-07T20:50", "please, remind me to leave"),
    ("remind me at ten to nine meeting", "en", "2026-12-07T20:50", "remind me meeting"),  # "at": said as a clock
    ("erinnere mich um zehn vor neun Zahnarzt", "de", "2026-12-07T20:50", "erinnere mich Zahnarzt"),
])
def test_minutes_said_in_words_and_to_or_past_an_hour(text: str, lang: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW, lang)
    assert when is not None and when.iso == iso and left == rest


@pytest.mark.parametrize(("text", "lang"), [
    ("a table for five to six people", "en"), ("from five to nine", "en"), ("order two to four pizzas", "en"),
    ("bestell zwei bis vier Pizzen", "de"), ("Tisch für vier nach acht Personen", "de"),
    ("kümmer dich um einen Tisch für zwei", "de"), ("es geht um eine Pizza", "de"),
    # what the two numbers count follows them (review29 R29-11: 23:50 at 7bebea8)
    ("order ten to twelve pizzas to the office", "en"), ("buy five to ten folding chairs", "en"),
    ("wir brauchen zehn vor zwölf Stühle", "de"),
])
def test_two_numbers_or_an_article_are_no_clock(text: str, lang: str) -> None:
    assert extract_when(text, NOW, lang) == (None, text)
