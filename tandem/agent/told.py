"""Sentences that tell rather than ask: what happened or how one feels ("Ich hab das Konzert letztes Jahr verpasst,
schade.", "I hate waiting for parcels"), which no partner should act on, told apart from a request said after such
words ("I missed the physio yesterday so put a new appointment in my calendar", "我昨天订的电影票取消掉"): a
sentence with any clause that asks for an act (``asks_for``) is a request, whatever else it tells. The words are
told.toml's per language; the verbs the capabilities' examples open with come from the caller
(``learned.familiar``)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tandem.agent.counts import counting
from tandem.agent.slots import extract_when
from tandem.agent.templates import COUNT_WORDS

__all__ = ["asks_for", "plain_clauses", "told"]

_FILE = Path(__file__).with_name("told.toml")
_MARKS = r"[,;:!.，；：！。…]|\s[-–—]\s"  # where a clause ends
_SOME_DAY = dt.datetime(2026, 1, 5, 10, 0)  # any day serves: a time read from now on is one still to come
_COUNT = re.compile(rf"(?:{COUNT_WORDS})(?!\w)")  # a clause that opens with a count asks for that many things


@dataclass(frozen=True)
class _Words:
    """One language's words of told.toml, as patterns (whole words outside Chinese)."""

    joins: re.Pattern[str]
    fillers: re.Pattern[str]
    verbs: frozenset[str]
    plea: re.Pattern[str]
    verb_anywhere: re.Pattern[str] | None  # Chinese: a verb not followed by a word of "after"
    marked: re.Pattern[str]  # a word of "past" or "feel"
    opens: re.Pattern[str]  # a word of "past" or "feel" or a filler at the start


def _any(words: Collection[str], spaced: bool, *, start: bool = False) -> re.Pattern[str]:
    said = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    edge = r"(?<!\w)" if spaced else ""
    return re.compile(("^" if start else edge) + f"(?:{said})" + (r"(?!\w)" if spaced else ""))


@cache
def _words() -> dict[str, _Words]:
    data = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    found = {}
    for lang, said in data.items():
        spaced = lang != "zh"
        verbs = said.get("verbs", [])
        after = "|".join(re.escape(w) for w in said.get("after", ()))
        anywhere = None if spaced else re.compile(
            f"(?:{'|'.join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))})" + (f"(?!{after})" if after
                                                                                            else ""))
        marked = [*said.get("past", ()), *said.get("feel", ())]
        found[lang] = _Words(_any(said.get("joins", ()), spaced), _any(said.get("fillers", ()), spaced, start=True),
                             frozenset(v.casefold() for v in verbs), _any(said.get("plea", ()), spaced), anywhere,
                             _any(marked, spaced), _any([*marked, *said.get("fillers", ())], spaced, start=True))
    return found


def _clauses(text: str, joins: re.Pattern[str]) -> list[str]:
    """``text`` cut at its marks and its joining words, each clause stripped."""
    parts = re.split(_MARKS, text)
    return [c.strip() for part in parts for c in joins.split(part) if c and c.strip()]


def _opening(clause: str, words: _Words) -> str:
    """``clause`` without the fillers it opens with."""
    while (filler := words.fillers.match(clause)) is not None and filler.end() > 0:
        clause = clause[filler.end():].strip(" ,")
    return clause


def asks_for(text: str, lang: str, verbs: Collection[str] = ()) -> bool:
    """Does any clause of ``text`` ask for an act? It does when it says a word of a plea ("please", "bitte", "帮我",
    "I want to") or a time still to come ("morgen um 9", "今晚": ``extract_when`` reads no past), or when a clause,
    after its fillers, opens with a count ("..., two pizzas to the office") or with a verb of told.toml's or of
    ``verbs`` (the words the capabilities' examples open with; a subject or an article is none); a German clause also
    when it closes with such a verb's infinitive ("... eintragen"), a Chinese one when it says such a verb anywhere
    not followed by a word that makes it name a thing ("取消掉", not "订的"). A language told.toml does not list:
    always (nothing is taken as told)."""
    words = _words().get(lang)
    if words is None:
        return True
    said = text.strip().casefold()
    if words.plea.search(said) or extract_when(said, _SOME_DAY, lang)[0] is not None:
        return True
    counted = counting(lang)
    opening = (words.verbs | {v.casefold() for v in verbs}) - set(counted.subjects) - set(counted.articles)
    return any(_clause_asks(clause, lang, words, opening) for clause in _clauses(said, words.joins))


def _clause_asks(clause: str, lang: str, words: _Words, opening: Collection[str]) -> bool:
    """Does ``clause`` open with a count or a verb of ``opening`` (``asks_for``)?"""
    opened = _opening(clause, words)
    if _COUNT.match(opened):
        return True
    if words.verb_anywhere is not None:
        return words.verb_anywhere.search(opened) is not None
    tokens = opened.split()
    return bool(tokens) and (tokens[0] in opening or (lang == "de" and _closes_with(tokens[-1], opening)))


def _closes_with(word: str, verbs: Collection[str]) -> bool:
    """Is ``word`` the infinitive of one of ``verbs`` (a German imperative's stem + "en"/"n", a particle before it
    allowed: "eintragen" of "trag")?"""
    stem = word[:-2] if word.endswith("en") else word[:-1] if word.endswith("n") else ""
    return len(stem) > 2 and any(stem.endswith(v.rstrip("e")) and len(v) > 2 for v in verbs)


def told(text: str, lang: str, verbs: Collection[str] = (), asked: Callable[[str], bool] = lambda _: False) -> bool:
    """Does ``text`` tell what happened or how one feels rather than ask for an act? No clause of it is a question
    (a question mark, or ``asked``: the caller's reading of a clause, "..., where is it"), it says a word of the past
    or of a feeling, opens with the speaker (measure_words.toml's subjects), such a word or a filler, and no clause of
    it asks for an act (``asks_for``)."""
    words = _words().get(lang)
    said = text.strip().casefold()
    if words is None or not said or "?" in said or "？" in said or not words.marked.search(said) \
            or any(asked(clause) for clause in [said, *_clauses(said, words.joins)]):
        return False
    subjects = counting(lang).subjects
    first = said.split()[0].strip(",") if lang != "zh" else said
    opens = first in subjects if lang != "zh" else first.startswith(tuple(subjects))
    return (opens or words.opens.match(said) is not None) and not asks_for(said, lang, verbs)


def plain_clauses(text: str, lang: str) -> list[str]:
    """The clauses of ``text`` that say no word of the past or of a feeling and do not open with the speaker: where a
    request said without a verb may stand ("Ich hasse Kochen, *Pizza ins Büro*"), for the caller to read."""
    words = _words().get(lang)
    if words is None:
        return []
    subjects = counting(lang).subjects
    found = []
    for clause in _clauses(text.strip(), words.joins):
        said = _opening(clause.casefold(), words)
        first = said.split()[0] if said.split() else ""
        if said and not words.marked.search(clause.casefold()) and not (first in subjects if lang != "zh" else
                                                           said.startswith(tuple(subjects))):
            found.append(clause)
    return found
