"""The check before a cloud call reads a bounded amount of text (review24's N24-1: a request near the 1,000,000
characters of a JSON reading cost minutes of detector time): more new text than ``structured.MAX_CHARS`` is refused
before any detector reads it, and what a detector remembers costs nothing. The walks that grew with the square of a
text's findings (merging them, asking which names stand beside a word) look findings up instead; they find the same."""

from __future__ import annotations

import random
import re

import pytest

from tandem.privacy import structured
from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.detect import CompositeDetector, Finding, Remembered, _uncovered, _unite, merge_findings
from tandem.privacy.ner import _BESIDE, _Spans
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.pseudonymize import analyse
from tandem.privacy.structured import MAX_CHARS, TooLarge
from tandem.types import ChatRequest, Message


class Reading:
    """The pattern detector (real), counting the characters it is given to read."""

    def __init__(self) -> None:
        self.inner, self.read = PatternDetector(regions=("DE",)), 0

    def detect(self, text: str, language: str) -> list[Finding]:
        self.read += len(text)
        return self.inner.detect(text, language)


def _turns(*texts: str) -> ChatRequest:
    return ChatRequest(messages=tuple(Message("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)))


def test_more_text_than_the_bound_is_refused_before_any_detector_reads_it() -> None:
    detector = Reading()
    line = "Bitte ruf Anna unter 0171 2345678 an. "
    with pytest.raises(TooLarge, match="too large for the privacy check; nothing of it is sent"):
        analyse(_turns(line * (MAX_CHARS // len(line) + 1)), detector)
    assert detector.read == 0


def test_text_checked_before_costs_nothing_against_the_bound() -> None:
    # a conversation sends its earlier turns again each turn; only the new one is read
    first = "Anna Meier erreichst du unter 0171 2345678. " * (MAX_CHARS * 2 // 3 // 44)
    second = "Jonas Weber hat die Nummer 030 12345678. " * (MAX_CHARS * 2 // 3 // 41)
    remembering = Remembered(Reading())
    analyse(_turns(first), remembering)
    assert "PHONE" in analyse(_turns(first, "Gern.", second), remembering).categories
    with pytest.raises(TooLarge):
        analyse(_turns(first, "Gern.", second), Remembered(Reading()))


def _merged_by_walking(findings: list[Finding]) -> list[Finding]:
    """``merge_findings`` as it was: every finding against every one kept before it."""
    ranked = sorted(_unite(findings), key=lambda f: (not f.replaceable, -f.score, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in ranked:
        kept.extend(_uncovered(finding, kept))
    return sorted(kept, key=lambda f: f.start)


def test_merging_by_lookup_keeps_what_the_walk_kept() -> None:
    rng = random.Random(7)
    text = "Anna Meier 0171 2345 67 wohnt Hauptstr 5 und J. Smith 12 34 56 S Bouts" * 2
    for _ in range(3000):
        findings = []
        for _ in range(rng.randint(0, 9)):
            start = rng.randint(0, len(text))
            end = rng.randint(start, min(len(text), start + 30))
            findings.append(Finding(start, end, rng.choice(["PERSON", "PROPER_NOUN", "PHONE", "ADDRESS", "HEALTH"]),
                                    text[start:end], rng.choice([0.4, 0.6, 0.75]), "test"))
        assert merge_findings(findings) == _merged_by_walking(findings), findings


def test_names_beside_a_word_by_lookup_are_those_the_walk_found() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice("ab AB.\t S") for _ in range(rng.randint(1, 20)))
        names = [(s, rng.randint(s, len(text))) for s in (rng.randint(0, len(text)) for _ in range(rng.randint(0, 4)))]
        spans = _Spans(names)
        for start in range(len(text)):
            for end in range(start, len(text) + 1):
                assert spans.cover(start, end) == any(s <= start and end <= e for s, e in names)
                assert spans.beside(text, start, end) == any(
                    re.fullmatch(_BESIDE, text[e:start]) or re.fullmatch(_BESIDE, text[end:s]) for s, e in names)


_SAID_OF_HIM = "张伟说他下周去上海出差，他的同事会陪他一起去，酒店在浦东新区世纪大道。"


def _zh(turn: int, size: int) -> str:
    return f"第{turn}条：" + (_SAID_OF_HIM * (size // len(_SAID_OF_HIM) + 1))[:size]


def test_reading_again_more_than_the_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # a long conversation: every earlier turn remembered, but the words of the oldest segmented so long ago
    # that they are no longer kept; the pass again would segment them all anew for the person they name
    monkeypatch.setattr(structured, "MAX_CHARS", 3000)
    chinese = ChineseDetector()
    detector = Remembered(CompositeDetector([chinese]))
    earlier = [_zh(turn, 1200) for turn in range(3)]
    for text in earlier:  # each turn sent alone: nothing read again yet
        analyse(_turns(text), detector)
    chinese._cut.forget()
    with pytest.raises(TooLarge, match="to read again for the persons it names"):
        analyse(_turns(*earlier, "张伟明天几点到？"), detector)


def test_the_next_turn_naming_the_same_persons_reads_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structured, "MAX_CHARS", 3000)
    chinese = ChineseDetector()
    detector = Remembered(CompositeDetector([chinese]))
    earlier = [_zh(turn, 1200) for turn in range(3)]
    for turn in range(len(earlier)):  # each turn sent with the conversation before it
        analyse(_turns(*earlier[:turn + 1]), detector)
    chinese._cut.forget()  # where each text names again the names sought in it is remembered
    segment, segmented = chinese._segment, []
    monkeypatch.setattr(chinese, "_segment", lambda text: (segmented.append(text), segment(text))[1])
    assert "PERSON" in analyse(_turns(*earlier, "张伟几点到？"), detector).categories
    assert segmented == ["张伟几点到？"]  # the new turn only


def test_a_stretch_in_another_script_said_again_is_read_once_and_found_at_each_place() -> None:
    class Counting:
        def __init__(self) -> None:
            self.inner, self.texts = PatternDetector(regions=("CN",)), list[str]()

        def detect(self, text: str, language: str) -> list[Finding]:
            self.texts.append(text)
            return self.inner.detect(text, language)

    counting = Counting()
    text = "请发到anna.weber@example.com，抄送anna.weber@example.com，谢谢"
    found = CompositeDetector([counting]).detect(text, "zh")
    assert counting.texts.count("anna.weber@example.com") == 1
    assert [text[f.start:f.end] for f in found if f.category == "EMAIL"] == ["anna.weber@example.com"] * 2
