"""Where a value ends before the words that close its clause: "order a pizza to the office *please*", "bestell eine
Pizza und lass sie ins Büro *liefern*", "Book tickets for Dune *for me and my wife*", "今晚沙丘*一张*电影票".

A template's last value (and a loosely read one) runs to the end of its clause, so without this it would hold them.
What closes a clause is language data (closing_words.toml): polite words, the verbs German puts last and the
direction a Chinese delivery moves in (after a place), who a request is for and a Chinese count after a name (where
the request counts what it gets). ``tandem.agent.ground.ended`` applies it with the next-step cut.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache

from tandem.agent.intents import PLACE_ALIASES
from tandem.agent.words import CLOSING_WORDS, MEASURE_WORDS, alternatives, load, numeral_characters
from tandem.agent.writing import segmenter, writing

__all__ = ["closed", "named_off", "trailing"]


_NONE: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


@cache
def _closing() -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """Per language: the polite words, the asides (closing_words.toml) and the verbs that close a clause."""
    data = load(CLOSING_WORDS)
    return {lang: tuple(tuple(data.get(key, {}).get(lang, ())) for key in ("polite", "asides", "verbs"))  # type: ignore[misc]
            for lang in data["polite"].keys() | data["verbs"].keys()}


def trailing(lang: str) -> str:
    """A clause's closing polite words and asides ("…, please", "bitte", "吧") as a pattern anchored at its end."""
    polite, asides, _ = _closing().get(lang, _NONE)
    words = alternatives(polite + asides)
    if not words:
        return "$^"
    return f"(?:[，,]?(?:{words})|。)+$" if lang == "zh" else f"(?:,? (?:{words}))+$"


def closed(value: str, lang: str, *, place: bool = False, counts: bool = False) -> str:
    """``value`` without the words that close its clause after it (closing_words.toml): polite words written in lower
    case ("office please" → "office"; "Apocalypse Now" stays), and after a place the verbs its clause ends with
    ("Büro liefern lassen" → "Büro", "办公室去" → "办公室"; a word in lower case after a noun in capitals, a number or
    a saved place's name) and, where a language says them after it, the words that ask the way there ("天坛的路").
    Where the request ``counts`` what it gets (tickets, portions, products: a count parameter),
    also those verbs after the thing ("Dune buchen" → "Dune"; Chinese 去/来 only after a place), who it is for ("Dune
    for me and my wife" → "Dune") and, in Chinese, the count after the name ("沙丘一张" → "沙丘"); a to-do keeps them
    ("die Katze füttern", "buy flowers for my wife"). A to-do's or note's text (no place, no count) loses only polite
    words, not the asides it may say itself ("the meeting is now", "去酒吧"). Something of the value is always kept."""
    polite, asides, verbs = _closing().get(lang, _NONE)
    polite += asides if place or counts else ()
    if lang == "zh":  # what is left keeps two characters or names a saved place ("未来" is a word)
        rest, ends = value.strip(), polite + (verbs + _way(lang) if place else ())
        while word := next((w for w in ends if rest.endswith(w) and _noun_ends([rest[:-len(w)].rstrip(" ，,")], 2)
                            and _own_word(rest, w)), None):
            rest = rest[:-len(word)].rstrip(" ，,")
        counted = _count_at_end().search(rest)  # "沙丘一张": the count of what was named, not its name
        return rest[:counted.start()] if counted and counts and not place and _noun_ends([rest[:counted.start()]], 2) \
            else rest
    words, shapes = value.split(), verbs if place or counts else ()  # "Dune buchen": the film, not the to-do's verb
    shapes += _after_place(lang) if place else ()  # "Büro liefern zu lassen"; a title keeps its "zu sterben"
    if place and (asked := _way_cut(words, lang)) < len(words):  # "Zoo am schnellsten", "the zoo how far is it"
        words = [*words[:asked - 1], words[asked - 1].rstrip(",")]
        value = " ".join(words)
    kept = _closing_cut(words, polite, shapes)
    if shapes and lang in load(CLOSING_WORDS).get("capitals", ()) and not _noun_ends(words[:kept]):
        # no noun before the verbs: they may be its words ("alten hafen")
        kept = _closing_cut(words, polite, ())
    kept = _for_whom(words[:kept], lang) if counts and not place else kept
    kept = _goes_to(words[:kept], lang) if counts and not place else kept
    first = _whom_at(words[:kept], lang) if place else 0
    return " ".join(words[first:kept]) if kept < len(words) or first else value


