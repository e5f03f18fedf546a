"""How a language is written, as data (writing.toml): what the readers of a request's words need to know about a
language beyond its word lists, so that no reader asks which language it is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tandem.agent.words import load

__all__ = ["Writing", "writing"]

_FILE = Path(__file__).with_name("writing.toml")


@dataclass(frozen=True)
class Writing:
    """How one language is written."""

    spaced: bool  # its words stand apart with spaces ("en", "de"); Chinese writes them together

    @property
    def edge(self) -> tuple[str, str]:
        """What a pattern puts before and after a word to read it whole: nothing where words are not spaced."""
        return (r"(?<!\w)", r"(?!\w)") if self.spaced else ("", "")

    @property
    def gap(self) -> str:
        """What stands between two words: a space, or nothing."""
        return " " if self.spaced else ""


@cache
def writing(lang: str) -> Writing:
    """How ``lang`` is written (a language the file does not list is spaced)."""
    return Writing(spaced=bool(load(_FILE).get(lang, {}).get("spaced", True)))
