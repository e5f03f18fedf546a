"""What a terminal shows is what the text says: every character that steers the display is written as an escape
(review R10: the Arabic letter mark U+061C, the third implicit directional mark beside LRM and RLM, went through)."""

from __future__ import annotations

import pytest

from tandem.cli.terminal import visible


@pytest.mark.parametrize(("text", "shown"), [
    ("a\u061cb", "a\\u061cb"), ("a\u200eb\u200fc", "a\\u200eb\\u200fc"), ("9.99\u202e EUR", "9.99\\u202e EUR"),
    ("x\u2066y\u2069", "x\\u2066y\\u2069"), ("\x1b[8mhidden", "\\x1b[8mhidden"), ("line\rover", "line\\x0dover"),
    ("tab\tand\nnewline", "tab\tand\nnewline"), ("Grüße 你好 مرحبا", "Grüße 你好 مرحبا"),
    ("ok\U000e0069", "ok\\U000e0069"), ("a\u2060b", "a\\u2060b")])
def test_each_display_control_is_shown_as_an_escape(text: str, shown: str) -> None:
    assert visible(text) == shown
