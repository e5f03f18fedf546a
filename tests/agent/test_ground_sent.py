"""A thing brought to the user ends before the words that say how it is sent (closing_words.toml ``sent``): "some
butter chicken *delivered home*", "a screen protector *and ship it home*". Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 12, 4, 15, 0)


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("buy a desk fan and ship it home", "buy_product", {"item": "desk fan", "count": 1, "place": "home"}),
    ("buy three notebooks and ship them to my office", "buy_product",
     {"item": "notebooks", "count": 3, "place": "office"}),
    ("buy a toaster deliver home", "buy_product", {"item": "toaster", "count": 1, "place": "home"}),
    ("get me some green curry delivered home", "order_food", {"dish": "green curry", "place": "home"}),
    ("get 2 falafel wraps sent over to the office", "order_food",
     {"dish": "falafel wraps", "count": 2, "place": "office"}),
    # a word of sending inside a thing or a note stays ("ship" alone is a noun too)
    ("buy a model ship kit", "buy_product", {"item": "model ship kit", "count": 1}),
    ("note that the parcel was delivered to Anna", "take_note", {"text": "the parcel was delivered to Anna"}),
])
def test_a_thing_ends_before_how_it_is_sent(text: str, intent: str, slots: dict[str, object]) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [(intent, slots)]
