"""The detectors' fast paths (cue-word starts, street gates, lower-cased topic scan, set-based language
guess) must find exactly what the plain patterns find: speed may not cost recall."""

from __future__ import annotations

import re

import pytest

from tandem.privacy import patterns
from tandem.privacy.detect import guess_language
from tandem.privacy.patterns import WordGate, _matches, default_rules
from tandem.privacy.word_sets import topic_patterns
from tests.privacy.samples import SAMPLES

# Cue words inside other words, upper and mixed case, cues right at the start or end, overlapping cues.
TRICKY = [
    "Call me at 0171 2345678 or TELEPHONE +49 30 1234567; the hive at the telephone exchange is noisy.",
    "PHONE: (030) 1234567, Rufnummer 0221 4710832, Kartennummer 4539 1488 0343 6467, number 0170 1234567",
    "My name is John Smith. this is Anna Berg. ICH HEISSE Jo. Mein Name ist Katrin Vogelsang",
    "Dear Mrs. Okafor, Dr. Jane Doe and Prof. Karl Heinz wrote to Sir Alan. drdr Mr",
    "He lives at 12 Elm Street, Springfield. Adresse: Lindenallee 37, 50968 Köln. ship to 5 Rue de Rivoli 7",
    "Passport number X1234567, ID card: L01X00T47, Date of birth: 12.03.1984, born on March 3, 1986",
    "I was BORN 1990-02-03. Geburtsdatum 03.02.1990. dob 01/02/1990. callcall 555-123-4567",
    "card 4539148803436467 cc 4539 1488 0343 6467 Karte 4539-1488-0343-6467",
    "İstanbul: call 0212 555 1234",  # lower-cases to another length: the plain patterns run
]
TEXTS = [text for _, text, _ in SAMPLES] + TRICKY + [t.lower() for t in TRICKY] + [t.upper() for t in TRICKY]


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("index", [i for i, r in enumerate(default_rules()) if r.starts])
def test_cue_rules_match_exactly_where_the_plain_pattern_does(index: int) -> None:
    rule = default_rules()[index]
    for text in TEXTS:
        assert _spans(_matches(rule, text, text.lower())) == _spans(rule.pattern.finditer(text)), text


def test_cue_rules_find_something_in_the_tricky_texts() -> None:
    """The comparison above is not vacuous."""
    found = sum(len(_spans(_matches(r, t, t.lower()))) for r in default_rules() if r.starts for t in TRICKY)
    assert found >= 20


def test_topics_fast_scan_equals_the_case_insensitive_pattern() -> None:
    texts = [*TEXTS, "HIV test, an archive, Diagnosed with DIABETES; my Salary and a LOAN", "Hive chemotherapy"]
    for language, topics in topic_patterns().items():
        for text in texts:
            fast = list(topics.spans(text))
            plain = [(m.start(), m.end(), m.lastgroup) for m in topics.fallback.finditer(text)]
            assert fast == plain, (language, text)
    assert [c for _, _, c in topic_patterns()["en"].spans("HIV test, an archive, my Salary")] == ["HEALTH", "FINANCE"]


def test_word_gate_needs_the_street_word_right_before_the_anchor() -> None:
    numbers = re.compile(r"[ \t]+\d")
    suffix = WordGate(numbers, ("katu", "weg"), joined=True)
    word = WordGate(numbers, ("ul.", "gate"), joined=False)
    assert list(suffix.spans("Koskikatu 25, Hauptweg 3")) == [(5, 11), (19, 24)]
    assert list(suffix.spans("katu 25 and weg 3")) == []  # a suffix needs a name before it
    assert list(word.spans("ul. 5 or Vestre gate 232")) == [(0, 5), (16, 22)]
    assert list(word.spans("Stargate 5")) == []  # a street word stands apart


