"""A saved place said with a word that says whose it is ("*our* office", "*我*公司", "*我们*单位", "*mein* Büro") is the
saved place (intents.place_key; measure_words.toml ``owners``, ``subjects``). Own sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.intents import place_key
from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 11, 29, 15, 0)


@pytest.mark.parametrize(("said", "key"), [
    ("我公司", "office"), ("我们公司", "office"), ("我的办公室", "office"), ("我们单位", "office"),
    ("我们的公司", "office"), ("我们家", "home"), ("our office", "office"), ("Our office", "office"),
    ("unser Büro", "office"), ("mein Büro", "office"), ("meine Firma", "office"), ("unsere Firma", "office"),
    ("公司", "office"), ("my office", "office"), ("家里", "home"),
])
def test_a_saved_place_said_as_whose_it_is(said: str, key: str) -> None:
    assert place_key(said) == key


@pytest.mark.parametrize("said", ["我爸公司", "我们的酒店", "our hotel", "mein Hotel", "Hauptstraße 5", "公司楼下",
                                  "my office building", "我 公司"])
def test_other_places_keep_their_words(said: str) -> None:
    assert place_key(said) == said


@pytest.mark.parametrize(("text", "place"), [
    ("点两份饺子送到我公司", "office"),
    ("点一碗牛肉面送到我们公司", "office"),
    ("点两份饺子送到我们单位", "office"),
    ("order a pizza to our office", "office"),
    ("点两份饺子送到我爸公司", "我爸公司"),
])
def test_an_order_goes_to_the_saved_place(text: str, place: str) -> None:
    (food,) = TemplateParser().parse(text, NOW).intents
    assert food.slots["place"] == place
