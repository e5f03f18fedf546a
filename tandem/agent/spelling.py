"""A request read in the spelling its language's data is written in: Chinese in simplified characters ("幫我訂一張" →
"帮我订一张": OpenCC's t2s, language_words.toml ``spelling.zh.converter``; Whisper's transcripts are simplified the
same way), German words typed without their umlauts as the words they are ("ich moechte drei Doener ins Buero", "eine
Karte fur Dune": language_words.toml ``spelling``). Only the words listed there are respelled: a dish, a title or a
name ("Doener", "Goethe") is kept as typed. Values are read from the respelled text, so a traditional-Chinese title or
dish reaches the partners simplified, as their catalogs are. ``as_typed`` gives back as typed only the user's own words
(``IntentSpec.own_text``: a note's text, a reminder's to-do, an appointment's title): giving back every value made the
partners' searches fail (51b34bf, reverted in 152b333, reread26 H4).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tandem.agent.words import load

if TYPE_CHECKING:
    from tandem.agent.clauses import Intent
    from tandem.agent.intents import IntentSpec

WORDS_FILE = Path(__file__).with_name("language_words.toml")

__all__ = ["as_typed", "respelled", "typed_back"]


@cache
def _typed(lang: str) -> dict[str, str]:
    """Each ``spelling`` word of ``lang`` as it is also typed (lower case) → the word: every letter of ``letters`` in
    it written with each of its stand-ins; a stand-in of one letter never spells a word of ``own``."""
    data: dict[str, Any] = load(WORDS_FILE).get("spelling", {}).get(lang, {})
    letters: dict[str, list[str]] = data.get("letters", {})
    own = set(data.get("own", ()))
    typed: dict[str, str] = {}
    for word in data.get("words", ()):
        forms = {word}
        for letter, stand_ins in letters.items():
            forms = {f.replace(letter, s) for f in forms for s in [letter, *stand_ins]}
        for form in forms - {word}:
            if form not in own:
                typed.setdefault(form, word)
    return typed


@cache
def _long(lang: str) -> dict[str, str]:
    """The forms of ``_typed`` that write a letter with two ("ue"): typed so in any case ("Buero")."""
    letters = load(WORDS_FILE).get("spelling", {}).get(lang, {}).get("letters", {})
    two = [s for stand_ins in letters.values() for s in stand_ins if len(s) > 1]
    return {form: word for form, word in _typed(lang).items()
            if any(s in form for s in two) and not any(letter in form for letter in letters)}


@cache
def _converter(lang: str) -> Any:
    """OpenCC's converter ``lang``'s data names (``spelling.<lang>.converter``); None where it names none or the
    package is missing (a base dependency; without it the text is read as typed)."""
    name = load(WORDS_FILE).get("spelling", {}).get(lang, {}).get("converter")
    if not name:
        return None
    try:
        from opencc import OpenCC
    except ImportError:
        return None
    return OpenCC(name)


def respelled(text: str, lang: str) -> str:
    """``text`` in its language's written form (see the module's docstring); as it is where nothing is respelled."""
    if (converter := _converter(lang)) is not None:
        return str(converter.convert(text))
    typed = _typed(lang)
    if not typed:
        return text
    long = _long(lang)

    def word(found: re.Match[str]) -> str:
        said = found.group()
        known = typed.get(said) if said.islower() else long.get(said.casefold())
        if known is None:
            return said
        return known[:1].upper() + known[1:] if said[:1].isupper() else known

    return re.sub(r"(?<![\w-])\w+(?![\w-])", word, text)


def typed_back(slots: dict[str, Any], read: str, typed: str) -> dict[str, Any]:
    """``slots`` read from ``read`` (``respelled(typed, lang)``) with each text value said as it was typed: in Chinese
    the characters at the same place in ``typed`` ("奥本海默" of "帮我订一张《奥本海默》" → "奧本海默": OpenCC's t2s
    writes one character for one), elsewhere each respelled word as typed ("ändere" → "aendere": ``respelled`` changes
    whole words only). Other values (a count, "office", a value the reading made up) stay as read."""
    if read == typed:
        return slots
    out = dict(slots)
    if len(read) == len(typed):
        for key, value in slots.items():
            if isinstance(value, str) and value and (at := read.find(value)) >= 0:
                out[key] = typed[at:at + len(value)]
        return out
    said, wrote = re.findall(r"\w+", read), re.findall(r"\w+", typed)
    if len(said) != len(wrote):
        return slots
    changed = {s: w for s, w in zip(said, wrote, strict=True) if s != w}
    for key, value in slots.items():
        if isinstance(value, str) and changed:
            out[key] = re.sub(r"\w+", lambda found: changed.get(found.group(), found.group()), value)
    return out


def as_typed(intents: Iterable[Intent], specs: Iterable[IntentSpec], typed: str, lang: str) -> tuple[Intent, ...]:
    """``intents`` read from ``typed`` once respelled (``respelled``, ``repairs.taken_back``) with the user's own words
    given back as typed (``typed_back`` on each capability's ``IntentSpec.own_text`` only): '記一下：乾隆皇帝的書在書房'
    is noted in traditional characters, while '幫我點兩份餃子' still orders 饺子, as the partner's menu writes it."""
    found = tuple(intents)
    read = respelled(typed, lang)
    if read == typed:
        return found
    own = {spec.name: spec.own_text for spec in specs}
    out = []
    for intent in found:
        mine = {k: v for k, v in intent.slots.items() if k in own.get(intent.name, ())}
        out.append(replace(intent, slots={**intent.slots, **typed_back(mine, read, typed)}) if mine else intent)
    return tuple(out)
