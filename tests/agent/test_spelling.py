"""A request read in its language's written form (tandem.agent.spelling; language_words.toml ``spelling``): German
words typed without their umlauts, Chinese in traditional characters. Own sentences, none from a bench set."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from tandem.agent.repairs import taken_back
from tandem.agent.spelling import respelled

if TYPE_CHECKING:
    from tandem.agent.intents import IntentSpec


@pytest.mark.parametrize(("typed", "read"), [
    ("ich moechte zwei Pizzen ins Buero", "ich möchte zwei Pizzen ins Büro"),
    ("eine Karte fur Dune", "eine Karte für Dune"),
    ("drei Karten fuer Hamlet naechsten Samstag", "drei Karten für Hamlet nächsten Samstag"),
    ("ich will mein Geld zurueck", "ich will mein Geld zurück"),
    ("haettest du Zeit, Notizen ueber den Umzug zu zeigen", "hättest du Zeit, Notizen über den Umzug zu zeigen"),
    ("Koenntest du den Termin loeschen", "Könntest du den Termin löschen"),
    ("was kostet das ungefaehr", "was kostet das ungefähr"),
    ("wuerdest du mir was Guenstiges suchen", "würdest du mir was Guenstiges suchen"),  # "günstiges" is not listed
    ("zeig mir den Fussweg zum Bahnhof", "zeig mir den Fußweg zum Bahnhof"),
    ("Uebermorgen frueh um acht", "Übermorgen früh um acht"),
])
def test_german_typed_without_umlauts(typed: str, read: str) -> None:
    assert respelled(typed, "de") == read


@pytest.mark.parametrize("typed", [
    "ich mochte den Film sehr",  # a word of its own ("mochte": liked)
    "er hatte keine Zeit",
    "das wurde gestern geliefert",
    "bestell drei Doener und Kaesespaetzle",  # dishes are kept as typed
    "Karten für Goethe und Mueller",  # names too
    "Uber nach Hause",  # a one-letter stand-in only in lower case
    "ich konnte nicht kommen",
    "das ist schon bestellt",
    "notiere: andere Batterien kaufen",  # review26 R26-6, reread26 M4: words of their own with "a" or "o" for ä, ö
    "ich brauchte gestern zwei Karten für Dune",
    "du mochtest doch Sushi vom Italiener, oder?",
    "du wurdest gestern angerufen",
    "bestell mir eine andere Pizza ins Büro",
])
def test_german_words_of_their_own_stay(typed: str) -> None:
    assert respelled(typed, "de") == typed


def test_english_is_read_as_typed() -> None:
    assert respelled("order a pizza for Mr Mueller fur real", "en") == "order a pizza for Mr Mueller fur real"


def test_traditional_chinese_is_read_simplified() -> None:
    pytest.importorskip("opencc")
    assert respelled("幫我訂一張今晚八點的電影票", "zh") == "帮我订一张今晚八点的电影票"
    assert respelled("請幫我買一張瑜伽墊寄到辦公室", "zh") == "请帮我买一张瑜伽垫寄到办公室"
    assert respelled("帮我买两张票", "zh") == "帮我买两张票"


def test_read_before_repairs() -> None:
    assert taken_back("ich moechte zwei nein drei Pizzen", "de") == "ich möchte drei Pizzen"


def test_values_are_given_back_as_typed() -> None:
    pytest.importorskip("opencc")
    from tandem.agent.spelling import typed_back

    typed = "請幫我買一張瑜伽墊寄到辦公室"
    read = respelled(typed, "zh")
    assert typed_back({"item": "瑜伽垫", "count": 1, "place": "office"}, read, typed) == \
        {"item": "瑜伽墊", "count": 1, "place": "office"}
    assert typed_back({"item": "瑜伽垫"}, "瑜伽垫", "瑜伽垫") == {"item": "瑜伽垫"}  # nothing respelled


def test_german_values_are_given_back_as_typed() -> None:
    from tandem.agent.spelling import typed_back

    typed = "notiere: aendere das Passwort fuer Tom"
    read = respelled(typed, "de")
    assert read == "notiere: ändere das Passwort für Tom"
    assert typed_back({"text": "ändere das Passwort für Tom"}, read, typed) == {"text": "aendere das Passwort fuer Tom"}


def _shipped() -> dict[str, IntentSpec]:
    from tandem.agent.capabilities import shipped

    return {s.name: s for s in shipped()}


def test_the_users_own_words_are_the_text_of_a_tool_that_writes_and_looks_nothing_up() -> None:
    specs = _shipped()
    assert specs["take_note"].own_text == {"text"}
    assert specs["set_reminder"].own_text == {"todo"}
    assert specs["add_calendar_event"].own_text == {"title", "location"}
    assert specs["order_food"].own_text == frozenset()  # its steps declare no arguments: the dish is looked up
    assert specs["buy_movie_tickets"].own_text == frozenset()
    assert specs["buy_product"].own_text == frozenset()  # search_products takes {item}
    assert specs["cancel_calendar_event"].own_text == frozenset()  # list_events takes {event}
    assert specs["show_notes"].own_text == frozenset()  # a search only reads: its words are looked up
    assert replace(specs["take_note"], writes=False).own_text == frozenset()


@pytest.mark.parametrize(("name", "typed", "read", "given"), [
    ("take_note", "記一下：乾隆皇帝的書在書房", {"text": "乾隆皇帝的书在书房"}, {"text": "乾隆皇帝的書在書房"}),
    ("set_reminder", "提醒我明天下午三點去郵局寄書", {"todo": "去邮局寄书", "when": "2026-12-08T15:00"},
     {"todo": "去郵局寄書", "when": "2026-12-08T15:00"}),
    ("add_calendar_event", "週五晚上七點和陳老師吃飯，在圖書館門口見",
     {"title": "和陈老师吃饭", "location": "图书馆门口"},
     {"title": "和陳老師吃飯", "location": "圖書館門口"}),
    ("order_food", "幫我點兩份餃子送到辦公室", {"count": 2, "dish": "饺子", "place": "office"},
     {"count": 2, "dish": "饺子", "place": "office"}),  # the partner's menu is simplified
    ("buy_product", "幫我買一個電熱水壺", {"count": 1, "item": "电热水壶"}, {"count": 1, "item": "电热水壶"}),
    ("buy_movie_tickets", "幫我訂一張《奧本海默》電影票", {"count": 1, "film": "奥本海默"},
     {"count": 1, "film": "奥本海默"}),
    ("cancel_calendar_event", "取消明天的鋼琴課", {"event": "钢琴课"}, {"event": "钢琴课"}),
    ("show_notes", "找一下關於書房的筆記", {"topic": "书房"}, {"topic": "书房"}),
])
def test_only_the_users_own_words_are_given_back_as_typed(name: str, typed: str, read: dict[str, object],
                                                            given: dict[str, object]) -> None:
    pytest.importorskip("opencc")
    from tandem.agent.clauses import Intent
    from tandem.agent.spelling import as_typed

    specs = _shipped().values()
    (back,) = as_typed((Intent(name, read, typed),), specs, typed, "zh")
    assert back.slots == given


def test_german_own_words_are_given_back_as_typed_and_nothing_else() -> None:
    from tandem.agent.clauses import Intent
    from tandem.agent.spelling import as_typed

    specs = _shipped().values()
    typed = "notiere: aendere das Passwort fuer Tom"
    (note,) = as_typed((Intent("take_note", {"text": "ändere das Passwort für Tom"}, typed),), specs, typed, "de")
    assert note.slots == {"text": "aendere das Passwort fuer Tom"}
    typed = "kauf mir eine Tasche fuer das Buero"
    (bought,) = as_typed((Intent("buy_product", {"item": "Tasche für das Büro"}, typed),), specs, typed, "de")
    assert bought.slots == {"item": "Tasche für das Büro"}
    typed = "notiere: Milch kaufen"  # nothing respelled: as read
    intents = (Intent("take_note", {"text": "Milch kaufen"}, typed),)
    assert as_typed(intents, specs, typed, "de") == intents
