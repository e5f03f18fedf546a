"""A value that opens with a verb of giving back what was bought (verb_words.toml ``gives_back``: "退掉", "return"),
in a capability whose own examples never say it, is no value: the purchase's template that read "*退掉*演唱会的票" with
its optional verb left out reads nothing, and the request is left to the capability that gives things back. Own
sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.ground import ended
from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 11, 29, 15, 0)


def _spec(name: str):
    return next(s for s in shipped() if s.name == name)


@pytest.mark.parametrize(("name", "slot", "value", "lang"), [
    ("buy_event_tickets", "event", "退掉", "zh"),
    ("buy_event_tickets", "event", "退了", "zh"),
    ("buy_event_tickets", "event", "取消", "zh"),
    ("buy_event_tickets", "event", "退掉周杰伦", "zh"),
    ("buy_movie_tickets", "film", "退掉沙丘", "zh"),
    ("buy_event_tickets", "event", "return the Coldplay concert", "en"),
    ("buy_movie_tickets", "film", "refund my Dune tickets", "en"),
    ("buy_event_tickets", "event", "return two seats for Hamlet", "en"),
    ("buy_event_tickets", "event", "storniere das Konzert", "de"),
])
def test_a_verb_of_giving_back_is_no_thing_bought(name: str, slot: str, value: str, lang: str) -> None:
    assert ended(_spec(name), {slot: value}, lang)[slot] is None


@pytest.mark.parametrize(("name", "slot", "value", "lang"), [
    ("buy_event_tickets", "event", "退休派对", "zh"),  # 退休 (retired) is a word of its own
    ("buy_event_tickets", "event", "周杰伦", "zh"),
    ("buy_movie_tickets", "film", "Return to Seoul", "en"),  # a title in capitals
    ("buy_movie_tickets", "film", "return of the king", "en"),  # a title in lower case (review25 R25-6)
    ("buy_movie_tickets", "film", "return to seoul", "en"),
    ("buy_movie_tickets", "film", "Dune", "en"),
    ("buy_event_tickets", "event", "Zauberflöte", "de"),
])
def test_other_values_stay(name: str, slot: str, value: str, lang: str) -> None:
    assert ended(_spec(name), {slot: value}, lang)[slot] == value


@pytest.mark.parametrize("text", ["退掉演唱会的票", "退掉话剧的票", "退掉演唱会的票，再退掉话剧的票", "退了音乐会的票"])
def test_the_templates_read_no_purchase_from_a_refund(text: str) -> None:
    read = TemplateParser().parse(text, NOW, lang="zh")
    assert not any(i.name.startswith("buy_") for i in read.intents)


def test_the_purchase_is_still_read() -> None:
    read = TemplateParser().parse("买周杰伦演唱会的票", NOW, lang="zh")
    assert [(i.name, i.slots.get("event")) for i in read.intents] == [("buy_event_tickets", "周杰伦")]


@pytest.mark.parametrize(("name", "slot", "value", "lang"), [
    ("order_food", "dish", "bloß keine Pizza", "de"),  # review25 P25-2: the dish was "bloß keine Pizza"
    ("buy_product", "item", "ja keinen Toaster", "de"),
])
def test_a_thing_not_wanted_is_no_thing_to_get(name: str, slot: str, value: str, lang: str) -> None:
    """measure_words.toml ``none``: a thing said with "keine"/"no" is not wanted; the reading names none."""
    assert ended(_spec(name), {slot: value}, lang)[slot] is None


@pytest.mark.parametrize(("name", "slot", "value", "lang"), [
    ("order_food", "dish", "Pizza ohne Zwiebeln", "de"),
    ("buy_movie_tickets", "film", "No Time to Die", "en"),  # a title in capitals
    ("buy_movie_tickets", "film", "Keine Zeit zu sterben", "de"),
    ("take_note", "text", "keine Milch mehr im Haus", "de"),  # a note counts nothing: as said
    ("buy_movie_tickets", "film", "keine zeit zu sterben", "de"),  # reread25 M1: a title in lower case
    ("buy_movie_tickets", "film", "no time to die", "en"),
    # reread25 H1: a reminder, a note or a calendar entry keeps an errand of giving back
    ("set_reminder", "todo", "return the library books", "en"),
    ("set_reminder", "todo", "cancel the gym membership", "en"),
    ("set_reminder", "todo", "退掉健身卡", "zh"),
    ("set_reminder", "todo", "refund the deposit", "en"),
    ("take_note", "text", "return the library books", "en"),
    ("take_note", "text", "取消周五的会", "zh"),
    ("take_note", "text", "storniere das Zeitungsabo", "de"),
    ("add_calendar_event", "title", "cancel the subscription", "en"),
    ("set_reminder", "todo", "gib Paul das Buch zurück", "de"),
])
def test_a_title_or_a_note_keeps_its_no(name: str, slot: str, value: str, lang: str) -> None:
    assert ended(_spec(name), {slot: value}, lang)[slot] == value


@pytest.mark.parametrize(("value", "lang", "thing"), [("pizza, no onions", "en", "pizza"),
                                                      ("Pizza, keine Zwiebeln", "de", "Pizza")])
def test_a_dish_said_how_it_is_made_keeps_its_name(value: str, lang: str, thing: str) -> None:
    """reread25 M1: "a pizza, no onions" lost the dish; it ends at the pause, as before."""
    assert ended(_spec("order_food"), {"dish": value}, lang)["dish"] == thing
