"""How a language is written, as data (writing.toml): what the readers of a request's words need to know about a
language beyond its word lists, so that no reader asks which language it is."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.words import alternatives, load

__all__ = ["PAUSED", "PAUSES", "Writing", "segmenter", "writing"]

_FILE = Path(__file__).with_name("writing.toml")

PAUSES = ",;:，；："  # the marks a sentence pauses at, in every language: a value ends before them
PAUSED = rf"\s*[{PAUSES}]\s*"  # a pause with the spaces around it


@dataclass(frozen=True)
class Writing:
    """How one language is written."""

    spaced: bool  # its words stand apart with spaces ("en", "de"); Chinese writes them together
    contractions: dict[str, str] = field(default_factory=dict)  # one word written for two ("fürs": "für das")
    marks: tuple[str, ...] = ()  # marks around a title ("《沙丘》") that a request may leave out

    @property
    def edge(self) -> tuple[str, str]:
        """What a pattern puts before and after a word to read it whole: nothing where words are not spaced."""
        return (r"(?<!\w)", r"(?!\w)") if self.spaced else ("", "")

    @property
    def gap(self) -> str:
        """What stands between two words: a space, or nothing."""
        return " " if self.spaced else ""


    def written_out(self, text: str) -> str:
        """``text`` with its contractions written out ("Karten fürs Konzert" → "Karten für das Konzert")."""
        if not self.contractions:
            return text
        edge = self.edge
        return re.sub(f"{edge[0]}(?:{alternatives(self.contractions)}){edge[1]}",
                      lambda m: self._out(m.group()), text, flags=re.IGNORECASE)

    def _out(self, word: str) -> str:
        said = self.contractions[word.casefold()]
        return said[:1].upper() + said[1:] if word[:1].isupper() else said


@cache
def writing(lang: str) -> Writing:
    """How ``lang`` is written (a language the file does not list is spaced)."""
    table = load(_FILE).get(lang, {})
    return Writing(spaced=bool(table.get("spaced", True)),
                   contractions={k.casefold(): v for k, v in table.get("contractions", {}).items()},
                   marks=tuple(table.get("marks", ())))


@cache
def segmenter() -> Any:
    """jieba, loaded once, quiet: where the words of a text written without spaces end ("点个汉堡": 点 / 个 / 汉堡)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba
