"""Language data: the word lists requests are read with, one TOML file each beside this module, read once.

    refer_back.toml     words that only point back at another clause's thing ("it", "它")
    next_step.toml      words that begin the next step of one request ("and then", "然后")
    measure_words.toml  words that count or measure without naming ("张", "tickets")
    closing_words.toml  words that close a clause after its last value ("please", "liefern", "for me and my wife")
    clause_words.toml   where a sentence holding several requests is cut ("and", "，再")
    time_words.toml     times said without a clock's digits ("in 20 minutes", "noon")
    verb_words.toml     other forms of the verb an example opens with ("bestellt", "bestellen Sie"), doubled ("找找")

Adding a language adds its lists to these files; no code changes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["CLAUSE_WORDS", "CLOSING_WORDS", "MEASURE_WORDS", "NEXT_STEP", "REFER_BACK", "TIME_WORDS", "VERB_WORDS",
           "alternatives", "count_pattern", "doubled_forms", "load", "number_value", "number_words",
           "numeral_characters", "numeral_run", "parse_count", "vague_pattern"]

_HERE = Path(__file__).parent
REFER_BACK = _HERE / "refer_back.toml"
NEXT_STEP = _HERE / "next_step.toml"
MEASURE_WORDS = _HERE / "measure_words.toml"
CLOSING_WORDS = _HERE / "closing_words.toml"
CLAUSE_WORDS = _HERE / "clause_words.toml"
TIME_WORDS = _HERE / "time_words.toml"
VERB_WORDS = _HERE / "verb_words.toml"


@cache
def load(path: Path) -> dict[str, Any]:
    """One data file's tables."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def doubled_forms(lang: str) -> tuple[str, ...]:
    """How ``lang`` says a verb of one character doubled ("{verb}{verb}": "找找"; verb_words.toml ``doubled``)."""
    return tuple(load(VERB_WORDS).get("doubled", {}).get(lang, ()))


def alternatives(words: Iterable[str]) -> str:
    """``words`` as the alternatives of a pattern, escaped, the longest first (so "and then" wins over "and")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def number_words(lang: str | None = None) -> dict[str, int]:
    """The words a number is said with, and its value (measure_words.toml ``numbers``): ``lang``'s, or those of every
    language that has them."""
    table = load(MEASURE_WORDS).get("numbers", {})
    return {w.casefold(): int(n) for key, words in table.items() if lang in (None, key) for w, n in words.items()}


def _numerals(lang: str | None = None) -> list[tuple[dict[str, int], str, frozenset[str]]]:
    """Each language's numerals (measure_words.toml ``numerals``): its digits with their values, its ten, and the
    digits said only first in a number (``leading``: "两")."""
    return [(dict(table["digits"]), table["ten"], frozenset(table.get("leading", ())))
            for key, table in load(MEASURE_WORDS).get("numerals", {}).items() if lang in (None, key)]


def numeral_characters(lang: str | None = None, *, zero: bool = True) -> str:
    """The characters numbers are written with where words are not spaced ("零一二两…十"; ``zero``: with those of no
    value), for a character class."""
    return "".join(re.escape(c) for digits, ten, _ in _numerals(lang) for c in (*digits, ten)
                   if zero or digits.get(c, 1))


def numeral_run(lang: str, least: int = 1) -> str:
    """A number written in ``lang``'s numerals as a pattern: ``least`` to three, of which those said only first in a
    number (``leading``) only first ("三十二", "两"; of "三十两" only "三十"); "" where words are spaced."""
    first, then = numeral_characters(lang), "".join(re.escape(c) for digits, ten, leading in _numerals(lang)
                                                     for c in (*digits, ten) if c not in leading)
    return f"[{first}][{then}]{{{least - 1},2}}" if first else ""


def number_value(text: str) -> int | None:
    """The number ``text`` says, whole: digits, a number word (``number_words``) or numerals up to 99 ("十二", "二十",
    "两"); None when it says none."""
    said = text.strip().casefold()
    if said.isdigit():
        return int(said)
    if said in number_words():
        return number_words()[said]
    return next((n for digits, ten, leading in _numerals() if (n := _numeral_value(said, digits, ten, leading))
                 is not None), None)


def _numeral_value(said: str, digits: dict[str, int], ten: str, leading: frozenset[str]) -> int | None:
    if not said or any(c not in digits and c != ten for c in said) or any(c in leading for c in said[1:]):
        return None
    if ten not in said:
        return int("".join(str(digits[c]) for c in said)) if len(said) <= 2 else None
    tens, _, ones = said.partition(ten)
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


@cache
def vague_pattern(lang: str | None = None, *, capitals: bool = True) -> str:
    """The words that say "a few" without a number (measure_words.toml ``vague``) of ``lang`` or of every language, as
    a pattern that matches them as written ("ein paar", never "ein Paar", a pair) whatever else ignores case, and, with
    ``capitals``, with their first letter in capitals (a sentence's first word); "" when there are none. Written all in
    capitals ("EIN PAAR KARTEN") the case tells nothing: read as "a few" too, so no count is read and it is asked
    (reread24 L2, review25 R25-1)."""
    words = [w for key, said in load(MEASURE_WORDS).get("vague", {}).items() if lang in (None, key) for w in said]
    forms = {f for w in words for f in ((w, w[:1].upper() + w[1:]) if capitals else (w,))} | {w.upper() for w in words}
    return f"(?-i:{alternatives(forms)})" if forms else ""


@cache
def count_pattern(lang: str | None = None) -> str:
    """A count as a pattern: digits (up to two), the number words (``number_words``) and up to three numerals of some
    value ("十二", "两"), of ``lang`` or of every language."""
    words, numerals = alternatives(number_words(lang)), numeral_characters(lang, zero=False)
    return "|".join([r"\d{1,2}", *([words] if words else []), *([f"[{numerals}]{{1,3}}"] if numerals else [])])


def parse_count(text: str | None) -> int | None:
    """A small count from digits or a number word in en/de/zh ("zwei", "two", "两张", "3"; measure_words.toml
    ``numbers`` and ``numerals``), a classifier after it left out; else None."""
    if not text:
        return None
    return number_value(re.sub(f"(?:{alternatives(_classifiers())})$", "", text.strip()))


@cache
def _classifiers() -> tuple[str, ...]:
    return tuple(w for words in load(MEASURE_WORDS).get("classifiers", {}).values() for w in words)
