"""The detectors on realistic en/de/zh messages: every listed value is found, and plain text is left alone."""

from __future__ import annotations

import pytest

from tandem.errors import PolicyDenied
from tandem.privacy.detect import CompositeDetector, Finding, guess_language, merge_findings
from tandem.privacy.ner import LlmDetector, SpacyDetector
from tandem.privacy.patterns import PatternDetector
from tests.privacy.samples import SAMPLES

DETECTOR = CompositeDetector([PatternDetector(), SpacyDetector()])


@pytest.mark.parametrize(("language", "text", "values"), SAMPLES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SAMPLES)])
def test_every_value_is_found_with_its_category(language: str, text: str, values: dict[str, str]) -> None:
    assert guess_language(text) == language
    found = DETECTOR.detect(text, language)
    for value, category in values.items():
        start = text.index(value)
        hits = [f for f in found if f.start <= start and f.end >= start + len(value)]
        assert hits, f"{value!r} not found in {text!r}"
        assert hits[0].category == category, (value, hits[0])


@pytest.mark.parametrize(("language", "text"), [
    ("en", "What is the capital of France, and how many people live there?"),
    ("en", "Order 20230512 shipped on 2023-05-12; version 3.11.4 is required."),
    ("de", "Wie wird das Wetter morgen in Berlin? Bitte antworte kurz."),
    ("zh", "明天北京的天气怎么样？请用一句话回答。"),
])
def test_plain_questions_have_no_identifiers(language: str, text: str) -> None:
    assert [f for f in DETECTOR.detect(text, language) if f.replaceable] == []


def test_topics_are_found_but_not_replaceable() -> None:
    found = DETECTOR.detect("I was diagnosed with diabetes and my salary barely covers the insulin.", "en")
    topics = {f.category for f in found}
    assert {"HEALTH", "FINANCE"} <= topics
    assert not any(f.replaceable for f in found if f.category in ("HEALTH", "FINANCE"))


def test_unchecked_numbers_are_not_ids() -> None:
    text = "Card 4539 1488 0343 6468, Steuer-ID 47150389217, ID 440304198506123413."
    found = PatternDetector().detect(text, "en")
    assert not [f for f in found if f.category in ("CREDIT_CARD",)]
    assert "47150389217" not in {f.text for f in found if f.category == "ID_NUMBER" and f.score == 0.95}


def test_merge_prefers_identifiers_then_longer_spans() -> None:
    merged = merge_findings([Finding(0, 5, "HEALTH", "cance"), Finding(0, 12, "PERSON", "Cancer Smith"),
                             Finding(7, 12, "PERSON", "Smith")])
    assert [(f.category, f.text) for f in merged] == [("PERSON", "Cancer Smith")]


def test_llm_detector_only_reports_text_that_is_really_there() -> None:
    answers = iter(['{"names": ["Katrin Vogelsang", "Angela Merkel"], "addresses": ["Lindenallee 37"]}'])
    detector = LlmDetector(lambda prompt, schema: next(answers))
    text = "Schreiben Sie an Katrin Vogelsang, Lindenallee 37."
    found = detector.detect(text, "de")
    assert {(f.category, f.text) for f in found} == {("PERSON", "Katrin Vogelsang"), ("ADDRESS", "Lindenallee 37")}


def test_llm_detector_fails_closed_on_garbage() -> None:
    with pytest.raises(PolicyDenied):
        LlmDetector(lambda prompt, schema: "sorry, I cannot").detect("Herr Weber kommt.", "de")


def test_composite_fails_when_any_detector_fails() -> None:
    class Broken:
        def detect(self, text: str, language: str) -> list[Finding]:
            raise RuntimeError("model file missing")

    with pytest.raises(RuntimeError):
        CompositeDetector([PatternDetector(), Broken()]).detect("hi", "en")


def test_missing_spacy_model_is_a_policy_error() -> None:
    def missing() -> object:
        raise PolicyDenied("no spaCy English pipeline is installed")

    with pytest.raises(PolicyDenied):
        SpacyDetector(loader=missing).detect("Bobby Jackson called.", "en")


@pytest.mark.parametrize(("text", "language"), [
    # short German requests without the commonest words: read as English, their first word became a name
    ("Ruf mich unter (030) 1234567 an.", "de"), ("Bring mir bitte Brot mit.", "de"),
    # an English text with a German-looking word, and one with one German-only function word, stay English
    ("The man from Munich called.", "en"), ("I met Anna in Berlin yesterday, she was unter pressure.", "en"),
    # German without its function words, told by the words of its dictionary that English lacks
    ("Ruf mich an: 0151 2345678", "de"),
    ("Patientin Erich Buchholz, geboren 01.03.1944, wohnhaft Mühlering 94, 15518 Recklinghausen", "de"),
    ("Call me at 0151 2345678", "en"), ("Send it to Anna Weber", "en"),
])
def test_a_short_german_request_is_read_as_german(text: str, language: str) -> None:
    assert guess_language(text) == language
