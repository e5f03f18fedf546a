"""Things named like people: a vocabulary of what the partners offer (``tandem.privacy.things``) makes a dish's or a
product's name no one's, and leaves every person's name in the same sentence a person's."""

from __future__ import annotations

import pytest

from tandem.privacy.things import Things
from tandem.router.wiring import egress_detector, fast_detector

MENU = Things(["Pizza Margherita", "Pizza Funghi", "Spaghetti Carbonara", "Margherita pizza", "Pizza Funghi",
                  "Spaghetti Bolognese", "Anna", "Paul Smith", "Kowalczyk"])
FAST = fast_detector("DE", MENU)
EGRESS = egress_detector(FAST)
NAMES = ("PERSON", "PROPER_NOUN")


def _names(detector: object, text: str, language: str) -> list[str]:
    return [f.text for f in detector.detect(text, language) if f.category in NAMES]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "language"), [
    ("Bestell mir eine Pizza Hawaii.", "de"),  # a kind of the menu ("Pizza") before a word a dictionary knows
    ("Zwei Pizza Salami bitte.", "de"),
    ("Ich hätte gern Spaghetti Carbonara.", "de"),  # a whole name of the menu
    ("Eine Pizza Margherita mit extra Käse, bitte.", "de"),
    ("Get me Spaghetti Carbonara please.", "en"),
    ("Order a Margherita pizza for me.", "en"),
    ("我要一份Spaghetti Carbonara。", "zh"),
    ("帮我点一份Pizza Hawaii。", "zh"),
])
def test_a_dish_of_the_menu_is_no_ones_name(text: str, language: str) -> None:
    """Before the vocabulary, each was a PERSON (the German two-capitals pattern, spaCy, the name lists) and the cloud
    got a placeholder for the dish."""
    assert _names(FAST, text, language) == []
    assert _names(EGRESS, text, language) == []


@pytest.mark.parametrize(("text", "language", "name"), [
    ("Bring Anna eine Pizza Hawaii.", "de", "Anna"),  # a person beside a thing stays a person
    ("Order a Pizza Hawaii for Anna.", "en", "Anna"),
    ("Ruf Anna an.", "de", "Anna"),  # a vocabulary entry that is a person's name alone makes no thing of it
    ("Paul Smith kommt morgen.", "de", "Paul Smith"),
    # a brand of one word may be a surname: the catalogue's "Kowalczyk" hid both (ca4b955)
    ("Herr Kowalczyk kommt.", "de", "Kowalczyk"),
    ("Please call Kowalczyk tomorrow.", "en", "Kowalczyk"),
    ("Bestell eine Pizza bei Kowalczyk Hausmann.", "de", "Kowalczyk"),  # unknown words beside no kind: a name
    ("Bitte Anna Spaghetti Bolognese und Pizza Funghi bringen.", "de", "Anna"),
])
def test_a_persons_name_beside_a_thing_stays_one(text: str, language: str, name: str) -> None:
    assert any(name in found for found in _names(FAST, text, language)), _names(FAST, text, language)


POULTRY = Things(["Ente süßsauer", "Ente knusprig", "Duck soup", "Roast duck", "Fisch Filet", "Fisch Suppe"])
FAST_POULTRY = fast_detector("DE", POULTRY)


@pytest.mark.parametrize(("text", "language", "name"), [
    ("Schreib Frau Ente, dass ich später komme.", "de", "Ente"),
    ("Ruf bitte Herrn Fisch an.", "de", "Fisch"),
    ("Remind me to call Mr Duck", "en", "Duck"),
])
def test_a_name_a_title_goes_with_stays_a_persons_whatever_the_menu_holds(text: str, language: str, name: str) -> None:
    """A menu's kind ("Ente", "Duck", "Fisch") is a surname too: after a title the name is a person's (review R21-2:
    ca4b955 dropped each of these, in the routing and the egress detector)."""
    for detector in (FAST_POULTRY, egress_detector(FAST_POULTRY)):
        assert any(name in found for found in _names(detector, text, language)), _names(detector, text, language)
    assert _names(FAST_POULTRY, "Bestell mir Ente knusprig.", "de") == []  # the dish itself is still no one's name


def test_an_unknown_word_after_a_kind_may_be_a_surname() -> None:
    """A kind ("Pizza") before a word no dictionary knows is no thing: the word may be a surname (fail closed)."""
    assert _names(EGRESS, "Die Pizza Kowalczyk kam nie an.", "de")


