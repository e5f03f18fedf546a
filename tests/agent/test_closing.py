"""The words that close a clause after a place (closing_words.toml, tandem.agent.closing): a route request that ends
in a question about the way there ('怎么坐', 'am schnellsten', 'how do I get there') asks for the route to the place,
not to a place named so."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.closing import closed
from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 12, 4, 15, 0)


@pytest.mark.parametrize(("value", "lang", "place"), [
    ("南锣鼓巷怎么坐", "zh", "南锣鼓巷"), ("南锣鼓巷怎么到", "zh", "南锣鼓巷"), ("颐和园怎么坐车", "zh", "颐和园"),
    ("798怎么过去比较快", "zh", "798"), ("火车站怎样走", "zh", "火车站"), ("图书馆如何走", "zh", "图书馆"),
    ("公园咋走", "zh", "公园"), ("火车站坐几路车", "zh", "火车站"), ("机场走哪条路", "zh", "机场"),
    ("Zoo am schnellsten", "de", "Zoo"), ("Zoo, wie komme ich da hin", "de", "Zoo"),
    ("Alexanderplatz wie lange dauert das", "de", "Alexanderplatz"),
    ("Times Square how do I get there", "en", "Times Square"), ("the zoo, how far is it?", "en", "the zoo"),
    ("the station fastest", "en", "the station"),
    ("Hotel am Zoo", "de", "Hotel am Zoo"), ("Best Western", "en", "Best Western"),  # a place's own words stay
])
def test_the_words_that_ask_the_way_after_a_place_are_no_part_of_it(value: str, lang: str, place: str) -> None:
    assert closed(value, lang, place=True) == place


def test_a_to_do_keeps_what_it_says_after_its_text() -> None:
    """Only a place loses them: a to-do's text ('ask Paul how far is it') is the user's own words."""
    assert closed("ask Paul how far is it", "en") == "ask Paul how far is it"


@pytest.mark.parametrize(("text", "destination"), [
    ("坐地铁去南锣鼓巷怎么坐", "南锣鼓巷"), ("去南锣鼓巷怎么到", "南锣鼓巷"),
    ("Wie komme ich mit der U-Bahn zum Zoo am schnellsten", "Zoo"),
    ("directions to Times Square how do I get there", "Times Square"),
])
def test_a_route_request_ending_in_a_way_question_asks_the_route_to_the_place(text: str, destination: str) -> None:
    (intent,) = TemplateParser().parse(text, NOW).intents
    assert intent.name == "find_route"
    assert intent.slots["destination"] == destination
