"""The learned tier: which capability, if any, does a sentence ask for? A multilingual sentence-embedding
model (e5 on the device) places the sentence among the spelled-out examples of every installed
capability and among examples of chat (questions, small talk). The nearest examples vote; a sentence
closest to chat, or not close enough to anything, is "none of these" and is answered as chat.

    tier = LearnedTier(E5Embedder(), intents)
    tier.classify("I'd like 3 tickets for Dune tomorrow")   # Guess("buy_movie_tickets", 0.91, 0.12)

The threshold and margin are calibrated on out-of-scope utterances (bench/understand.py, tuning half).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from tandem.agent.intents import IntentSpec
from tandem.agent.templates import spell_out

__all__ = ["CHAT", "Embedder", "Guess", "LearnedTier", "chat_examples"]

CHAT = "chat"  # the pseudo-capability of questions and small talk
_CHAT_FILE = Path(__file__).with_name("chat_examples.toml")
# Calibrated on the tuning half of bench/understand.py (see docs/results/understanding.md).
THRESHOLD = 0.86
MARGIN = 0.0
_K = 3  # nearest examples per capability that count


class Embedder(Protocol):
    def embed_query(self, texts: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True)
class Guess:
    """The learned tier's answer for one sentence."""

    intent: str | None  # a capability name, or None: chat / none of these
    score: float  # similarity to the chosen capability's nearest examples (0..1)
    margin: float  # how much closer than the runner-up (chat included)


@cache
def chat_examples() -> dict[str, tuple[str, ...]]:
    """Questions and small talk per language: what a request for action is not."""
    data = tomllib.loads(_CHAT_FILE.read_text(encoding="utf-8"))
    return {lang: tuple(found) for lang, found in data["examples"].items()}


_VECTORS: dict[tuple[str, str], Any] = {}  # (embedder, text) -> unit vector, shared by every tier in the process


class LearnedTier:
    """Nearest examples over every installed capability, plus chat, with an explicit "none of these"."""

    def __init__(self, embedder: Embedder, intents: tuple[IntentSpec, ...], *, threshold: float = THRESHOLD,
                 margin: float = MARGIN, cache: Path | None = None) -> None:
        import numpy as np  # comes with the embedding model

        self._np, self.cache = np, cache
        self.embedder, self.threshold, self.margin = embedder, threshold, margin
        self._load_cache()
        self.labels: list[str] = []
        texts: list[str] = []
        for spec in intents:
            for examples in spec.examples.values():
                for example in examples:
                    for said in spell_out(example, 3):
                        texts.append(said)
                        self.labels.append(spec.name)
        for examples in chat_examples().values():
            texts.extend(examples)
            self.labels.extend([CHAT] * len(examples))
        self.matrix = np.stack(self._embed(texts, keep=True))
        self.groups = {label: np.array([i for i, x in enumerate(self.labels) if x == label])
                       for label in dict.fromkeys(self.labels)}

    def _load_cache(self) -> None:
        """Example vectors from an earlier run: embedding every example takes seconds, loading them does not."""
        if self.cache is None or not self.cache.exists():
            return
        name = type(self.embedder).__name__
        try:
            with self._np.load(self.cache, allow_pickle=False) as data:
                for text, vector in zip(data["texts"].tolist(), data["vectors"], strict=True):
                    _VECTORS.setdefault((name, text), vector)
        except (OSError, ValueError, KeyError):  # a damaged cache is rebuilt
            return

    def _embed(self, texts: list[str], *, keep: bool = False) -> list[Any]:
        name = type(self.embedder).__name__
        todo = list(dict.fromkeys(t for t in texts if (name, t) not in _VECTORS))
        for start in range(0, len(todo), 64):
            batch = todo[start:start + 64]
            for text, vector in zip(batch, self.embedder.embed_query(batch), strict=True):
                array = self._np.asarray(vector, dtype="float32")
                _VECTORS[(name, text)] = array / (self._np.linalg.norm(array) or 1.0)
        if todo and keep and self.cache is not None:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            known = list(dict.fromkeys(texts))
            with self.cache.open("wb") as out:
                self._np.savez(out, texts=self._np.array(known),
                               vectors=self._np.stack([_VECTORS[(name, t)] for t in known]))
        return [_VECTORS[(name, t)] for t in texts]

    def scores(self, text: str) -> dict[str, float]:
        """Each label's mean similarity over its ``_K`` nearest examples."""
        (query,) = self._embed([text])
        similarity = self.matrix @ query
        return {label: float(self._np.sort(similarity[rows])[-_K:].mean()) for label, rows in self.groups.items()}

    def classify(self, text: str) -> Guess:
        """The capability the sentence asks for, or ``Guess(None, ...)`` for chat and anything unclear."""
        ranked = sorted(self.scores(text).items(), key=lambda item: item[1], reverse=True)
        (best, score), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
        if best == CHAT or score < self.threshold or score - runner_up < self.margin:
            return Guess(None, score, score - runner_up)
        return Guess(best, score, score - runner_up)
