"""The learned tier's judge: a linear softmax over sentence vectors that says which capability, if any, a sentence asks
for (``tandem.agent.learned`` trains it on the examples' vectors and keeps it beside them), and how its files are
written so that no reader ever sees a torn one."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["CHAT", "NONE", "UNREADABLE", "Judge", "replacing"]

CHAT = "chat"  # the pseudo-capability of questions and small talk
# Out-of-scope groups are labels of their own in training, so that a small group of requests close to a
# capability ("delete my reminders") weighs as much as all of chat; their probabilities count as chat.
NONE = "none:"
# What a torn or foreign cache file raises when read (np.load of a cut .npz raises BadZipFile or EOFError).
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A file written beside ``path`` and renamed over it when complete, so a process reading the cache
    (another ``tandem`` beside ``tandem serve``) or a crash mid-write never leaves a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class Judge:
    """A linear softmax over centred sentence vectors: which label (a capability, ``CHAT``, or an out-of-scope
    group, which count as "none of these") a vector is. Every label weighs the same in training whatever its
    number of examples, so a partner with a handful of examples is not drowned by the many "none" sentences.
    Trained by gradient descent (Adam) in numpy; ``key`` names what it learned from, for the cache."""

    _STEPS, _RATE, _DECAY, _SCALE = 100, 0.05, 1e-3, 10.0  # chosen on the bench's tune half
    # calibrate(): folds of held-out chat examples, the quantile of their capability scores matched across
    # languages (chosen on part A of xSID's tune half), and the largest lift (e^6: 400 times likelier)
    _FOLDS, _QUANTILE, _MAX_LIFT = 4, 0.9, 6.0

    def __init__(self, labels: list[str], centre: Any, weights: Any, key: str,
                 lift: dict[str, Any] | None = None) -> None:
        self.labels, self.centre, self.weights, self.key = labels, centre, weights, key
        self.lift = lift or {}  # language -> how much each label's logit is raised for its sentences (calibrate)

    @classmethod
    def train(cls, vectors: Any, labels: Sequence[str], key: str) -> Judge:
        import numpy as np

        names = list(dict.fromkeys(labels))
        index = {name: i for i, name in enumerate(names)}
        target = np.zeros((len(labels), len(names)), dtype="float32")
        target[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
        share = (target / target.sum(0)).sum(1, keepdims=True) / len(names)  # each label's rows weigh 1/len(names)
        centre = vectors.mean(0)
        features = cls._features(vectors, centre)
        weights = np.zeros((features.shape[1], len(names)), dtype="float32")
        moment, square = np.zeros_like(weights), np.zeros_like(weights)
        for step in range(1, cls._STEPS + 1):
            gradient = features.T @ ((cls._softmax(features @ weights) - target) * share) + cls._DECAY * weights
            moment = 0.9 * moment + 0.1 * gradient
            square = 0.999 * square + 0.001 * gradient * gradient
            weights -= cls._RATE * (moment / (1 - 0.9**step)) / (np.sqrt(square / (1 - 0.999**step)) + 1e-8)
        return cls(names, centre, weights, key)

    @classmethod
    def _features(cls, vectors: Any, centre: Any) -> Any:
        import numpy as np

        shifted = vectors - centre  # e5's vectors all lie in one narrow cone; its centre says nothing
        shifted = shifted / (np.linalg.norm(shifted, axis=-1, keepdims=True) + 1e-8) * cls._SCALE
        return np.concatenate([shifted, np.ones((*shifted.shape[:-1], 1), dtype="float32")], axis=-1)

    @staticmethod
    def _softmax(logits: Any) -> Any:
        import numpy as np

        raised = np.exp(logits - logits.max(-1, keepdims=True))
        return raised / raised.sum(-1, keepdims=True)

    def _logits(self, vectors: Any, lift: Any = 0.0) -> Any:
        return self._features(vectors, self.centre) @ self.weights + lift

    def calibrate(self, vectors: Any, labels: Sequence[str], langs: Sequence[str], threshold: float) -> Judge:
        """Lift, for each language, the capabilities whose examples lack it. e5 places a sentence by its language
        as much as by its meaning, and the only sentences of that language the judge learned from are chat, so
        a German request for a capability declared in English reads as chat. The chat examples of each
        language are scored by judges that did not see them (``_FOLDS`` folds); the logits of the capabilities
        without examples in that language are raised until the quantile ``_QUANTILE`` of these held-out scores
        matches the highest of any language, but never so far that more of its held-out chat is taken for a
        capability at ``threshold`` than in that language or the highest one without a lift. Capabilities
        with examples in a language are never lifted for it: the shipped ones, written in every language,
        keep their calibration."""
        import numpy as np

        written = {label: {lang for lang, said in zip(langs, labels, strict=True) if said == label}
                   for label in self.labels}
        capability = np.array([not (label == CHAT or label.startswith(NONE)) for label in self.labels])
        chat = [i for i, label in enumerate(labels) if label == CHAT and langs[i]]
        if all(langs[i] in written[label] for i in chat for label in self.labels if label != CHAT
               and not label.startswith(NONE)):
            return self  # every capability has examples in every language of the chat examples: nothing to lift
        held: dict[str, list[Any]] = {}  # language -> each held-out chat sentence's logits (this judge's labels)
        for fold in range(self._FOLDS):
            out = chat[fold::self._FOLDS]
            kept = sorted(set(range(len(labels))) - set(out))
            judge = Judge.train(vectors[kept], [labels[i] for i in kept], self.key)
            order = [judge.labels.index(label) for label in self.labels]
            for i, logits in zip(out, judge._logits(vectors[out]), strict=True):
                held.setdefault(langs[i], []).append(logits[order])

        def scored(lang: str, lift: Any) -> tuple[Any, Any]:
            """Each held-out sentence's best capability probability, and whether it would be taken for one."""
            p = self._softmax(np.stack(held[lang]) + lift)
            best = p[:, capability].max(1)
            return best, (best >= threshold) & (best >= p[:, ~capability].sum(1))

        def largest(fits: Any) -> float:
            low, high = 0.0, self._MAX_LIFT
            for _ in range(20):  # bisection: every capability's score rises with the lift
                middle = (low + high) / 2
                low, high = (middle, high) if fits(middle) else (low, middle)
            return low

        seen = [lang for lang, found in held.items() if len(found) >= self._FOLDS]
        if len(seen) < 2:
            return self
        top = max(seen, key=lambda lang: float(np.quantile(scored(lang, 0.0)[0], self._QUANTILE)))
        goal, allowed = float(np.quantile(scored(top, 0.0)[0], self._QUANTILE)), float(scored(top, 0.0)[1].mean())
        lift = {}
        for lang in seen:
            lacking = capability & np.array([lang not in written[label] for label in self.labels])
            if not lacking.any():
                continue
            bar = max(allowed, float(scored(lang, 0.0)[1].mean()))
            found = min(largest(lambda x, lang=lang, lacking=lacking: float(np.quantile(
                            scored(lang, x * lacking)[0], self._QUANTILE)) < goal),
                        largest(lambda x, lang=lang, lacking=lacking, bar=bar: float(
                            scored(lang, x * lacking)[1].mean()) <= bar))
            if found > 0.01:
                lift[lang] = (round(found, 3) * lacking).astype("float32")
        return Judge(self.labels, self.centre, self.weights, self.key, lift)

    def probabilities(self, vector: Any, lang: str | None = None) -> dict[str, float]:
        """Each capability's probability, and ``CHAT``'s: chat and every out-of-scope group together; a sentence
        in ``lang`` gets that language's lift (``calibrate``)."""
        found: dict[str, float] = {}
        for label, p in zip(self.labels, self._softmax(self._logits(vector, self.lift.get(lang or "", 0.0))),
                            strict=True):
            label = CHAT if label.startswith(NONE) else label
            found[label] = found.get(label, 0.0) + float(p)
        return found

    def save(self, path: Path) -> None:
        import numpy as np

        with replacing(path) as out:
            np.savez(out, labels=np.array(self.labels), centre=self.centre, weights=self.weights,
                     key=np.array(self.key), lift_langs=np.array(list(self.lift), dtype=str),
                     lift=np.array(list(self.lift.values()), dtype="float32").reshape(len(self.lift), len(self.labels)))

    @classmethod
    def load(cls, path: Path, key: str) -> Judge | None:
        """The judge saved at ``path`` if it learned from exactly ``key``'s data, else None."""
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != key:
                    return None
                lift = dict(zip(data["lift_langs"].tolist(), data["lift"], strict=True))
                return cls(data["labels"].tolist(), data["centre"], data["weights"], key, lift)
        except UNREADABLE:  # missing or damaged: trained again
            return None
