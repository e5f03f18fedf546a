"""The thing a request asks the price of (clause_words.toml ``priced``; tandem.agent.priced): a capability whose own
examples ask prices reads it without the words that ask ("price of", "Preise für", "什么价"), and reads it where no
example frames it. Own sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.ground import ended, loose_slots
from tandem.agent.priced import asks_price, priced_off

NOW = dt.datetime(2026, 11, 29, 15, 0)


def _spec(name: str):
    return next(s for s in shipped() if s.name == name)


@pytest.mark.parametrize(("value", "lang", "thing"), [
    ("price of a standing desk", "en", "standing desk"),
    ("prices for gaming mice", "en", "gaming mice"),
    ("compare cordless vacuums", "en", "cordless vacuums"),
    ("compare prices on a bike helmet", "en", "bike helmet"),  # reread25 L5: "prices on a bike helmet" before
    ("compare the prices on electric kettles", "en", "electric kettles"),
    ("prices on a standing desk", "en", "standing desk"),
    ("the best rice cookers and what they cost", "en", "best rice cookers"),
    ("Preise für Gartenstühle", "de", "Gartenstühle"),
    ("Preisvergleich für eine Nähmaschine", "de", "Nähmaschine"),
    ("was eine Heißluftfritteuse kostet", "de", "Heißluftfritteuse"),
    ("was so ein Rasenmäher ungefähr kostet", "de", "Rasenmäher"),
    ("电动牙刷什么价", "zh", "电动牙刷"),
    ("空气净化器的价格", "zh", "空气净化器"),
    ("比较一下蓝牙耳机", "zh", "蓝牙耳机"),
    ("登山鞋有什么优惠吗", "zh", "登山鞋"),
])
def test_a_value_around_price_words_is_the_thing(value: str, lang: str, thing: str) -> None:
    assert priced_off(value, lang) == thing
    assert ended(_spec("search_products"), {"item": value}, lang)["item"] == thing


@pytest.mark.parametrize(("value", "lang"), [
    ("cost", "en"),  # nothing left but the words: as said
    ("什么价", "zh"),
    ("winter boots", "en"),  # no price words: as it is
    ("Wanderschuhe", "de"),
])
def test_a_value_without_a_thing_or_price_words_stays(value: str, lang: str) -> None:
    assert priced_off(value, lang) == value


def test_only_a_capability_that_asks_prices_reads_them() -> None:
    assert asks_price(_spec("search_products"), "en")
    assert asks_price(_spec("search_products"), "zh")
    assert not asks_price(_spec("buy_product"), "en")
    assert not asks_price(_spec("order_food"), "de")
    # a film called so keeps its words
    assert ended(_spec("buy_movie_tickets"), {"film": "Price of Glory"}, "en")["film"] == "Price of Glory"


@pytest.mark.parametrize(("clause", "lang", "thing"), [
    ("price check on a coffee grinder", "en", "coffee grinder"),
    ("compare electric scooters", "en", "electric scooters"),
    ("Preisvergleich Staubsaugerroboter", "de", "Staubsaugerroboter"),
    ("投影仪什么价", "zh", "投影仪"),
    ("比较一下智能手表哪款划算", "zh", "智能手表"),
])
def test_the_thing_priced_is_read_where_no_example_frames_it(clause: str, lang: str, thing: str) -> None:
    assert loose_slots(_spec("search_products"), clause, lang).get("item") == thing
