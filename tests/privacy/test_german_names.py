"""German names led by a first name are persons on every request, not only proper nouns before a cloud call: German
capitalises every noun, so a capital tells nothing, and the English NER model misses most names in German text. The
safety net replaced them at the egress as PROPER_NOUN, so routing and `tandem privacy scan` saw no person (most of
the German tune half's missed persons: bench/privacy.py --half tune, people-de)."""

from __future__ import annotations

import pytest

from tandem.router.wiring import fast_detector


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
