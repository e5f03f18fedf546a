"""A bound on what a thing may cost is no part of the thing (measure_words.toml ``price_limits``; priced.unpriced): "a
phone case *under 20 euros*" was searched for as said and found nothing. Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.priced import unpriced
from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 12, 4, 15, 0)


@pytest.mark.parametrize(("value", "lang", "thing"), [
    ("desk lamp under 40 euros", "en", "desk lamp"),
    ("a yoga mat for less than $25", "en", "a yoga mat"),
    ("running shoes, nothing over 90 euros, what have they got", "en", "running shoes"),
    ("a blender 50 euros max", "en", "a blender"),
    ("Laufschuhe bis 90 Euro anschauen", "de", "Laufschuhe"),
    ("eine Schreibtischlampe für höchstens 40 Euro", "de", "eine Schreibtischlampe"),
    ("两百块以内的台灯", "zh", "台灯"),
    ("wireless earbuds cost", "en", "wireless earbuds"), ("Gartenstühle kosten", "de", "Gartenstühle"),
    ("电动牙刷要多少钱", "zh", "电动牙刷"),
    ("瑜伽垫，不超过八十元", "zh", "瑜伽垫"),
])
def test_a_bound_on_the_price_is_no_part_of_the_thing(value: str, lang: str, thing: str) -> None:
    assert unpriced(value, lang) == thing


@pytest.mark.parametrize(("value", "lang"), [
    ("a 50 euro gift card", "en"), ("Pizza bis 20 Uhr", "de"), ("两块蛋糕", "zh"), ("the Under Armour hoodie", "en"),
    ("cheap bike lights", "en"), ("günstige Fahrradlichter", "de"),  # what is wanted: a shop's search lists by price
    ("cost", "en"), ("low cost earbuds", "en"), ("Nebenkosten", "de"),  # nothing before the asking words: stays
])
def test_a_price_without_a_bound_stays(value: str, lang: str) -> None:
    assert unpriced(value, lang) == value


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("find me a desk lamp under 40 euros", "search_products", {"item": "desk lamp"}),
    ("zeig mir Fahrradlichter bis 30 Euro", "search_products", {"item": "Fahrradlichter"}),
    # the words that ask the price, said after the thing (measure_words.toml price_limits.asked)
    ("how much do wireless earbuds cost in the online shop", "search_products", {"item": "wireless earbuds"}),
    ("how much do wireless earbuds cost", "search_products", {"item": "wireless earbuds"}),
    # a purchase keeps the bound: nothing is bought over it (review30 R30-11, "order a pizza under 5 euros")
    ("buy a yoga mat under 30 euros and ship it home", "buy_product", {"item": "yoga mat under 30 euros", "count": 1,
                                                                       "place": "home"}),
    ("order a pizza under 5 euros to the office", "order_food", {"dish": "pizza under 5 euros", "count": 1,
                                                                 "place": "office"}),
    # a note keeps its words as said
    ("note that the plumber charges under 80 euros an hour", "take_note",
     {"text": "the plumber charges under 80 euros an hour"}),
])
def test_a_thing_looked_up_is_read_without_its_price(text: str, intent: str,
                                                               slots: dict[str, object]) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [(intent, slots)]
