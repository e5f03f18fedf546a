"""Things named like people: the dishes and products the user's partners offer ("Pizza Margherita", "Spaghetti
Carbonara", "Margherita pizza"). The name detectors read two capitalised words, or a first name, as a person; a
vocabulary of thing names, declared by the partners (their catalogues) and handed down by the application layer
(``tandem.app.things``), tells the detectors where a name is a thing's.

A mention of a thing is the whole name of one ("Spaghetti Carbonara", any case), or a run of capitalised words
holding a word that names a kind of them ("Pizza" of "Pizza Margherita" and "Pizza Funghi"), no first name or
frequent surname, and no word the dictionaries do not know ("eine Pizza Hawaii", not "die Pizza Kowalczyk"). A
person's name beside a thing is still a person's ("Bring Anna eine Pizza Hawaii"), and so is a name a title or a
kinship word goes with ("Herrn Fisch", "Mr Duck"): privacy fails closed.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from tandem.privacy.dictionaries import (
    dictionary,
    first_names,
    frequent_surnames,
    german_first_names,
    stop_words,
    world_first_names,
)
from tandem.privacy.word_sets import PERSON_WORDS

if TYPE_CHECKING:
    from tandem.privacy.detect import Finding

__all__ = ["ThingNames", "Things"]

# Words of a script with case: "一份Spaghetti" holds the word "Spaghetti" (Han, kana and Hangul are no part of it).
_CASED = r"[^\W\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
_WORD = re.compile(rf"{_CASED}+(?:['’-]{_CASED}+)*")
# Two capitalised words or more, one space apart (Latin, Greek and Cyrillic capitals).
_CAPITAL_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſΆ-ΫЀ-Я](?:[^\W\d_]|['’-](?=[^\W\d_]))*"
_CAPITALISED_RUN = re.compile(rf"{_CAPITAL_WORD}(?: {_CAPITAL_WORD})+")  # scanned for at C speed: no lookbehind
_CASED_LETTER = re.compile(_CASED)
_FOLDED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_LONGEST = 6  # words of the longest name looked for
_NAMES = frozenset({"PERSON", "PROPER_NOUN"})
_REACH = 40  # characters read back before a finding for the word right before it (longer than any word for a person)


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _a_name(low: str) -> bool:
    """A first name or a frequent surname, as written or without its umlauts ("Müller": the census's Muller)."""
    return any(w in first_names() or w in german_first_names() or w in world_first_names() or w in frequent_surnames()
               for w in {low, low.translate(_FOLDED)})


def _known(low: str) -> bool:
    return any(dictionary(language).knows(low) for language in ("en", "de"))


def _a_noun(low: str) -> bool:
    return low in dictionary("en").common or low in dictionary("de").proper


class ThingNames(Protocol):
    """What the detectors need of a vocabulary of things: ``Things``, or one read again when the partners change."""

    def apart(self, text: str, found: list[Finding]) -> list[Finding]: ...

    def __bool__(self) -> bool: ...


class Things:
    """A vocabulary of thing names. What it knows is worked out on first use (the name lists take seconds to load, and
    a server builds its detectors before it listens).

    ``names`` are those of Tandem's own catalogues; ``declared`` those a partner's manifest declares (its ``things``),
    which any partner may write, a hostile one too: a declared name is read only if no word of it may name a person
    (``_declarable``), and only its dictionary words make kinds."""

    def __init__(self, names: Iterable[str], declared: Iterable[str] = ()) -> None:
        self._given = tuple(names)
        self._declared = tuple(declared)

    @property
    def given(self) -> tuple[str, ...]:
        """The names of Tandem's own catalogues, as given."""
        return self._given

    @functools.cached_property
    def names(self) -> frozenset[tuple[str, ...]]:
        """The names of two words or more, as lower-cased words. A name of one word is left out: a brand is often a
        surname (a drugstore named "Müller"), and a person's name alone ("Paul Smith") too: a partner's product
        cannot make a person's name a thing."""
        return self._own_names | self._declared_names

    @functools.cached_property
    def _own_names(self) -> frozenset[tuple[str, ...]]:
        kept = {tuple(m.group().lower() for m in _words(name)) for name in self._given}
        return frozenset(w for w in kept if 1 < len(w) <= _LONGEST and not all(map(_a_name, w)))

    @functools.cached_property
    def _declared_names(self) -> frozenset[tuple[str, ...]]:
        """A partner's names that may name no one (``_declarable``) and hold a word Tandem knows for a thing (review
        R22-1: a person whose given name no list holds, "Aarav Sharma", was a declarable "thing")."""
        return frozenset(w for w in {tuple(m.group().lower() for m in _words(name)) for name in self._declared}
                         if _declarable(w) and any(map(self._thing_word, w)))

    @functools.cached_property
    def _own_vocabulary(self) -> frozenset[str]:
        return frozenset(w for words in self._own_names for w in words)

    def _thing_word(self, low: str) -> bool:
        """A word that names a thing wherever it stands: one of Tandem's own catalogues' or a noun of a dictionary (an
        English entry in lower case, a German one capitalised: "latte", "Torte"; not the German verb "malte", which
        the given name Malte is spelt as), no function word, no name, no word for a person."""
        return (low not in stop_words("en", "de") and low not in PERSON_WORDS and not _a_name(low)
                and (low in self._own_vocabulary or _a_noun(low)))

    @functools.cached_property
    def kinds(self) -> frozenset[str]:
        """Lower-case words of two names or more, of no person and no function word ("pizza"). A kind names several
        things ("Pizza Margherita", "Pizza nach Sichuan-Art"); a word of one name is a brand's or a maker's ("Linde",
        "Sonne"), which a surname may be too."""
        return _kinds(self._own_names) | frozenset(w for w in _kinds(self._declared_names) if _known(w))

    @functools.cached_property
    def _vocabulary(self) -> frozenset[str]:
        return frozenset(w for words in self.names for w in words)

    def _may_name(self, found: str) -> bool:
        return any(m.group().lower() in self._vocabulary for m in _WORD.finditer(found))

    def __bool__(self) -> bool:
        return bool(self._given or self._declared)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` names one of the things, or a thing of a known kind."""
        if not self:
            return []
        return [(start, end) for start, end, _ in self._whole(_words(text))] + self._of_a_kind(text)

    @functools.cached_property
    def _lengths(self) -> dict[str, frozenset[int]]:
        """The lengths, in words, of the names that begin with each word: most words begin none."""
        lengths: dict[str, set[int]] = {}
        for words in self.names:
            lengths.setdefault(words[0], set()).add(len(words))
        return {word: frozenset(n) for word, n in lengths.items()}

    def _whole(self, words: list[re.Match[str]]) -> list[tuple[int, int, bool]]:
        """Where a whole name stands, and whether it is one of Tandem's own catalogues'."""
        lows = [w.group().lower() for w in words]
        return [(words[i].start(), words[i + n - 1].end(), tuple(lows[i:i + n]) in self._own_names)
                for i, low in enumerate(lows) for n in self._lengths.get(low, ()) if tuple(lows[i:i + n]) in self.names]

    def _of_a_kind(self, text: str) -> list[tuple[int, int]]:
        """Runs of capitalised words (one space apart) holding a kind and no person's name: "Pizza Hawaii"; a function
        word ends a run ("Zwei Pizza Salami": "Pizza Salami")."""
        spans: list[tuple[int, int]] = []
        function_words = stop_words("en", "de")
        for found in _CAPITALISED_RUN.finditer(text):
            if found.start() and _CASED_LETTER.match(text, found.start() - 1):  # "McDonald": no word's start
                continue
            run: list[re.Match[str]] = []
            for word in [*_WORD.finditer(text, found.start(), found.end()), None]:
                if word is not None and word.group().lower() not in function_words:
                    run.append(word)
                    continue
                if len(run) > 1 and self._a_thing([w.group().lower() for w in run]):
                    spans.append((run[0].start(), run[-1].end()))
                run = []
        return spans

    def _a_thing(self, lows: list[str]) -> bool:
        """A kind and words a dictionary knows, none a person's name: "Pizza Hawaii", "Pizza Salami"; an unknown word
        may be a surname ("Pizza Kowalczyk")."""
        return (any(w in self.kinds for w in lows) and not any(map(_a_name, lows))
                and not any(w in PERSON_WORDS for w in lows) and all(w in self.kinds or _known(w) for w in lows))

    def apart(self, text: str, found: list[Finding]) -> list[Finding]:
        """``found`` without the names that lie within a mention of a thing."""
        if not self or not any(f.category in _NAMES and self._may_name(f.text) for f in found):
            return found  # most texts: no finding holds a word of any thing's name
        whole = self._whole(_words(text))
        own = [(start, end) for start, end, mine in whole if mine] + self._of_a_kind(text)
        every = own + [(start, end) for start, end, mine in whole if not mine]
        return [f for f in found if f.category not in _NAMES or _addressed(text, f) or not (
            _within(text, f, own) or (_within(text, f, every) and self._names_a_thing(f.text)))]

    def _names_a_thing(self, found: str) -> bool:
        """Whether a name finding holds a thing word: within a partner's declared name, a finding of no such word is a
        person's name beside it ("Ruf Kasimir Zebrowski morgen an" with "Kasimir Zebrowski Morgen" declared)."""
        return any(self._thing_word(m.group().lower()) for m in _WORD.finditer(found))


def _kinds(names: frozenset[tuple[str, ...]]) -> frozenset[str]:
    function_words = stop_words("en", "de")
    shared = Counter(w for words in names for w in set(words))
    return frozenset(w for w, count in shared.items() if count > 1 and len(w) > 2 and w not in function_words
                     and w not in PERSON_WORDS and not _a_name(w))


def _declarable(words: tuple[str, ...]) -> bool:
    """A partner's name for a thing, as lower-cased words, that may name no one: two words or more, none (nor a part of
    one) a given name, a frequent surname or a word for a person ("Spaghetti Arrabbiata", "Caffè Latte"; not "Anna
    Kowalczyk", "Anna-Lena Kowalczyk", "Herr Müller", "Mama Pizza" or "Apple Watch": Apple is a given name too).
    Tandem's own catalogues may name a dish after a person ("Pizza Margherita"); a partner's declaration cannot take a
    person's name from anyone (fail closed)."""
    parts = [part for w in words for part in _JOINED.split(w)]  # "Anna-Lena", "O'Brien": each part too
    return 1 < len(words) <= _LONGEST and not any(_a_name(w) or w in PERSON_WORDS for w in [*words, *parts])


_JOINED = re.compile(r"['’-]")


def _addressed(text: str, finding: Finding) -> bool:
    """Whether a word that says a person is meant ("Herrn", "Frau", "Mr") is, or is right before, the finding: "Herrn
    Fisch" and "Mr Duck" are people whatever the menu holds (review R21-2)."""
    before = _words(text[max(0, finding.start - _REACH):finding.start])[-1:]  # a window: each finding read once
    return any(w.group().lower() in PERSON_WORDS for w in [*before, *_WORD.finditer(text, finding.start, finding.end)])


def _within(text: str, finding: Finding, spans: list[tuple[int, int]]) -> bool:
    """Whether every word of ``finding`` but function words ("Zwei Pizza Salami") lies in a thing's mention."""
    function_words = stop_words("en", "de")
    inside = [w for w in _WORD.finditer(text, finding.start, finding.end) if w.group().lower() not in function_words]
    return bool(spans) and all(any(s <= w.start() and w.end() <= e for s, e in spans) for w in inside)

