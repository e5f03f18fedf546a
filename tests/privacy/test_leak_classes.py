"""Leak classes found on the tune half of ``bench/privacy.py``, each tested on values written here (none
from the benchmark sets): what the egress path sends must hold no piece of the personal value."""

from __future__ import annotations

import re

import pytest

from tandem.privacy.detect import Finding
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


def pieces(value: str) -> list[str]:
    """Every word of 2+ letters and every number of 2+ digits of a value."""
    return re.findall(r"[^\W\d_]{2,}|\d{2,}", value)


def assert_gone(text: str, *values: str) -> None:
    out = sent(text)
    for value in values:
        left = [p for p in pieces(value) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", out)]
        assert not left, f"{left} of {value!r} left in {out!r}"


@pytest.mark.parametrize(("text", "address"), [
    # a Queens-style or ranged house number that one rule takes whole and a surer rule only in part
    ("Meet me at 88-12 Astoria Boulevard tonight.", "88-12 Astoria Boulevard"),
    ("The shop is at 41 - 45 Kings Road, near the station.", "41 - 45 Kings Road"),
    # a unit after a hash
    ("Her practice is at 4120 Maple Ridge Road #312.", "4120 Maple Ridge Road #312"),
    ("Send it to 77 Orchard Lane # C14, please.", "77 Orchard Lane # C14"),
    # the places up to a postcode that close the address
    ("It is at 9 Lakeview Street, Springfield, Illinois 62704, United States.",
     "9 Lakeview Street, Springfield, Illinois 62704"),
    ("Ship it to 3310 Kauppakatu 12, Oulu, Finland 90100 by Friday.", "3310 Kauppakatu 12, Oulu, Finland 90100"),
    # a German street word standing apart from its adjective name
    ("The office is on Grazer Strasse 12 now.", "Grazer Strasse 12"),
])
def test_every_number_of_an_address_is_replaced(text: str, address: str) -> None:
    assert_gone(text, address)


def test_a_second_number_behind_a_found_one_is_replaced() -> None:
    # The phone rule takes the first number; the fail-closed digit run covers both. What the first
    # leaves of the run is still a number and must not leave in clear.
    assert_gone("电话是021-55667788 63218890。", "021-55667788 63218890")


class _Scripted:
    """A detector that reports a fixed span: what is tested is the vault, not a detector's judgement."""

    def __init__(self, start: int, end: int, category: str) -> None:
        self.span = (start, end, category)

    def detect(self, text: str, language: str) -> list[Finding]:
        start, end, category = self.span
        return [Finding(start, end, category, text[start:end])]


def test_a_finding_that_ends_inside_a_number_replaces_the_whole_number() -> None:
    text = "Ruf 030-71234567 an."
    request = ChatRequest(messages=(Message("user", text),))
    analysis = analyse(request, _Scripted(4, 9, "PHONE"))  # "030-7": ends inside "71234567"
    out = redact(request, analysis, Vault()).request.messages[0].content or ""
    assert "71234567" not in out and "030" not in out


@pytest.mark.parametrize(("text", "names"), [
    # the dictionary knows one half as a word or a name, and spaCy's English model misses the pair
    ("Hannelore Wenk und Uwe Sommer kommen morgen.", ("Hannelore Wenk", "Uwe Sommer")),
    ("Sieglinde Hahn und Rolf Kurz sind da.", ("Sieglinde Hahn", "Rolf Kurz")),
    ("Gudrun Pfeifer und Torsten Kranz kommen morgen zur Probe.", ("Gudrun Pfeifer", "Torsten Kranz")),
    ("Der Hausarzt Detlef Ranke hat angerufen.", ("Detlef Ranke",)),
])
def test_german_first_and_last_names_without_a_cue_are_replaced(text: str, names: tuple[str, ...]) -> None:
    assert_gone(text, *names)


@pytest.mark.parametrize("text", [
    "Gestern Abend war der Kollege noch im Büro.",
    "Die Kinder spielen im Garten, Montag Morgen geht es weiter.",
    "Bitte schicken Sie die Unterlagen an die Firma.",
])
def test_german_nouns_side_by_side_stay(text: str) -> None:
    assert sent(text) == text


@pytest.mark.parametrize(("text", "names"), [
    ("Please send 300 dollars to marcus tomorrow.", ("marcus",)),
    ("You are booked with Sandoval gwendolyn at 3 pm.", ("Sandoval gwendolyn",)),
])
def test_names_typed_in_lower_case_in_a_cased_text_are_replaced(text: str, names: tuple[str, ...]) -> None:
    assert_gone(text, *names)


def test_common_words_that_are_also_first_names_stay_in_lower_case() -> None:
    text = "I will bill you in May and mark the date."
    assert sent(text) == text


@pytest.mark.parametrize(("text", "address"), [
    # the house number before the street word, the French and Spanish way
    ("You will find the shop at 14 Rue Jean Moulin, 69003. Enjoy!", "14 Rue Jean Moulin, 69003"),
    ("La tienda está en 27 Calle Mayor.", "27 Calle Mayor"),
    # a Canadian postcode closes the address
    ("The hotel is at 88 Larchmere Drive, Scarborough, Ontario M1K 2R4, Canada.",
     "88 Larchmere Drive, Scarborough, Ontario M1K 2R4"),
])
def test_addresses_written_the_european_or_canadian_way_are_replaced(text: str, address: str) -> None:
    assert_gone(text, address)


def test_an_area_code_in_brackets_goes_with_its_number() -> None:
    assert_gone("Ich habe sie um (04521) 778812 erreicht.", "(04521) 778812")
