"""Control characters: the characters of a text that instruct whatever shows it instead of being text.

A line break in a city ("Berlin\\nname = …") starts a line of its own in a file or a partner's form, ``ESC[8m``
conceals the rest of a terminal line, a right-to-left override (U+202E) shows "gpj.exe" as "exe.jpg", a NUL ends
the C string a phonemizer is given. Every layer asks the same question of a text, so the characters are named once
here: the terminal writes them as visible escapes (cli/terminal), memory and the profile refuse a value holding
them, a partner's text is put on one line without them, a voice is given spaces for them.

Imports nothing from ``tandem``: any layer may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

__all__ = ["CONTROLS", "HAN", "controls", "has_controls", "inside", "one_line", "pieces", "simplified", "unspaced",
           "without_controls"]

# C0 (tab and line feed too: a caller that keeps them says so), DEL, C1 (0x85 is a line break, 0x9b is CSI on its
# own), the three implicit directional marks (ALM, LRM, RLM), the line and paragraph separators, the
# bidirectional embeddings, overrides and isolates, and the invisible characters that hide text from a person but
# not from a model: word joiner and invisible operators (U+2060-2064), the byte order mark, and the tag characters
# (U+E0000-E007F, "ASCII smuggling"). Not the joiners: emoji and Indic scripts are written with them.
CONTROLS = ("\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
            "\U000e0000-\U000e007f")


@lru_cache(maxsize=8)
def controls(keep: str = "") -> re.Pattern[str]:
    """A pattern matching one control character, but not those in ``keep`` (e.g. ``"\\t\\n"``)."""
    return re.compile(f"(?![{re.escape(keep)}])[{CONTROLS}]" if keep else f"[{CONTROLS}]")


def has_controls(text: str, keep: str = "") -> bool:
    """Does ``text`` hold a control character other than those in ``keep``?"""
    return controls(keep).search(text) is not None


def without_controls(text: str, keep: str = "") -> str:
    """``text`` with a space for each control character but those in ``keep``."""
    return controls(keep).sub(" ", text)


def one_line(text: object) -> str:
    """``text`` on one line: control characters and runs of white space become one space, none at either end."""
    return " ".join(without_controls(str(text)).split())


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")  # scripts written without spaces
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a Chinese character


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters written simplified (OpenCC's t2s, a base dependency: Whisper's
    transcripts, a partner's search over texts kept as typed); as it is where it holds none, or without the package."""
    convert = _t2s()
    return convert(text) if convert is not None and HAN.search(text) else text


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str] | None:
    try:
        from opencc import OpenCC
    except ImportError:
        return None
    return OpenCC("t2s").convert


def unspaced(word: str) -> bool:
    """Is ``word`` (partly) in a script written without spaces between words (Chinese, Japanese)?"""
    return _UNSPACED.search(word) is not None


def pieces(word: str) -> list[str]:
    """A word as a search reads it: a run of Chinese or Japanese characters by its two-character pieces
    ("我记的门禁密码": 门禁, 禁密, 密码 are what a note holds; 我记, 记的 narrow nothing); any other word whole."""
    if len(word) <= 2 or not unspaced(word):
        return [word]
    return [word[i:i + 2] for i in range(len(word) - 1)]


def inside(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Do the words ``part`` occur in ``whole`` in a row (("don't",) in ("i", "don't", "want"); ("不", "要") in
    ("我", "不", "要", "了"))? Both as a text's words, however the caller cut them; no words are in every text."""
    part, whole = tuple(part), tuple(whole)
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))
