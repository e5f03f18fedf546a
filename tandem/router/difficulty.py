"""How likely is the on-device model to answer badly? A small learned router, run on the device.

A logistic regression over hashed word and word-pair features plus a few shape features (length,
digits, maths, code). It was trained on public per-prompt correctness labels (RouteLLM's MMLU and GSM8K
responses: a prompt is "hard" when the weaker model got it wrong); ``bench/train_difficulty.py``
retrains it and writes ``difficulty_weights.npz`` (package data). Scoring is a sparse dot product: microseconds.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from tandem.types import ChatRequest

__all__ = ["BUCKETS", "WEIGHTS", "DifficultyEstimator", "featurize", "load_estimator", "prompt_text", "train"]

BUCKETS = 1 << 13
_DENSE = 6
# Run on lower-cased text. Spelled out instead of re.I (which makes the scan ~20 % slower): the letters a
# case-insensitive [a-z] also took after lower-casing are the dotless ı and the long ſ.
_WORD = re.compile(r"[a-zıſ]+|\d+|[\u3400-\u9fff]|[^\sa-zıſ\d]")
_DIGIT = re.compile(r"\d")
# Substring counts, not regexes: str.count runs in C and keeps scoring far below a millisecond.
_MATH_CHARS = "=+*/^√∑∫<>"
_MATH_WORDS = ("solve", "calculate", "prove", "how many", "probability")
_CODE_MARKS = ("```", "def ", "class ", "function ", "};", "#include", "import ")


def prompt_text(request: ChatRequest) -> str:
    """The text the estimate is about: the last user turn (earlier turns matter less and cost time)."""
    for message in reversed(request.messages):
        if message.role == "user" and message.content:
            return message.content
    return ""


def _hash(token: str) -> int:
    """Not cached: a cache's keys would be the words of past prompts, which an erasure must remove and a
    request in flight could store again after it; crc32 of a word costs 0.12 us, a cache hit 0.06."""
    return zlib.crc32(token.encode("utf-8"))


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` (sorted, each once) as int64, without its general-purpose overhead (3x faster here)."""
    ordered = np.sort(values)
    if len(ordered) > 1:
        ordered = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return ordered.astype(np.int64)


def featurize(text: str) -> tuple[np.ndarray, list[float]]:
    """Hashed unigram/bigram indices, and the dense shape features. A bigram's bucket is mixed from its
    words' hashes (cached) in one vectorised step, so no string is built or hashed per pair."""
    n, lowered = max(1, len(text)), text.lower()
    hashes = np.fromiter(map(_hash, _WORD.findall(lowered)[:400]), dtype=np.uint64)
    pairs = (hashes[:-1] * np.uint64(0x9E3779B1) + hashes[1:]) if len(hashes) > 1 else hashes[:0]
    indices = _distinct(np.concatenate([hashes, pairs]) % np.uint64(BUCKETS))
    maths = sum(text.count(c) for c in _MATH_CHARS) + sum(lowered.count(w) for w in _MATH_WORDS)
    dense = [math.log1p(len(hashes)) / 6, len(_DIGIT.findall(text)) / n * 10,
             min(maths, 10) / 10, 1.0 if any(m in text for m in _CODE_MARKS) else 0.0,
             text.count("\n") / max(1, len(hashes)) * 5, 1.0]
    return indices, dense


@dataclass(frozen=True)
class DifficultyEstimator:
    """Scores a request 0..1: the estimated probability that the device model answers it badly."""

    sparse: np.ndarray  # BUCKETS weights for hashed features
    dense: np.ndarray  # weights for the shape features (the last one is the bias)

    def score_text(self, text: str) -> float:
        indices, dense = featurize(text)
        z = float(self.sparse[indices].sum()) + float(np.dot(self.dense, dense))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, request: ChatRequest) -> float:
        return self.score_text(prompt_text(request))


def train(texts: Sequence[str], labels: Sequence[int], *, steps: int = 300, rate: float = 0.1,
          l2: float = 3e-3) -> DifficultyEstimator:
    """Full-batch Adagrad on the L2-regularised logistic loss; seconds for 20k prompts. Adagrad because
    hashed features differ wildly in frequency and plain gradient descent oscillates on them."""
    feats = [featurize(t) for t in texts]
    y = np.asarray(labels, dtype=np.float64)
    rows = np.concatenate([np.full(len(i), r) for r, (i, _) in enumerate(feats)])
    cols = np.concatenate([i for i, _ in feats])
    dense = np.asarray([d for _, d in feats], dtype=np.float64)
    w = np.zeros(BUCKETS + _DENSE)
    seen = np.full(BUCKETS + _DENSE, 1e-8)
    for _ in range(steps):
        z = np.bincount(rows, weights=w[cols], minlength=len(feats)) + dense @ w[BUCKETS:]
        g = (1.0 / (1.0 + np.exp(-z)) - y) / len(y)
        grad = np.concatenate([np.bincount(cols, weights=g[rows], minlength=BUCKETS), dense.T @ g]) + l2 * w
        seen += grad**2
        w -= rate * grad / np.sqrt(seen)
    return DifficultyEstimator(w[:BUCKETS].astype(np.float32), w[BUCKETS:].astype(np.float32))


WEIGHTS = "difficulty_weights.npz"  # package data of tandem.router, written by bench/train_difficulty.py


@functools.cache
def _weights() -> tuple[np.ndarray, np.ndarray]:
    with resources.files("tandem.router").joinpath(WEIGHTS).open("rb") as f, np.load(f) as data:
        return data["sparse"].astype(np.float32)[:BUCKETS], data["dense"].astype(np.float32)[:_DENSE]


def load_estimator() -> DifficultyEstimator:
    """The shipped, trained estimator."""
    return DifficultyEstimator(*_weights())
