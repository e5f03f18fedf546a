"""Where a value ends: the next step of a request begins ("披萨，*然后*把它送到办公室") or a word only points back at
another clause's thing ("get *it* delivered"). ``bounded`` ends a value where the next step begins, ``refers_back``
tells a value that only points back from one said in its own right (next_step.toml, refer_back.toml).
"""

from __future__ import annotations

import re
from functools import cache

from tandem.agent.skills import fold
from tandem.agent.words import CLAUSE_WORDS, MEASURE_WORDS, NEXT_STEP, REFER_BACK, alternatives, load
from tandem.agent.writing import writing

__all__ = ["bounded", "pointers", "refers_back", "words_of"]


@cache
def pointers() -> dict[str, frozenset[str]]:
    data = load(REFER_BACK)
    return {lang: frozenset(fold(w) for w in words) for lang, words in data["words"].items()}


def refers_back(value: object, lang: str) -> bool:
    """Is ``value`` only a word that points back at what another clause said ("it", "es", "它", "这个"), not a
    value of its own? (Case, spaces and punctuation aside; a language with no list refers back with no word.)"""
    said = fold(str(value))
    return bool(said) and said in pointers().get(lang, frozenset())


def words_of(value: str, lang: str) -> list[str]:
    return re.findall(r"\w+", value.casefold()) if writing(lang).spaced else []


def _has_words(value: str, words: frozenset[str], lang: str) -> bool:
    """Does ``value`` say one of ``words`` as whole words (up to three in a row; not for Chinese)?"""
    tokens = words_of(value, lang)
    return any(" ".join(tokens[i:i + n]) in words for n in (1, 2, 3) for i in range(len(tokens)))


@cache
def _runs_on() -> dict[str, frozenset[str]]:
    """Per language: the words a dictated to-do or note runs on over when no pause stands before them (clause_words.toml
    `runs_on`, which ``clauses.cut`` does not cut at either): "提醒我明天七点坐公交然后去医院" is one to-do."""
    data = load(CLAUSE_WORDS).get("runs_on", {})
    return {lang: frozenset(w.casefold() for w in words) for lang, words in data.items()}


@cache
def _steps() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """Per language: where the next step of a request begins, and where it begins in a dictated to-do or note (not
    at the `again` words without a pause: "提醒我给妈妈买一个杯子顺便买点水果" is one to-do)."""
    data = load(NEXT_STEP)
    found: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
    for lang in data["anywhere"].keys() | data["after_pause"].keys():
        anywhere, paused, again, request = (alternatives(data.get(key, {}).get(lang, ()))
                                            for key in ("anywhere", "after_pause", "again", "request"))
        edge, spaced = writing(lang).edge, writing(lang).spaced
        options = ([f",?\\s*{edge[0]}(?:{anywhere}){edge[1]}" if spaced else f"[,，;；、]?\\s*(?:{anywhere})"]
                   if anywhere else []) + ([f"[,，;；]\\s*(?:{paused}){edge[1]}"] if paused else [])
        pauseless = [f"{edge[0]}(?:{again})(?=\\s*(?:{request}){edge[1]})"] if again and request else []
        found[lang] = (re.compile("|".join(options + pauseless), re.IGNORECASE),
                       re.compile("|".join(options) or "$^", re.IGNORECASE))
    return found


def bounded(value: str, lang: str, *, dictated: bool = False) -> str | None:
    """``value`` up to where the next step of the request begins ("披萨，然后把它" → "披萨", "Pizza und lass sie" →
    "Pizza") when that step only points back at it; None when the value runs into a step of its own ("pizza and
    then call mom": a second request, no value); the value itself when it holds no step (one needs words on both
    sides: "Now and Then" and "Then She Found Me" are titles). A ``dictated`` value (a to-do, a note: no count, no
    place) runs on over 再/顺便 said without a pause ("给妈妈买一个杯子顺便买点水果"), and over the step words a
    dictated to-do runs on over where a sentence is cut (``_runs_on``: "坐公交然后去医院", review29 R29-12)."""
    steps = _steps().get(lang)
    step = None if steps is None else steps[1] if dictated else steps[0]
    runs_on = _runs_on().get(lang, frozenset()) if dictated else frozenset()
    for found in step.finditer(value) if step is not None else ():
        if found.group().strip().casefold() in runs_on:  # said without a pause: a pause before it still cuts
            continue
        before, after = value[:found.start()].strip(" ,，;；、"), value[found.end():].strip(" ,，;；、")
        if before and after:
            return before if _points_at(after, lang) else None
    return value


def _points_at(step: str, lang: str) -> bool:
    """Does the next ``step`` of a request point back at the thing before it ("lass *sie* liefern", "把*它*送到")?
    In Chinese a pointer that ends in a measure word and goes on into a word that begins no step counts a thing of
    its own ("顺便买一个杯子": a cup; "再买一个", "把这个送到" point back)."""
    words = pointers().get(lang, frozenset())
    if writing(lang).spaced:
        return _has_words(step, words, lang)
    measures = tuple(load(MEASURE_WORDS)["measure"].get(lang, ()))
    begins = tuple(load(NEXT_STEP).get("request", {}).get(lang, ()))
    return any(not (word.endswith(measures) and rest and not rest.startswith(begins))
               for word in words for found in re.finditer(re.escape(word), step)
               for rest in (step[found.end():],))
