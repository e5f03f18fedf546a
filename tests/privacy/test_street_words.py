"""The street words of European languages are data (tandem/privacy/street_words.toml), and each one read there opens
or closes an address the pattern detector finds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import tandem.privacy
from tandem.privacy.patterns import PatternDetector

WORDS = tomllib.loads((Path(tandem.privacy.__file__).parent / "street_words.toml").read_text(encoding="utf-8"))
DETECTOR = PatternDetector()


def _addresses(text: str, language: str) -> list[str]:
    return [f.text for f in DETECTOR.detect(text, language) if f.category == "ADDRESS"]


@pytest.mark.parametrize("word", WORDS["eu"]["joined"])
def test_a_street_word_joined_to_its_name(word: str) -> None:
    assert any("12" in a for a in _addresses(f"Bitte liefern an Linden{word} 12, danke.", "de"))


@pytest.mark.parametrize("word", WORDS["eu"]["apart"])
def test_a_street_word_apart_from_its_name(word: str) -> None:
    assert any("Kowalski" in a for a in _addresses(f"Please deliver to Kowalski {word} 12 tomorrow.", "en"))


@pytest.mark.parametrize("word", WORDS["eu"]["only_streets"])
def test_a_street_word_no_english_word_is_after_a_house_number(word: str) -> None:
    assert any("charpentier" in a for a in _addresses(f"Deliver to 6 {word} gustave charpentier today.", "en"))


def test_the_words_are_lower_case_and_one_word_each() -> None:
    for table in WORDS.values():
        for words in table.values():
            assert words and all(w == w.lower() and " " not in w for w in words), words
