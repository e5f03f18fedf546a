"""The list-based name detectors, the egress safety net and the street grammar, on sentences written
for these tests (not taken from the evaluation sets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.errors import PolicyDenied
from tandem.privacy import dictionaries
from tandem.privacy.detect import Finding, merge_findings
from tandem.privacy.names import CaseBlind, NameDetector, ProperNounDetector
from tandem.privacy.patterns import PatternDetector

NAMES = NameDetector()
NET = CaseBlind(ProperNounDetector())


def texts(found: list[Finding], category: str) -> set[str]:
    return {f.text for f in found if f.category == category}


@pytest.mark.parametrize(("text", "names"), [
    ("Produced by:   Annelie K. Vaarakallio", {"Annelie K. Vaarakallio"}),
    ("Yesterday Gregor and Hortensia left early.", {"Gregor", "Hortensia"}),
    ("The partners are Lindqvist, Rogers and Reed.", {"Lindqvist", "Rogers", "Reed"}),
    ("please forward this to margaret oyelaran tomorrow", {"margaret oyelaran"}),
    ("Her surname? Castellanos", {"Castellanos"}),
    ("my friends call me bartholomew", {"bartholomew"}),
    ("DeShawn MiLLER signed the lease.", {"DeShawn MiLLER"}),
])
def test_names_without_context_are_found(text: str, names: set[str]) -> None:
    found = merge_findings(NAMES.detect(text, "en"))
    assert names <= texts(found, "PERSON"), found


@pytest.mark.parametrize("text", [
    "The reed bends in the wind, and the rose will bloom in May.",
    "Read the Entertainment Weekly review of Tube Snake Boogie.",
    "Translate this paragraph into English before Monday.",
    "Which river flows through Vienna and Budapest?",
])
def test_words_and_places_are_not_names(text: str) -> None:
    assert texts(NAMES.detect(text, "en"), "PERSON") == set()


def test_safety_net_takes_unknown_proper_nouns_only() -> None:
    text = "Ask Vaarakallio whether the Zorbulax invoice reached Vienna on Monday."
    assert texts(NET.detect(text, "en"), "PROPER_NOUN") == {"Vaarakallio", "Zorbulax"}
    german = "Bitte schick die Steuererklärungsunterlagen an Brenninkmeyer."
    assert texts(NET.detect(german, "de"), "PROPER_NOUN") == {"Brenninkmeyer"}


@pytest.mark.parametrize(("text", "address"), [
    ("Send it to:\n4821 Tammikatu 17 Apt. 3\nKuopio\n Finland 70100",
     "4821 Tammikatu 17 Apt. 3\nKuopio\n Finland 70100"),
    ("Office: Kossuth tér 12.\n Suite 9", "Kossuth tér 12.\n Suite 9"),
    ("We met at ul. Ogrodowa Zielona 41 yesterday.", "ul. Ogrodowa Zielona 41"),
    ("He lives at 5512 Pinecone Crossroad.", "5512 Pinecone Crossroad"),
    ("> 87 Hallgrímsgata 4\n> Apt. 12\n> Akureyri\n> Iceland 60022",
     "87 Hallgrímsgata 4\n> Apt. 12\n> Akureyri\n> Iceland 60022"),
])
def test_european_and_us_street_addresses(text: str, address: str) -> None:
    found = merge_findings(CaseBlind(PatternDetector(), keep=frozenset({"ADDRESS"})).detect(text, "en"))
    assert address in texts(found, "ADDRESS"), found


def test_lower_case_address_is_read_as_if_capitalised() -> None:
    blind = CaseBlind(PatternDetector(), keep=frozenset({"ADDRESS"}))
    found = blind.detect("drop it at 3390 birchwood coves.", "en")
    assert "3390 birchwood coves" in texts(found, "ADDRESS")


@pytest.mark.parametrize("text", ["During 2019 we sold 5 cars.", "You can reach us via her phone number 0616 7271291."])
def test_years_and_prose_are_not_addresses(text: str) -> None:
    assert texts(PatternDetector().detect(text, "en"), "ADDRESS") == set()


def test_overlapping_person_spans_unite() -> None:
    merged = merge_findings([Finding(0, 7, "PERSON", "Sari J."), Finding(5, 19, "PERSON", "J. Paavolainen")])
    assert [(f.start, f.end, f.text) for f in merged] == [(0, 19, "Sari J. Paavolainen")]


def test_missing_dictionary_fails_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(dictionaries.DICTIONARIES, "en", tmp_path / "missing")
    dictionaries.dictionary.cache_clear()
    try:
        with pytest.raises(PolicyDenied, match="dictionary"):
            NameDetector().detect("Ask Kevin.", "en")
    finally:
        dictionaries.dictionary.cache_clear()


def test_function_words_of_every_language_come_from_one_list() -> None:
    # spaCy's stop-word lists read in one place: the name detectors' English neighbours and the partner guard's
    # function words of all three languages (agent/overreach.py) are the same data
    words = dictionaries.stop_words("en", "de", "zh")
    assert {"will", "her", "nach", "und", "的"} <= words and not {"kevin", "müller", "张"} & words
    assert dictionaries.stop_words("en") < words


def test_a_german_first_name_standing_alone_is_flagged_before_a_cloud_call() -> None:
    # a census first name the German dictionary knows only as a name (no plural, no genitive of a noun)
    found = texts(NET.detect("Kannst du Waltraud sagen, dass wir später kommen?", "de"), "PROPER_NOUN")
    assert found == {"Waltraud"}
    # a noun that is also a first name has a plural (Rosen), so the sentence keeps its words
    assert NET.detect("Die Rose blüht im Garten, wir sehen uns im Mai.", "de") == []


def test_a_german_first_name_the_us_census_lacks_is_flagged_alone_too() -> None:
    # German-speaking countries' first names come from a list with a frequency per country (nam_dict.txt)
    for name in ("Rüdiger", "Hartmut", "Detlef", "Anke"):
        assert texts(NET.detect(f"Sag {name} bitte, dass der Termin morgen ausfällt.", "de"), "PROPER_NOUN") == {name}
    # the nouns of an ordinary sentence are no first names, however common the list's names are
    assert NET.detect("Der Zug nach Hamburg hatte gestern Verspätung, die Fahrgäste warteten am Bahnsteig.",
                      "de") == []


def test_a_first_name_the_us_census_lacks_is_flagged_alone_in_english_text() -> None:
    # the English dictionary knows Sven, Lars, Mehmet capitalised (a proper noun, as it knows places), the census
    # does not: a first name given in any of nam_dict's countries is a name
    for name in ("Sven", "Lars", "Mehmet", "Björn"):
        assert texts(NET.detect(f"Please ask {name} about the invoice tomorrow.", "en"), "PROPER_NOUN") == {name}
    # places and brands the dictionary knows capitalised stay
    assert NET.detect("We flew from Berlin to London and bought a Toyota.", "en") == []


def test_first_names_standing_alone_cost_no_more_than_other_words() -> None:
    # each first name rebuilt the union of the German dictionary's 237,000 words (15-50 ms a name; review R23)
    import time

    text = "Sag Mark und Jens Bescheid, die Rose blüht, und Waltraud kommt später. " * 8
    NET.detect("Sag Jens Bescheid.", "de")  # the lists load once
    started = time.process_time()
    NET.detect(text, "de")
    assert time.process_time() - started < 0.1


@pytest.mark.parametrize(("text", "name"), [
    ("My daughter Summer has the flu, so she stays home.", "Summer"),
    ("Her twins are called Ivy and Rusty and both have chickenpox.", "Ivy"),
    ("Please write to Amber about her pregnancy test.", "Amber"),
])
def test_a_first_name_that_is_a_word_is_replaced_before_a_cloud_call(text: str, name: str) -> None:
    """Review R16-4: a common first name that is also a common word, capitalised inside a sentence, went out."""
    from tandem.router.wiring import egress_detector, fast_detector

    found = egress_detector(fast_detector("DE")).detect(text, "en")
    assert any(name in f.text for f in found), found
