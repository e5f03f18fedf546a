"""A request read in its language's written form (tandem.agent.spelling; language_words.toml ``spelling``): German
words typed without their umlauts, Chinese in traditional characters. Own sentences, none from a bench set."""

import pytest

from tandem.agent.repairs import taken_back
from tandem.agent.spelling import respelled


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
