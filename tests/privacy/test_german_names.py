"""German names led by a first name are persons on every request, not only proper nouns before a cloud call: German
capitalises every noun, so a capital tells nothing, and the English NER model misses most names in German text. The
safety net replaced them at the egress as PROPER_NOUN, so routing and `tandem privacy scan` saw no person (most of
the German tune half's missed persons: bench/privacy.py --half tune, people-de)."""

from __future__ import annotations

import pytest

from tandem.privacy.names import NameDetector
from tandem.router.wiring import egress_detector, fast_detector


@pytest.fixture(scope="module")
def persons() -> object:
    fast = fast_detector("DE")

    def find(text: str) -> list[str]:
        return [f.text for f in fast.detect(text, "de") if f.category == "PERSON"]

    return find


@pytest.mark.parametrize(("text", "name"), [
    ("Torsten Wiegand wohnt seit Mai in Kiel.", "Torsten Wiegand"),
    ("Gerlinde Wübbena ruft morgen an.", "Gerlinde Wübbena"),
    ("Helmut Quast und Svetlana Bräutigam kommen beide zum Essen.", "Helmut Quast"),
])
def test_a_first_name_and_the_capitalised_words_beside_it_are_a_person(persons: object, text: str, name: str) -> None:
    found = persons(text)  # type: ignore[operator]
    assert any(name in f for f in found), found


@pytest.mark.parametrize("text", [
    "Die Rose blüht im Garten.",
    "Am Montag fährt der Bus nach Kiel.",
    "Bitte schick mir die Rechnung bis Freitag.",
])
def test_nouns_without_a_first_name_are_no_person(persons: object, text: str) -> None:
    found = persons(text)  # type: ignore[operator]
    assert found == [], found


@pytest.mark.parametrize("text", [
    "Die Oma kommt morgen.",  # "Oma", "Bambi": census names German knows as words, not German names
    "Wir schauen heute Abend Bambi.",
    "Ich bestelle Tapas und einen Salat.",  # a first name of other countries alone, a word German took from theirs
])
def test_words_that_other_countries_give_as_names_are_no_person(persons: object, text: str) -> None:
    found = persons(text)  # type: ignore[operator]
    assert found == [], found


@pytest.mark.parametrize(("text", "name"), [
    ("Ruf Oma Erna an.", "Erna"),
    ("Hallo Leopold, wie geht es dir?", "Leopold"),  # a German name the dictionary knows as a word too
    ("Mehmet Yilmaz kommt um acht.", "Mehmet Yilmaz"),  # a name of another country with the surname beside it
    ("Anne-Kathrin van der Dussen ruft an.", "Anne-Kathrin van der Dussen"),
])
def test_a_name_is_one_finding_of_the_name_detector(text: str, name: str) -> None:
    found = [f.text for f in NameDetector().detect(text, "de")]
    assert found == [name], found


@pytest.mark.parametrize(("text", "number"), [
    ("Ich habe Herrn Geißler um +49(0) 324443277 erreicht.", "+49(0) 324443277"),
    ("Rückfragen bitte an +49(0)0782389884.", "+49(0)0782389884"),
    ("Bitte 03213566301 anrufen.", "03213566301"),
    ("Meine Nummer ist +49 (0)30 12345678.", "+49 (0)30 12345678"),
])
def test_a_german_phone_number_is_a_phone_before_a_cloud_call(text: str, number: str) -> None:
    found = [(f.category, f.text) for f in egress_detector(fast_detector("DE")).detect(text, "de")
             if f.category in ("PHONE", "ID_NUMBER")]
    assert found == [("PHONE", number)], found
