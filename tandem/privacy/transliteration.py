"""Names no context marks: a run of characters that reads like a person's name, by character statistics.

A foreign name written in Chinese characters (比猜, 猜亚瓦, 阿来) has no surname, often no cue word, and the
segmenter's dictionary does not know it, so it falls apart into single characters or a word the HMM made
up; the taggers miss it when the sentence around it is ordinary news prose. What gives it away is its
characters: transliteration draws on a small set of them in typical sequences (猜, 瓦, 阿, 布, 尔, 斯…).

Three character bigram models (each bigram interpolated with its unigram, unigrams add-half) give the
probability of a string as a person's name (begin and end markers included), as a place's or an
organisation's name, and as ordinary text. A string is a name when it is at least ``THRESHOLD`` (natural
log) more likely as a person's name than both as text and as a place: ``score``. Candidates are the
substrings (2-8 characters) of runs of Han words that are no ordinary dictionary word: single characters,
words the dictionary does not know (the HMM made them up), and words it files as a name, place or other
proper noun; overlapping candidates keep the highest score.

The counts (``zh_transliteration.tsv.gz``, gzipped text) are built by ``bench/pii_translit_zh.py`` from the
persons, places and organisations of MSRA's training file and the rest of its text, leaving out the held-out
eighth (``bench/pii_train_zh.held``), so that part stays a fair tuning set, and every sentence also found in
the test file. ``THRESHOLD`` was chosen on that held-out part (``bench/pii_translit_zh.py`` prints the curve):
with it, the persons the whole detector leaves with no character covered there fall from 24 to 14 of 2,228,
for 108 spans of false alarm on text nothing else had covered (6,264 sentences). MSRA is a research corpus
(as for the CRF: docs/privacy.md, "a licence risk"); ``--train-file`` builds the table from another corpus.

A false alarm costs a placeholder the cloud sees instead of a word (an idiom, a rare place). A missing
table raises ``PolicyDenied``: Chinese text is then not sent (privacy fails closed).
"""

from __future__ import annotations

import gzip
import re
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from tandem.errors import PolicyDenied

__all__ = ["TABLE", "THRESHOLD", "Counts", "Transliterations", "best_first", "read_table", "write_table"]

TABLE = Path(__file__).with_name("zh_transliteration.tsv.gz")
# How much more likely (natural log) a string must be as a person's name than as text and as a place.
THRESHOLD = 3.0
BEGIN, END = "^", "$"  # markers of a name's edges in the person and place models
MODELS = ("person", "place", "text")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
# Words a name may be read across: the dictionary files them as names, places or other proper nouns.
_PROPER = frozenset({"nr", "nrt", "nrfg", "ns", "nz"})
_LONGEST = 8
_MIX = 2.0  # how much weight a bigram's unigram back-off gets (in counts)

Counts = dict[str, Counter[str]]  # model -> unigram and bigram counts


def write_table(counts: Counts, path: Path, note: str) -> None:
    """The counts as ``model<TAB>gram<TAB>count`` lines under a ``#`` note saying where they come from."""
    lines = [f"# {line}" for line in note.splitlines()]
    lines += [f"{model}\t{gram}\t{n}" for model in MODELS for gram, n in sorted(counts[model].items())]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))


