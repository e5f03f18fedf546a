"""A sentence reworded as the examples say a request: the learned tier's other views of a sentence it reads as none of
these (without its time words, without the words that put it as a plea), and a German request put in the familiar
imperative the examples are written in. Word lists in chat_examples.toml ``[frames]``."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tandem.agent.counts import counting
from tandem.agent.intents import IntentSpec
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.templates import Part, parse_example

__all__ = ["familiar", "informal", "unframed", "untimed", "views"]

_CHAT_FILE = Path(__file__).with_name("chat_examples.toml")
# What the time words of a sentence are read against when only the words around them matter (``untimed``).
_SOME_DAY = dt.datetime(2026, 1, 5, 12, 0)


def untimed(text: str, lang: str | None = None) -> str | None:
    """``text`` with its date and time words cut (``slots.extract_when``), or None when it says no time. The tier's
    second view of a sentence it reads as none of these: which capability is asked for does not depend on when, and
    e5 places "remind me to water the plants tomorrow at 7" by its time words as much as by its request."""
    rest = extract_when(text, _SOME_DAY, lang or detect_language(text))[1].strip(" ,，")
    return rest if rest and rest != text else None


@cache
def _frames() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """chat_examples.toml's ``[frames]``: per language, the words that put a request as a question or a plea (heads)
    and what may close it (tails), longest first."""
    data = tomllib.loads(_CHAT_FILE.read_text(encoding="utf-8")).get("frames", {})
    return {lang: (tuple(sorted(said.get("head", ()), key=len, reverse=True)),
                   tuple(sorted(said.get("tail", ()), key=len, reverse=True))) for lang, said in data.items()}


def _cut(text: str, words: Sequence[str], *, head: bool) -> str | None:
    """``text`` without the first of ``words`` it begins (``head``) or ends with, as whole words outside Chinese;
    None when it has none of them."""
    lowered = text.lower()
    for said in words:
        found = lowered.startswith(said) if head else lowered.endswith(said)
        beside = text[len(said):len(said) + 1] if head else text[-len(said) - 1:-len(said)]
        if found and (not beside or not beside.isalnum() or "\u4e00" <= said[0 if head else -1] <= "\u9fff"):
            return text[len(said):] if head else text[:-len(said)]
    return None


def unframed(text: str, lang: str | None = None) -> str | None:
    """``text`` without the words that put it as a question or a plea ("Könnten Sie ... eintragen?", "能帮我...吗？",
    chat_examples.toml's ``[frames]``), or None when it does not begin with one. The tier's third view of a sentence
    it reads as none of these: e5 places "could you ...?" near the questions it learned as chat."""
    heads, tails = _frames().get(lang or detect_language(text), ((), ()))
    rest = _cut(text.strip(), heads, head=True)
    if rest is None:
        return None
    rest = rest.strip(" ,，").rstrip("?？.!！。 ")
    rest = (_cut(rest, tails, head=False) or rest).strip(" ,，").rstrip("?？.!！。 ")
    return rest or None


@cache
def _formal() -> dict[str, tuple[str, tuple[str, ...], frozenset[str], frozenset[str]]]:
    """chat_examples.toml's ``formal`` pronoun, infinitive ``endings``, infinitive ``markers`` and the ``helpers``
    that make an infinitive at the end part of their clause, per language (where it has the first two)."""
    data = tomllib.loads(_CHAT_FILE.read_text(encoding="utf-8")).get("frames", {})
    return {lang: (said["formal"].casefold(), tuple(sorted(said["endings"], key=len, reverse=True)),
                   frozenset(m.casefold() for m in said.get("markers", ())),
                   frozenset(h.casefold() for h in said.get("helpers", ())))
            for lang, said in data.items() if said.get("formal") and said.get("endings")}


def familiar(intents: Sequence[IntentSpec], lang: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The verbs ``intents``' examples in ``lang`` open with (the familiar imperatives they are written in: "buch",
    "trag", "erinnere"), and each with a word an example that opens with it closes with (a separable verb's
    particle: "trag ... *ein*", not "bestell ... ab": "abbestellen" is no order)."""
    parsed = [parse_example(example) for spec in intents for example in spec.examples.get(lang, ())]
    return (frozenset(w for parts in parsed for w in _edge(parts, first=True)),
            frozenset((verb, close) for parts in parsed for verb in _edge(parts, first=True)
                      for close in _edge(parts, first=False)))


def _edge(parts: Sequence[Part], *, first: bool) -> set[str]:
    """The words an example's ``parts`` may open (``first``) or close with, casefolded; none at a parameter."""
    found: set[str] = set()
    for part in parts if first else reversed(parts):
        if part.kind == "text" and part.text.strip():
            words = part.text.casefold().split()
            return found | set(words[:1] if first else words[-1:])
        if part.kind == "text":
            continue
        if part.kind != "choice":
            return found
        for option in part.options:
            found |= _edge(option, first=first)
        if not part.optional:
            return found
    return found


def informal(text: str, lang: str, verbs: tuple[frozenset[str], frozenset[tuple[str, str]]]) -> str | None:
    """``text`` said as the examples say a request, in the familiar imperative of one of their ``verbs``
    (``familiar``), or None when it is said otherwise. The examples are written to the user as "du"; two forms of
    a German request are not: the formal imperative ("Buchen Sie mir zwei Karten für Dune" -> "buch mir zwei Karten
    für Dune", "sie" in any case) and the infinitive at the end ("Termin mit dem Vermieter am Freitag eintragen" ->
    "trag Termin mit dem Vermieter am Freitag ein", its particle where the examples close). Which verb, and whether
    a form is a verb at all, is the examples' data: a verb they never open with ("Nehmen Sie ...": "nimm") is left, and
    so is a sentence with its subject ("wir wollen heute Pizza bestellen"; measure_words.toml's subjects) and an
    infinitive after its marker ("Macht es Sinn, jetzt Pizza zu bestellen": no command; review R18-7) or after a
    helper verb or a subject ("Kannst du mir eine Pizza bestellen", "Er möchte zwei Karten kaufen"; review RR-1)."""
    found = _formal().get(lang)
    said = text.strip().rstrip(".!")
    words = said.split()
    if found is None or len(words) < 2 or said.endswith("?"):
        return None
    pronoun, endings, markers, helpers = found
    if words[1].casefold() == pronoun:
        verb = _familiar_verb(words[0], endings, verbs, particle=False)
        return " ".join([verb[0], *words[2:]]) if verb else None
    if any(w.casefold() in counting(lang).subjects for w in words):  # "wir wollen Pizza bestellen": said by someone
        return None
    if words[-2].casefold() in markers or any(w.casefold() in helpers for w in words[:-1]):
        return None  # "Macht es Sinn, Pizza zu bestellen", "Kannst du mir eine Pizza bestellen": another verb's clause
    verb = _familiar_verb(words[-1], endings, verbs, particle=True)
    return " ".join([verb[0], *words[:-1], *verb[1:]]) if verb else None


def _familiar_verb(word: str, endings: Sequence[str], verbs: tuple[frozenset[str], frozenset[tuple[str, str]]], *,
                   particle: bool) -> tuple[str, ...] | None:
    """The familiar imperative of the infinitive ``word`` among ``verbs``' openings (its stem, or its stem and one
    letter: "buchen" -> "buch", "erinnern" -> "erinnere"), with the particle it leads with when ``particle`` allows
    one that an example opening with that verb closes with ("eintragen" -> "trag", "ein"); None when the examples
    open with no such verb."""
    lowered = word.casefold()
    for ending in (e for e in endings if lowered.endswith(e) and len(lowered) > len(e) + 1):
        stem = lowered[:-len(ending)]
        for at in range(len(stem) - 1) if particle else (0,):
            lead, rest = stem[:at], stem[at:]
            verb = next((v for v in sorted(verbs[0]) if (v == rest or (v.startswith(rest) and len(v) == len(rest) + 1))
                         and (not lead or (v, lead) in verbs[1])), None)
            if verb is not None:
                return (verb, lead) if lead else (verb,)
    return None


def views(text: str, lang: str | None = None) -> list[str]:
    """The tier's other readings of ``text`` (``untimed``, ``unframed``, and both), each said once."""
    lang = lang or detect_language(text)
    plain = unframed(text, lang)
    found = [untimed(text, lang), plain, untimed(plain, lang) if plain else None]
    return [view for view in dict.fromkeys(found) if view is not None]