def test_language_guess() -> None:
    assert guess_language("Ich wohne in der Lindenallee und habe eine Frage") == "de"
    assert guess_language("ICH WOHNE IN DER LINDENALLEE UND HABE EINE FRAGE") == "de"
    assert guess_language("Undies, a diet of diesel and Sieben: words that only contain German ones") == "en"
    assert guess_language("请把发票寄到深圳市") == "zh"


# The patterns as first written (a lookbehind or \b first, tried at every position); the rules now start
# with a digit or a literal. Each must still have a rule with exactly its matches.
_UNIT = r"(?:(?:Apt|Apartment|Suite|Unit|Flat)\.?[ \t]*\w+[ \t]+)?"
PLAIN = [
    r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])",
    r"-?\d{1,2}\.\d{3,},\s*-?\d{1,3}\.\d{3,}",
    r"(?<![\d+-])\d(?:[ -]?\d){11,18}(?![\d-])",
    r"(?<!\d)\d{2} ?\d{3} ?\d{3} ?\d{3}(?!\d)",
    r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])",
    r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])",
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?\(\d{2,5}\)[\s.-]?\d{2,5}(?:[\s.-]\d{2,5}){0,2}(?!\d)",
    r"(?<![\w+-])(?:\+|00)?\d{1,3}[.-]\d{2,4}[.-]\d{3,4}(?:[.-]\d{2,4})?(?:\s?x\d{1,5})?(?![\w-])",
    r"(?<![\w.,-])" + _UNIT + r"(?!(?:19|20)\d\d\b)\d{2,6}[ \t]+[^\W\d_a-zß-ÿ][\w'’.-]*"
    r"(?:[ \t]+[^\W\d_a-zß-ÿ][\w'’.-]*){0,3}[ \t]+(?!(?:19|20)\d\d\b)\d{1,5}[a-zA-Z]?\b\.?(?=[ \t]*(?:\n|$|,))"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*\w+)?",
    r"\b" + _UNIT + r"\d{1,6}[A-Za-z]?(?:[ \t]+\d{1,6})?\s+(?:[A-Z0-9][\w'.&-]*\s+){0,4}?(?:" + patterns._STREET_EN
    + r")\b\.?" + patterns._UNIT + patterns._CITY_TAIL,
]
NUMBERS = [*TEXTS, "ID 110101199003074518 and 11010119900307451X, card 4539 1488 0343 6467, +1-4539-1488",
           "Steuer-ID 47 150 389 216 or 47150389216; SSN 512-44-9821 / 1512-44-9821; IP 10.0.0.255 v 1.2.3.4.5",
           "call +49 (30) 1234567, (030) 123 4567, 030.123.4567 x12, 0049.30.123.4567, 1.555.123.4567",
           "Unit 5 12 Allika 46\nApt 3 1999 Foo 12\n91215 Allika 46, 2019 Main 5\n12 Long Road 7",
           "Suite 4 221B Baker Street, London; x12 Elm St; 5 2 Old Mill Lane, Springfield, IL 62704",
           "at 52.5200, 13.4050 or -33.8688,-151.2093 and 1-2.3456, 7.8901"]


@pytest.mark.parametrize("plain", PLAIN)
def test_digit_first_rules_match_exactly_like_the_plain_patterns(plain: str) -> None:
    expected = [_spans(re.finditer(plain, text)) for text in NUMBERS]
    assert any(expected), "the texts exercise the pattern"
    assert any([_spans(r.pattern.finditer(text)) for text in NUMBERS] == expected for r in default_rules())


def test_digit_counts_never_skip_a_finding() -> None:
    """A rule is skipped when the text has no number with ``rule.digits`` digits; every finding it makes
    must lie in such a number."""
    checked = 0
    for rule in default_rules():
        for text in NUMBERS:
            for match in rule.pattern.finditer(text):
                value = match.group(rule.group).rstrip(" \t\n,.")
                if value and (rule.check is None or rule.check(value)):
                    assert patterns._longest_number(value) >= rule.digits, (value, rule.pattern.pattern)
                    checked += rule.digits >= 4
    assert checked >= 10
