"""One definition of a control character for every layer (tandem/text.py): what steers a display or ends a line is
a control; letters of any script, emoji and their joiners are text."""

from __future__ import annotations

import pytest

from tandem.text import has_controls, one_line, without_controls


@pytest.mark.parametrize("text", ["Berlin\nname = x", "a\tb", "\x1b[8m", "x\x00", "\x85", "9.99\u202e EUR",
                                  "a\u2066b", "a\u061cb", "a\u200fb", "a\u2028b",
                                  # hidden from a person, read by a model (review R14-6): tags spell "ignore"
                                  "ok\U000e0069\U000e0067\U000e006e", "a\u2060b", "a\u2064b", "\ufeffa"])
def test_each_display_control_counts(text: str) -> None:
    assert has_controls(text)


@pytest.mark.parametrize("text", ["Grüße 你好 مرحبا", "👩\u200d💻", "क्\u200dष", "Friedrichstraße 100"])
def test_text_of_any_script_is_no_control(text: str) -> None:
    assert not has_controls(text)


def test_a_kept_control_is_left() -> None:
    assert not has_controls("a\tb\nc", keep="\t\n") and has_controls("a\tb\rc", keep="\t\n")
    assert without_controls("a\x00b\nc", keep="\n") == "a b\nc"


def test_one_line() -> None:
    assert one_line("  FD-1\n[t-2] fake:\x1b[8m done\u2028\u202e ") == "FD-1 [t-2] fake: [8m done"
    assert one_line(12.5) == "12.5"


def test_a_chinese_run_is_read_by_its_two_character_pieces_and_other_words_whole() -> None:
    from tandem.text import pieces, unspaced

    assert pieces("门禁密码") == ["门禁", "禁密", "密码"] and pieces("会议") == ["会议"]
    assert pieces("Zahnarzttermin") == ["Zahnarzttermin"] and not unspaced("Zahnarzt") and unspaced("和Bob的会议")