def named_off(value: str, lang: str, counted: bool = False) -> str:
    """``value`` without a word that leads a name said as one at its start (closing_words.toml ``naming``: "called
    team dinner" → "team dinner", "名为年终总结" → "年终总结"), softens the verb before it (``softeners``: "一下
    浇花" → "浇花"), asks whether it is there (``whether``: "有没有无线耳机") or, unless ``counted`` (a thing the
    request counts), opens the clause said as it (``complementisers``: "that the wifi code is 1234"), when something
    is left. In Chinese only a word of its own ("一下午", the whole afternoon, and "一下子", at once, keep theirs)."""
    data = load(CLOSING_WORDS)
    keys = ("naming", "softeners", "whether") + (() if counted else ("complementisers",))
    words = sorted((w for key in keys for w in data.get(key, {}).get(lang, ())), key=len, reverse=True)
    edge = r"\s+" if writing(lang).spaced else r"\s*"
    found = re.match(rf"(?:{alternatives(words)}){edge}", value, re.IGNORECASE) if words else None
    if found and not writing(lang).spaced and len(found.group().strip()) not in _word_ends(value):
        found = None
    rest = value[found.end():].strip() if found else value
    return rest or value


def _word_ends(text: str) -> set[int]:
    """Where the words of Chinese ``text`` end (jieba's segmentation), counted from its start."""
    ends, at = set(), 0
    for word in segmenter().lcut(text):
        at += len(word)
        ends.add(at)
    return ends


@cache
def _way(lang: str) -> tuple[str, ...]:
    """The words after a place that ask the way to it (closing_words.toml ``way``: "天坛*的路*", "颐和园*最快*"),
    longest first."""
    return tuple(sorted(load(CLOSING_WORDS).get("way", {}).get(lang, ()), key=len, reverse=True))


def _way_cut(words: list[str], lang: str) -> int:
    """How many of ``words`` are left once the words that ask the way are taken from their end ("Zoo am schnellsten",
    "Times Square, how do I get there"; closing_words.toml ``way``), whole words in any case (at least one)."""
    said, kept = [w.casefold().strip(",?!.") for w in words], len(words)
    while found := next((w for w in _way(lang) if len(w.split()) < kept
                         and said[kept - len(w.split()):kept] == w.split()), None):
        kept -= len(found.split())
    return kept


def _own_word(text: str, word: str) -> bool:
    """Is ``word`` at the end of Chinese ``text`` a word of its own ("看看他/吧"), not the end of one ("酒吧", "网吧")?
    Only a closing word of one character can end another word; jieba (a dependency for names) tells them apart."""
    return len(word) > 1 or segmenter().lcut(text)[-1] == word


def _for_whom(words: list[str], lang: str) -> int:
    """How many of ``words`` are left once the people the request is for are taken from their end ("Dune for me and
    my wife" → "Dune"; closing_words.toml ``people``)."""
    table = load(CLOSING_WORDS).get("people", {}).get(lang)
    if not table:
        return len(words)
    for lead in (i for i in range(len(words) - 2, 0, -1) if words[i] in table["lead"]):
        at = lead + 1
        while (after := _person(words, at, table)) is not None:
            if after == len(words):
                return lead
            if words[after] not in table["join"]:
                break
            at = after + 1
    return len(words)


