"""Which language a sentence is in when no word of it tells (``slots.detect_language``'s word counts tie:
"Storniere meine Essensbestellung", "ja, stornieren"): its character trigrams scored against those of the
sentences the assistant was given per language (chat examples, everyday sentences, the shipped capabilities'
phrasings and examples), naive Bayes with add-one smoothing. Learned from that data, so a language added there is
read here too."""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from tandem.partners import builtin_manifests

__all__ = ["likeliest", "told"]

_WORDS = Path(__file__).with_name("language_words.toml")
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:'[^\W\d_]+)?(?!\w)")  # "i'd": one word; "980a464" none
_SOURCES = (("chat_examples.toml", "examples"), ("everyday.toml", "sentences"))
_MARKUP = re.compile(r"\{\w+\}|[\[\]()|]")  # an example's parameters and choice marks
_MARGIN = 2.0  # log-odds a language must lead by; below it the sentence tells nothing


def _grams(text: str) -> list[str]:
    said = f"  {' '.join(text.casefold().split())}  "
    return [said[i:i + 3] for i in range(len(said) - 2)]


@cache
def _profiles() -> dict[str, Counter[str]]:
    said: dict[str, list[str]] = defaultdict(list)
    for name, key in _SOURCES:
        data = tomllib.loads(Path(__file__).with_name(name).read_text(encoding="utf-8"))[key]
        for lang, sentences in data.items():
            said[lang] += sentences
    for doc in builtin_manifests():
        for tool in doc.get("tools", []):
            for field in ("phrasings", "examples"):
                for lang, sentences in (tool.get(field) or {}).items():
                    said[lang] += [_MARKUP.sub(" ", s) for s in sentences]
    return {lang: Counter(g for s in sentences for g in _grams(s)) for lang, sentences in said.items()}


@cache
def _sizes(languages: tuple[str, ...]) -> tuple[dict[str, int], int]:
    """Each language's trigrams counted, and the kinds of trigram all of them have (the smoothing's)."""
    profiles = _profiles()
    return {lang: sum(profiles[lang].values()) for lang in languages}, len({g for lang in languages
                                                                             for g in profiles[lang]})


def likeliest(text: str, languages: Iterable[str]) -> str | None:
    """The one of ``languages`` whose sentences ``text``'s trigrams are likeliest in, by at least ``_MARGIN``;
    None for fewer than two words, when no trigram of it was seen in any of them, or when none leads."""
    if len(re.findall(r"[^\W\d_]+", text)) < 2:
        return None  # one word tells no language: a name ("Dune", "Berlin") is said alike in every one
    chosen = tuple(lang for lang in languages if lang in _profiles())
    profiles, (totals, kinds) = _profiles(), _sizes(chosen)
    grams = [g for g in _grams(text) if any(g in profiles[lang] for lang in chosen)]
    if not grams:
        return None
    scores = sorted(((sum(math.log((profiles[lang][g] + 1) / (totals[lang] + kinds)) for g in grams), lang)
                     for lang in chosen), reverse=True)
    if len(scores) > 1 and scores[0][0] - scores[1][0] < _MARGIN:
        return None
    return scores[0][1]


@cache
def _told() -> dict[str, Any]:
    return tomllib.loads(_WORDS.read_text(encoding="utf-8"))


@cache
def _own_words() -> dict[str, frozenset[str]]:
    """Each language's words (language_words.toml ``words``) that no other language's list holds: a word two write
    alike tells neither."""
    said = {lang: frozenset(w.casefold() for w in words) for lang, words in _told()["words"].items()}
    return {lang: words - frozenset().union(*(w for other, w in said.items() if other != lang))
            for lang, words in said.items()}


def told(text: str) -> str | None:
    """The language ``text``'s words tell (language_words.toml): one whose characters it has (``script``), unless
    they are a name framed by words of a spaced language; else the spaced one whose own words, stems and letters it
    has most of; None when none leads."""
    counts = _word_counts(text)
    for lang, chars in _told().get("script", {}).items():
        written = "".join(re.findall(f"[{chars}]", text))
        frame = _told().get("frame", {}).get(lang, "")
        if written and (any(c in frame for c in written) or not any(counts.values())):
            return str(lang)
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _word_counts(text: str) -> dict[str, int]:
    """How many of each spaced language's own words (or words that begin with one of its ``stems``) ``text`` says,
    one more when it has a letter only that language writes."""
    tokens = _WORD.findall(text.casefold())
    own, stems, letters = _own_words(), _told().get("stems", {}), _told().get("letters", {})
    return {lang: sum(t in words or t.startswith(tuple(stems.get(lang, ()))) for t in tokens)
            + bool(set(letters.get(lang, "")) & set(text.casefold()))
            for lang, words in own.items()}
