"""A detail the user gives when the assistant asks for it, without the words said before it: "I'm Sam Lee" is the name
"Sam Lee", "my number is +49 151 23456789" the number, "我叫李伟" the name 李伟 (``given_words.toml``). Before, the
whole sentence was kept as the name, and a number said in a sentence was refused as no phone number."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from tandem.agent.intents import PLACE_ALIASES, place_key
from tandem.agent.templates import parse_example, said_before
from tandem.text import HAN

__all__ = ["given_value", "place_given"]

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


def place_given(examples: Iterable[str], slot: str, text: str) -> str:
    """The saved place ("office", "home") ``text`` names, said as the ``examples`` say the parameter ``slot``: after
    the words they put right before it ("ins Büro", "to the office", "送到办公室" answering "Where should it go?"; the
    manifest's words, no list here); else ``place_key`` of the whole answer (an address stays as it was said)."""
    said = text.strip()
    found = place_key(said)
    if found in PLACE_ALIASES:
        return found
    befores = {b for example in examples for b in said_before(parse_example(example), slot)}
    for tail in sorted({t for b in befores for t in _tails(b.casefold().strip())}, key=len, reverse=True):
        rest = said[len(tail):]
        if said.casefold().startswith(tail) and (not tail.isascii() or rest[:1].isspace()) and \
                (key := place_key(rest)) in PLACE_ALIASES:
            return key
    return found


def _tails(before: str) -> set[str]:
    """The ends of ``before`` a user may say alone: its last words ("the", "to the"), and (where words are written
    together) the last characters of its last word ("送到")."""
    words = before.split()
    tails = {" ".join(words[at:]) for at in range(len(words))}
    if words and HAN.search(words[-1]):
        tails |= {words[-1][at:] for at in range(len(words[-1]))}
    return {t for t in tails if t}