def read_table(path: Path) -> Iterator[tuple[str, str, int]]:
    """The table's (model, gram, count) rows, read as a stream (the table is 4 MB of text)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                model, gram, n = line.rstrip("\n").split("\t")
                yield model, gram, int(n)


def _pair(before: str, char: str) -> int:
    return (ord(before) << 21) | ord(char)


class _Model:
    """One bigram model: log P(char | previous char), interpolated with an add-half unigram. The pairs are two
    sorted arrays (a pair's code, its count): 10 MB resident for the three models, where dicts took 40."""

    def __init__(self, unigrams: dict[str, int], codes: array[int], counts: array[int], vocabulary: int) -> None:
        import numpy as np

        order = np.argsort(np.frombuffer(codes, dtype=np.int64), kind="stable")
        self.unigrams = unigrams
        self.codes = np.frombuffer(codes, dtype=np.int64)[order]
        self.counts = np.frombuffer(counts, dtype=np.int64)[order]
        self.total = sum(n for gram, n in unigrams.items() if gram != BEGIN)
        self.vocabulary = vocabulary

    def unigrams_of(self, chars: Sequence[str]) -> Any:
        import numpy as np

        seen = np.fromiter((self.unigrams.get(c, 0) for c in chars), dtype=np.float64, count=len(chars))
        return (seen + 0.5) / (self.total + 0.5 * self.vocabulary)

    def logs(self, befores: Sequence[str], chars: Sequence[str]) -> Any:
        """log P(chars[k] | befores[k]) for every k, in one pass over the arrays."""
        import numpy as np

        codes = np.fromiter((_pair(b, c) for b, c in zip(befores, chars, strict=True)), dtype=np.int64,
                            count=len(chars))
        at = np.minimum(self.codes.searchsorted(codes), len(self.codes) - 1)
        pairs = np.where(self.codes[at] == codes, self.counts[at], 0)
        given = np.fromiter((self.unigrams.get(b, 0) for b in befores), dtype=np.float64, count=len(befores))
        return np.log((pairs + _MIX * self.unigrams_of(chars)) / (given + _MIX))


class Transliterations:
    """See the module docstring. The table is read on first use (about half a second)."""

    def __init__(self, path: Path | None = None, threshold: float = THRESHOLD) -> None:
        self.path = TABLE if path is None else path  # the module's TABLE when built, so a bench can swap it
        self.threshold = threshold
        self._lock = threading.Lock()
        self._models: dict[str, _Model] = {}

    def _loaded(self) -> dict[str, _Model]:
        with self._lock:
            if not self._models:
                if not self.path.is_file():
                    raise PolicyDenied(f"the Chinese name statistics {self.path.name} are missing",
                                       hint="reinstall tandem, or run bench/pii_translit_zh.py")
                unigrams: dict[str, dict[str, int]] = {model: {} for model in MODELS}
                codes = {model: array("q") for model in MODELS}  # 8 bytes a pair while reading, no tuples
                counts = {model: array("q") for model in MODELS}
                for model, gram, n in read_table(self.path):
                    if len(gram) == 1:
                        unigrams[model][gram] = n
                    else:
                        codes[model].append(_pair(*gram))
                        counts[model].append(n)
                vocabulary = len({g for grams in unigrams.values() for g in grams}) + 1000
                self._models = {model: _Model(unigrams[model], codes[model], counts[model], vocabulary)
                                for model in MODELS}
            return self._models

    def score(self, name: str) -> float:
        """How much more likely (natural log) ``name`` is as a person's name than as text or as a place."""
        return float(self._scores(name)[len(name)][0])

    def _scores(self, run: str) -> dict[int, Any]:
        """For each length n from 2 to 8: the score of every substring run[i:i + n], as an array over i. Each
        model's term for each character is computed once (a run of single characters can be a whole text);
        a substring's log probability is then a difference of running sums."""
        import numpy as np

        models = self._loaded()
        chars, n = list(run), len(run)
        # inner[m][k]: the sum of log P(run[j] | run[j - 1]) for j = 1..k under model m
        inner = {m: np.concatenate(([0.0], np.cumsum(model.logs(chars[:-1], chars[1:]))))
                 for m, model in models.items()}
        first = {m: models[m].logs([BEGIN] * n, chars) for m in ("person", "place")}
        last = {m: models[m].logs(chars, [END] * n) for m in ("person", "place")}
        alone = np.log(models["text"].unigrams_of(chars))
        out = {}
        for length in range(2, min(_LONGEST, n) + 1):
            i = np.arange(n - length + 1)
            j = i + length - 1  # the substring's last character
            as_person = first["person"][i] + inner["person"][j] - inner["person"][i] + last["person"][j]
            as_place = first["place"][i] + inner["place"][j] - inner["place"][i] + last["place"][j]
            as_text = alone[i] + inner["text"][j] - inner["text"][i]
            out[length] = np.minimum(as_person - as_text, as_person - as_place)
        return out

    def spans(self, text: str, tokens: Sequence[tuple[int, str, str]],
              known: Mapping[str, int]) -> list[tuple[int, int]]:
        """(start, end) of the strings of ``text`` that read as names. ``tokens``: the segmenter's (start, word,
        flag); ``known``: its dictionary (word -> frequency)."""
        found: list[tuple[int, int]] = []
        for start, stop in _runs(tokens, known):
            scored = sorted(((float(score), start + i, start + i + length)
                             for length, scores in self._scores(text[start:stop]).items()
                             for i, score in enumerate(scores) if score >= self.threshold), reverse=True)
            found += best_first((i, end) for _, i, end in scored)
        return found


def best_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (start, end), given best first, that overlap no better one, sorted by start. The kept spans are
    disjoint, so of those starting before a span ends only the last can reach into it: one bisection a span,
    not a pass over all kept (a run of 100,000 single characters would otherwise take minutes)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        k = bisect_left(starts, end)
        if k and ends[k - 1] > start:
            continue
        starts.insert(k, start)
        ends.insert(k, end)
    return list(zip(starts, ends, strict=True))


def _runs(tokens: Iterable[tuple[int, str, str]], known: Mapping[str, int]) -> list[tuple[int, int]]:
    """Stretches of Han words that are no ordinary dictionary word, where a name may stand."""
    runs: list[list[int]] = []
    for start, word, flag in tokens:
        if _HAN.match(word) and (len(word) == 1 or not known.get(word) or flag in _PROPER):
            if runs and runs[-1][1] == start:
                runs[-1][1] = start + len(word)
            else:
                runs.append([start, start + len(word)])
    return [(a, b) for a, b in runs if b - a >= 2]
