"""The text as a reader sees it: what the detectors read, with a way back to the characters that were sent.

A value can be written so that a reader (and every cloud model) reads it as it is, while a pattern does not:
invisible characters inside it ("138\\u200b1234\\u200b5678", "DE89\\u200b3704…", "张\\u200b敏华": zero-width
spaces and joiners, soft hyphens, direction marks, variation selectors, Unicode tag characters) or full-width
forms ("１３８１２３４５６７８", "klaus＠example.de", "１１０１０５…Ｘ"). Detectors read the *plain* text: invisible
characters dropped, full-width letters, digits and the signs that occur inside addresses, numbers and e-mail
addresses (@ + - . _ / # :) read as their ASCII forms. Full-width punctuation of Chinese prose (，；？（）) is kept:
the Chinese taggers were trained on it.

A finding in the plain text is mapped back to the characters it covers in the sent text, invisible ones between
them included, and the vault replaces that text: what goes out is what was checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tandem.privacy.detect import Finding

__all__ = ["Plain", "plain"]


def _invisible() -> frozenset[int]:
    """Format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, direction marks, word
    joiner, BOM, tag characters), variation selectors, the combining grapheme joiner and the Hangul fillers."""
    points = {c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"}
    points |= {c for c in range(0xE0000, 0xE1000) if unicodedata.category(chr(c)) in ("Cf", "Mn")}
    points |= set(range(0xFE00, 0xFE10)) | {0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0}
    return frozenset(points)


_DROP = _invisible()
_WIDE = {0xFF10 + i: chr(0x30 + i) for i in range(10)}  # ０-９
_WIDE |= {0xFF21 + i: chr(0x41 + i) for i in range(26)} | {0xFF41 + i: chr(0x61 + i) for i in range(26)}
_WIDE |= {ord(c): chr(ord(c) - 0xFEE0) for c in "＠＋－．＿／＃："}
_TABLE: dict[int, str | None] = {c: None for c in _DROP} | _WIDE
_INSIDE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]")  # a letter or digit of a word (pseudonymize._ALNUM)


@dataclass(frozen=True)
class Plain:
    """A text as the detectors read it, and where each of its characters stands in the text that was sent."""

    text: str  # the plain text the detectors read
    sent: str  # the text as it was sent
    where: tuple[int, ...] | None  # sent offset of each plain character; None when nothing was dropped

    def back(self, finding: Finding) -> Finding:
        """``finding`` (in the plain text) placed over the sent characters it covers."""
        if self.where is None or finding.end <= finding.start:
            start, end = finding.start, finding.end
        else:
            # a finding that starts or ends inside a word of the plain text covers that word: the dropped
            # character had split it ("Klaus\u200bMeier" reads "KlausMeier"; a cue rule took "Klaus")
            first, last = _word_edges(self.text, finding.start, finding.end)
            start, end = self.where[first], self.where[last - 1] + 1
        if (start, end) == (finding.start, finding.end) and self.sent[start:end] == finding.text:
            return finding
        return replace(finding, start=start, end=end, text=self.sent[start:end])


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _INSIDE.match(text, start - 1) and _INSIDE.match(text, start):
        start -= 1
    while end < len(text) and _INSIDE.match(text, end) and _INSIDE.match(text, end - 1):
        end += 1
    return start, end


def plain(text: str) -> Plain | None:
    """The plain reading of ``text``, or None when it reads as it is written (nearly every text)."""
    if text.isascii():
        return None
    folded = text.translate(_TABLE)
    if folded == text:
        return None
    if len(folded) == len(text):  # only full-width forms: every character stays where it was
        return Plain(folded, text, None)
    return Plain(folded, text, tuple(i for i, c in enumerate(text) if ord(c) not in _DROP))