def test_without_a_vocabulary_nothing_changes() -> None:
    assert Things([]).spans("Bestell mir eine Pizza Hawaii.") == []
    assert _names(fast_detector("DE"), "Bestell mir eine Pizza Hawaii.", "de") == ["Pizza Hawaii"]


# A partner's manifest declares its things (``things``): any partner may, a hostile one too.
DECLARED = Things([], ["Spaghetti Arrabbiata", "Caffè Latte", "Latte Macchiato", "Anna", "Herr Müller",
                       "Anna Kowalczyk", "Anna-Lena Kowalczyk", "Mama Pizza", "Apple Watch", "Kowalczyk Torte",
                       "Kowalczyk Kuchen", "Frau Holle Torte", "Aarav Sharma", "Malte Pfeiffenberger",
                       "Kasimir Zebrowski Morgen", "Penne Arrabbiata"])
FAST_DECLARED = fast_detector("DE", DECLARED)


@pytest.mark.parametrize(("text", "language"), [
    ("Ich hätte gern Spaghetti Arrabbiata.", "de"),
    ("Einen Caffè Latte bitte.", "de"),
    ("Get me a Latte Macchiato please.", "en"),
])
def test_a_thing_a_partner_declares_is_no_ones_name(text: str, language: str) -> None:
    """Before the manifest's ``things``, a third party's dishes were a PERSON whatever it sold ("Caffè Latte")."""
    for detector in (FAST_DECLARED, egress_detector(FAST_DECLARED)):
        assert _names(detector, text, language) == [], _names(detector, text, language)


@pytest.mark.parametrize(("text", "language", "name"), [
    ("Ruf Anna an.", "de", "Anna"),  # a declared name of one word
    ("Sag Herr Müller Bescheid.", "de", "Müller"),  # a title
    ("Ruf Anna Kowalczyk morgen an.", "de", "Anna"),  # a given name: a person's before a dish's
    ("Termin mit Anna-Lena Kowalczyk am Montag.", "de", "Anna-Lena"),  # a given name joined to another
    ("Bring Mama Pizza mit.", "de", "Mama"),  # a kinship word
    ("Order me an Apple Watch please.", "en", "Apple"),  # Apple is a given name too: only a shipped catalogue may
    ("Bring Anna eine Spaghetti Arrabbiata.", "de", "Anna"),
    # given names no list holds (review R22-1): a declared name needs a word Tandem knows for a thing, and a finding
    # within it one too ("Morgen" is no part of the person's name)
    ("Please call Aarav Sharma tomorrow.", "en", "Aarav Sharma"),
    ("Please call Malte Pfeiffenberger tomorrow.", "en", "Malte Pfeiffenberger"),  # "malte" is a German verb form
    ("Ruf Kasimir Zebrowski morgen an.", "de", "Kasimir Zebrowski"),
    ("Ich hätte gern Penne Arrabbiata.", "de", "Penne Arrabbiata"),  # no word of it is known: masked (fail closed)
])
def test_a_partner_cannot_declare_a_persons_name_a_thing(text: str, language: str, name: str) -> None:
    """A hostile partner declaring "Anna", "Herr Müller", "Anna Kowalczyk" or "Aarav Sharma" a dish turns no one's
    name off: a declared name holding a given name, a frequent surname or a word for a person, or no noun Tandem knows,
    is not read, and a finding within a declared name is a thing's only if it holds such a noun (fail closed)."""
    for detector in (FAST_DECLARED, egress_detector(FAST_DECLARED)):
        assert any(name in found for found in _names(detector, text, language)), _names(detector, text, language)


def test_an_unknown_word_of_declared_names_makes_no_kind() -> None:
    """Declared "Kowalczyk Torte" and "Kowalczyk Kuchen" would make the surname a kind, and "Kowalczyk Morgen" a
    thing: a partner's names give kinds of dictionary words only."""
    assert "latte" in DECLARED.kinds and "kowalczyk" not in DECLARED.kinds, DECLARED.kinds
    assert _names(egress_detector(FAST_DECLARED), "Frag Kowalczyk Morgen.", "de") == ["Kowalczyk"]


def test_a_huge_declaration_is_read_once_and_fast() -> None:
    """2,000 names (the schema's most) cost no request its time: the vocabulary is built once."""
    many = Things([], [f"Torte Nummer{i} Spezial" for i in range(2000)])
    assert many.spans("Bestell mir Torte Nummer7 Spezial.") and many.spans("Ruf Anna an.") == []