def _goes_to(words: list[str], lang: str) -> int:
    """How many of ``words`` name the thing before where it goes is said with people or one of their own ("apples
    *in my cart*", "Äpfel *in meinen Warenkorb*", "pizzas *to us at the office*"; closing_words.toml ``people``
    ``where``)."""
    table = load(CLOSING_WORDS).get("people", {}).get(lang)
    where = (table or {}).get("where", ())
    return next((i for i in range(1, len(words) - 1)
                 if words[i].casefold() in where and _person(words, i + 1, table) is not None), len(words))


def _whom_at(words: list[str], lang: str) -> int:
    """Where a place begins after the people it is for and the word that says they are there ("*us at* the office",
    "*uns ins* Büro"; closing_words.toml ``people`` ``where``): 0 when it begins with no people."""
    table = load(CLOSING_WORDS).get("people", {}).get(lang)
    where = (table or {}).get("where", ())
    said = [w.casefold() for w in words]
    person = next((len(p.split()) for p in sorted((table or {}).get("people", ()), key=len, reverse=True)
                   if said[:len(p.split())] == p.split()), 0)
    return person + 1 if person and len(words) > person + 1 and said[person] in where else 0


def _person(words: list[str], at: int, table: dict[str, list[str]]) -> int | None:
    """Where one person named at ``at`` ends ("me", "both of us", "my wife"), or None."""
    for said in sorted(table["people"], key=len, reverse=True):
        if words[at:at + len(said.split())] == said.split():
            return at + len(said.split())
    return at + 2 if at + 1 < len(words) and words[at] in table["owners"] else None


@cache
def _count_at_end() -> re.Pattern[str]:
    """A Chinese count and measure word (measure_words.toml) ending a value: "沙丘一张", "披萨两份"."""
    measures = alternatives(load(MEASURE_WORDS)["measure"].get("zh", ()))
    return re.compile(rf"(?:\d{{1,3}}|[{numeral_characters('zh', zero=False)}]{{1,3}})(?:{measures})$")


def _closing_cut(words: list[str], polite: tuple[str, ...], verbs: tuple[str, ...]) -> int:
    """How many of ``words`` are left once closing words are taken from their end (at least one)."""
    kept = len(words)
    while kept > 1:
        said = next((p for p in polite if len(p.split()) < kept and words[kept - len(p.split()):kept] == p.split()),
                    None)
        if said is not None:
            kept -= len(said.split())
        elif words[kept - 1].islower() and any(fnmatchcase(words[kept - 1], s) for s in verbs) and \
                words[kept - 1] not in _not_verbs()["adverbs"] and \
                words[kept - 2].casefold() not in _not_verbs()["units"]:
            kept -= 1
        else:
            break
    return kept


@cache
def _after_place(lang: str) -> tuple[str, ...]:
    """Words cut like ``verbs`` from the end of a place only (closing_words.toml ``place_verbs``): an infinitive's "zu"
    ("ins Büro liefern zu lassen"), which a title keeps ("Keine Zeit zu sterben")."""
    return tuple(load(CLOSING_WORDS).get("place_verbs", {}).get(lang, ()))


@cache
def _not_verbs() -> dict[str, frozenset[str]]:
    """Words a verb's shape does not make a verb (closing_words.toml ``not_verbs``): place adverbs, and the units
    after which a word in lower case is the thing counted."""
    table = load(CLOSING_WORDS).get("not_verbs", {})
    return {key: frozenset(w.casefold() for w in table.get(key, ())) for key in ("adverbs", "units")}


def _noun_ends(words: list[str], chinese: int = 0) -> bool:
    """Do ``words`` end in a noun (capitalised), a number or a saved place's name ("büro", "zu hause")? Chinese
    (one string): at least ``chinese`` characters, or a saved place's name ("家")."""
    said = " ".join(words).casefold()
    if said in {a for names in PLACE_ALIASES.values() for a in names}:
        return True
    if chinese:
        return len(said) >= chinese
    return bool(words) and (words[-1][:1].isupper() or any(c.isdigit() for c in words[-1]))
