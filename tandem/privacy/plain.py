"""The text as a reader sees it: what the detectors read, with a way back to the characters that were sent.

A value can be written so that a reader (and every cloud model) reads it as it is, while a pattern does not:
invisible characters inside it ("138\\u200b1234\\u200b5678", "DE89\\u200b3704…", "张\\u200b敏华": zero-width
spaces and joiners, soft hyphens, direction marks, variation selectors, Unicode tag characters), full-width forms
("１３８１２３４５６７８", "klaus＠example.de", "１１０１０５…Ｘ"), other spaces and dashes ("0151\\u00a02345" as copied
from a web page or written by German number formatting, "0151\\u20132345678" with an en dash), or escaped
("\\u5f20\\u654f\\u534e" is 张敏华 to every cloud model; JSON inside a JSON string, or after a line of prose,
keeps its escapes when the message is read). Detectors read the *plain* text: invisible characters dropped,
full-width letters, digits and the signs that occur inside addresses, numbers and e-mail addresses (@ + - . _ / # :)
read as their ASCII forms, a digit of another form (another script's, circled, mathematical: "①⑤②", "١٥٢") as its
ASCII digit, space separators as a space, hyphens and dashes as "-" (and between digits the middle dots, an
underscore or an asterisk: "0151·2345·6789"), escapes decoded, a word spelled letter by letter ("K l a u s") as the
word. Full-width punctuation of Chinese prose (，；？（）), the ideographic space and "——" between clauses are kept:
the Chinese taggers were trained on them.

A finding in the plain text is mapped back to the characters it covers in the sent text (invisible ones between
them, the whole escape of a decoded character), and the vault replaces that text: what goes out is what was checked.
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
# Space separators (no-break, thin, figure spaces: copied from a web page, a PDF, German number formatting) read as a
# space; the ideographic space U+3000 is kept, the Chinese taggers know it. Hyphens, the en dash, minus signs read as
# "-"; the em dash and horizontal bar only between digits (Chinese prose writes "——" between clauses).
_SPACES = {c: " " for c in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F)}
_DASHES = {c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE58, 0xFE63)}
# A digit of any other form reads as its ASCII digit: another script's ("١٥٢…", "१५२…"), mathematical bold, circled
# ("①⑤②"), negative circled, super- and subscript. Python's \d reads some of them, the detectors' [0-9] none.
_DIGITS = {c: str(d) for c in range(0x80, 0x20000) if (d := unicodedata.digit(chr(c), None)) is not None}
_TABLE: dict[int, str | None] = {**dict.fromkeys(_DROP), **_DIGITS, **_WIDE, **_SPACES, **_DASHES}
# Between two digits, the em dash and horizontal bar, middle dots, bullets, an underscore, an asterisk or a bar join
# digit groups as a dash does ("0151·2345·6789", "0151_2345_6789"); Chinese prose writes "——" between clauses.
_LONG_DASH = re.compile(r"(?<=\d)[\u2014\u2015\u00b7\u2027\u2022\u2219\u22c5\u30fb\uff65_*|\uff5c](?=\d)")
# An escaped character, as JSON and Python write text they were told to keep ASCII ("\u5f20\u654f\u534e" is 张敏华 to
# every cloud model): a surrogate pair, \uXXXX, \UXXXXXXXX, \xNN.
_ESCAPE = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})|\\U([0-9a-f]{8})"
                     r"|\\x([0-9a-f]{2})", re.I)
_INSIDE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]")  # a letter or digit of a word (pseudonymize._ALNUM)
# A word spelled out letter by letter, as said to a call centre or typed to slip past a filter ("K l a u s  W e b e r",
# "K-l-a-u-s"): three or more single letters with one space, dot or hyphen between them are read as the word.
_SPELLED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[ .\-][^\W\d_]){2,}(?![^\W\d_])")


@dataclass(frozen=True)
class Plain:
    """A text as the detectors read it, and where each of its characters stands in the text that was sent."""

    text: str  # the plain text the detectors read
    sent: str  # the text as it was sent
    # the sent characters each plain character was read from, [start, end); None when each stands where it was
    spans: tuple[tuple[int, int], ...] | None

    def back(self, finding: Finding) -> Finding:
        """``finding`` (in the plain text) placed over the sent characters it covers."""
        if self.spans is None or finding.end <= finding.start:
            start, end = finding.start, finding.end
        else:
            # a finding that starts or ends inside a word of the plain text covers that word: the dropped
            # character had split it ("Klaus\u200bMeier" reads "KlausMeier"; a cue rule took "Klaus")
            first, last = _word_edges(self.text, finding.start, finding.end)
            start, end = self.spans[first][0], self.spans[last - 1][1]
        if (start, end) == (finding.start, finding.end) and self.sent[start:end] == finding.text:
            return finding
        return replace(finding, start=start, end=end, text=self.sent[start:end])


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _INSIDE.match(text, start - 1) and _INSIDE.match(text, start):
        start -= 1
    while end < len(text) and _INSIDE.match(text, end) and _INSIDE.match(text, end - 1):
        end += 1
    return start, end


def _decoded(match: re.Match[str]) -> str:
    if match.group(1):
        return (chr(int(match.group(1), 16)) + chr(int(match.group(2), 16))).encode("utf-16", "surrogatepass") \
            .decode("utf-16")
    code = int(match.group(3) or match.group(4) or match.group(5), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()


# A combining mark of the generic blocks (diacritics, their extensions, marks for symbols, half marks) over a letter
# or a digit: a reader reads the letter or digit under it ("0️⃣1️⃣5️⃣" keycaps, "0̲1̲5̲" underlined, "1⃝" circled,
# "K̶l̶a̶u̶s̶" struck through). The mark joins the character before it where Unicode composes the two into one
# ("u" + U+0308 is "ü", as text in decomposed form writes it), else it is dropped. A script's own vowel signs and
# points (Devanagari, Arabic, Hebrew, Thai) are in other blocks and stay.
_MARK = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _mark(mark: str, at: int, chars: list[str], spans: list[tuple[int, int]]) -> None:
    """The mark at ``at`` read into the plain text so far: composed with the character before it, else dropped; the
    character before it covers it either way (a value replaced takes its marks with it)."""
    if not chars:
        return
    composed = unicodedata.normalize("NFC", chars[-1] + mark)
    if len(composed) == 1:
        chars[-1] = composed
    spans[-1] = (spans[-1][0], at + 1)


_JOINED = re.compile(r"\d[_*|]\d")  # digit groups an ASCII text joins otherwise than by a dash
# Where a spelled word may be, found fast (each starts with a literal, which the regex engine scans for): the pattern
# itself is tried at every position, about 0.1 ms a page.
_MAYBE_SPELLED = (re.compile(r" [^\W\d_] [^\W\d_] "), re.compile(r"-[^\W\d_]-"), re.compile(r"\.[^\W\d_]\."))


def _spelled(text: str) -> set[int]:
    """The separators between the letters of each spelled word; only the run's own separator ("K-l-a-u-s W-e-b-e-r"
    keeps the space between its two words)."""
    if not any(rx.search(text) for rx in _MAYBE_SPELLED):
        return set()
    return {m.start() + i for m in _SPELLED.finditer(text) for i in range(1, len(m.group()), 2)
            if m.group()[i] == m.group()[1]}


def plain(text: str) -> Plain | None:
    """The plain reading of ``text``, or None when it reads as it is written (nearly every text)."""
    escaped = "\\" in text and _ESCAPE.search(text)
    # the separators between the letters of a spelled word (each letter one character, each separator one)
    spelled = _spelled(text)
    if text.isascii() and not escaped and not spelled and not _JOINED.search(text):
        return None
    marked = _MARK.search(text) is not None
    if not escaped and not spelled and not marked:
        folded = _LONG_DASH.sub("-", text.translate(_TABLE))
        if folded == text:
            return None
        if len(folded) == len(text):  # one-to-one: every character stays where it was
            return Plain(folded, text, None)
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for m in [*_ESCAPE.finditer(text), None]:
        upto = m.start() if m else len(text)
        for i in range(at, upto):
            if marked and _MARK.match(text, i):
                _mark(text[i], i, chars, spans)
            elif i not in spelled and (c := _TABLE.get(ord(text[i]), text[i])) is not None:
                chars.append(c)
                spans.append((i, i + 1))
        if m:
            for c in _decoded(m):
                if (c := _TABLE.get(ord(c), c)) is not None:
                    chars.append(c)
                    spans.append((m.start(), m.end()))
            at = m.end()
    return Plain(_LONG_DASH.sub("-", "".join(chars)), text, tuple(spans))
