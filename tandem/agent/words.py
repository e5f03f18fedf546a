"""Language data: the word lists requests are read with, one TOML file each beside this module, read once.

    refer_back.toml     words that only point back at another clause's thing ("it", "它")
    next_step.toml      words that begin the next step of one request ("and then", "然后")
    measure_words.toml  words that count or measure without naming ("张", "tickets")
    closing_words.toml  words that close a clause after its last value ("please", "liefern", "for me and my wife")
    clause_words.toml   where a sentence holding several requests is cut ("and", "，再")
    time_words.toml     times said without a clock's digits ("in 20 minutes", "noon")
    verb_words.toml     other forms of the verb an example opens with ("bestellt", "bestellen Sie")

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
           "alternatives", "load"]

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


def alternatives(words: Iterable[str]) -> str:
    """``words`` as the alternatives of a pattern, escaped, the longest first (so "and then" wins over "and")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
