"""The words memory reads in what the user says, one table per language in ``words.toml`` beside this module:
every language's words count in every sentence (a German request may name a "film"). Read once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["by_language", "either", "inside_or_whole", "kinds", "words"]

_FILE = Path(__file__).with_name("words.toml")


@cache
def _tables() -> dict[str, dict[str, Any]]:
    return tomllib.loads(_FILE.read_text(encoding="utf-8"))


def by_language(key: str) -> list[list[str]]:
    """The entries for ``key`` of each language that has them, in the file's order."""
    return [list(table[key]) for table in _tables().values() if key in table]


def words(key: str) -> list[str]:
    """Every language's entries for ``key``, in the file's order."""
    return [w for found in by_language(key) for w in found]


def either(key: str) -> str:
    """The entries for ``key`` as one alternation (entries are regular expressions)."""
    return "|".join(words(key))


def inside_or_whole(key: str) -> str:
    """A pattern for the entries of ``key``: as whole words in a spaced language, anywhere in one without spaces."""
    spaced = [w for table in _tables().values() if table["spaced"] for w in table.get(key, ())]
    unspaced = [w for table in _tables().values() if not table["spaced"] for w in table.get(key, ())]
    return "|".join([rf"\b({'|'.join(spaced)})\b"] * bool(spaced) + unspaced)


def kinds(key: str) -> dict[str, list[str]]:
    """The entries for ``key`` by what they name ("vegetarian" → its words in every language), in the order first
    named."""
    found: dict[str, list[str]] = {}
    for table in _tables().values():
        for kind, entries in table.get(key, {}).items():
            found.setdefault(kind, []).extend(entries)
    return found
