"""The readings added in session 33 on a text of 100,000 characters: one sentence said again and again is read in one
pass, and every time (review32 R32-15: a code's check read the whole text before it, quadratic in the codes said).
The result is asserted, not the seconds; ``bench/pii_repeats.py`` prints the seconds beside another checkout's."""

from __future__ import annotations

import pytest

from tandem.privacy.failclosed import DigitRuns
from tandem.privacy.names import NameDetector, ProperNounDetector
from tandem.privacy.secrets import secret_values

CHARS = 100_000


def _repeated(sentence: str) -> tuple[str, int]:
    times = CHARS // len(sentence)
    return sentence * times, times


@pytest.mark.parametrize(("sentence", "value"), [
    ("my password is sunflower in case you need it. ", "sunflower"),
    ("my password is zxcvbnm in case you forget. ", "zxcvbnm"),
    ("my password is correct horse battery staple. ", "correct horse battery staple"),
    ("my PIN number is 4711. ", "4711"), ("mein Passwort ist Xkcdqwerty falls du es brauchst. ", "Xkcdqwerty")])
def test_secrets_said_again_and_again_are_each_found(sentence: str, value: str) -> None:
    text, times = _repeated(sentence)
    assert [f.text for f in secret_values(text)] == [value] * times


@pytest.mark.parametrize(("sentence", "names"), [
    ("Will, Can and May are coming. ", ["Will", "Can", "May"]), ("I'm May. ", ["May"]),
    ("Sorry Can I'm late. ", ["Can"])])
def test_names_said_again_and_again_are_each_found(sentence: str, names: list[str]) -> None:
    text, times = _repeated(sentence)
    assert [f.text for f in ProperNounDetector().detect(text, "en")] == names * times


@pytest.mark.parametrize(("sentence", "numbers"), [("call 0151, 2345 ,6789 ", 1), ("call 0151 : 2345:6789 ", 1)])
def test_numbers_said_again_and_again_are_each_found(sentence: str, numbers: int) -> None:
    text, times = _repeated(sentence)
    found = DigitRuns().detect(text, "en")
    assert len(found) == numbers * times and all("0151" in f.text and "6789" in f.text for f in found)


def test_groups_joined_by_the_same_glued_signs_are_one_number_however_long() -> None:
    text = "call " + "0151 += 2345 += " * (CHARS // 16) + "6789"
    assert [(f.start, f.end) for f in DigitRuns().detect(text, "en")] == [(5, len(text))]


def test_names_listed_again_and_again_are_each_found() -> None:
    # a name listed beside another looked for a finding around it among all found so far, and for an article in the
    # whole text before it: 'Can & Mark ' to 50,000 characters took 19 s at 2d5bb64 (bench/pii_repeats.py)
    text, _ = _repeated("Can & Mark ")
    covered = {i for f in NameDetector().detect(text, "en") for i in range(f.start, f.end)}
    # every name but the text's first word (no list before it yet)
    assert [i for i in range(0, len(text), 11) for i in (i, i + 6) if i not in covered] == [0]
