"""A conversation is checked once per message, not once per turn; a failed check is never remembered."""

from __future__ import annotations

import pytest

from tandem.privacy.detect import Finding, Remembered
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.pseudonymize import analyse
from tandem.types import ChatRequest, Message


class Counting:
    """A real detector that counts the texts it was asked about."""

    def __init__(self) -> None:
        self.inner, self.texts = PatternDetector(), []

    def detect(self, text: str, language: str) -> list[Finding]:
        self.texts.append(text)
        return self.inner.detect(text, language)


def test_each_message_of_a_growing_conversation_is_checked_once() -> None:
    counting = Counting()
    remembered = Remembered(counting)
    turns = ["Mail me at ines.kovac@example.org please.", "Sure, noted.", "Call +49 30 901820 tomorrow.",
             "Will do.", "And my IBAN is DE89 3704 0044 0532 0130 00."]
    for n in range(1, len(turns) + 1):
        request = ChatRequest(messages=tuple(Message("user" if i % 2 == 0 else "assistant", t)
                                             for i, t in enumerate(turns[:n])))
        fresh = analyse(request, PatternDetector())
        assert analyse(request, remembered).findings == fresh.findings
    assert sorted(counting.texts) == sorted(turns)


class FailsOnce:
    def __init__(self) -> None:
        self.calls = 0

    def detect(self, text: str, language: str) -> list[Finding]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("model not loaded")
        return [Finding(0, 4, "PERSON", text[:4])]


def test_a_failed_check_raises_and_is_run_again() -> None:
    flaky = FailsOnce()
    remembered = Remembered(flaky)
    with pytest.raises(RuntimeError):
        remembered.detect("Anna is here", "en")
    assert [f.text for f in remembered.detect("Anna is here", "en")] == ["Anna"]
    assert flaky.calls == 2


def test_only_the_last_texts_are_kept() -> None:
    counting = Counting()
    remembered = Remembered(counting, size=2)
    for text in ("one", "two", "three", "one"):
        remembered.detect(text, "en")
    assert counting.texts == ["one", "two", "three", "one"]
