"""A detail the user gives when the assistant asks for it, without the words said before it: "I'm Sam Lee" is the name
"Sam Lee", "my number is +49 151 23456789" the number, "我叫李伟" the name 李伟 (``given_words.toml``). Before, the
whole sentence was kept as the name, and a number said in a sentence was refused as no phone number."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from tandem.text import HAN

__all__ = ["given_value"]

_WORDS = Path(__file__).with_name("given_words.toml")


@cache
def _leads(field: str) -> tuple[str, ...]:
    """Every language's phrases said before ``field``'s value, the longest first."""
    table = tomllib.loads(_WORDS.read_text(encoding="utf-8"))
    return tuple(sorted({p for lang in table.values() for p in lang.get(field, ())}, key=len, reverse=True))


def given_value(key: str, text: str) -> str:
    """``text`` (the answer to the question for profile field ``key``: "name", "phone", "places.office") without the
    phrase said before the value and the full stop after it; as it was when it says no such phrase or nothing else."""
    said = text.strip().replace("’", "'")
    field = "place" if key.startswith("places.") else key
    for lead in _leads(field):
        if not said.lower().startswith(lead):  # lower, not casefold: "ß" keeps its length
            continue
        rest = said[len(lead):]
        if HAN.match(lead[-1]) or (rest[:1] in (" ", ",", ":")):
            value = rest.strip(" ,:：，").rstrip(".。!！")
            return value or text.strip()
    return text.strip()
