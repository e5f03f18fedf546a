"""Scoring functions the suites share, each checked in tests against values worked out by hand.

Span F1 follows conlleval: a chunk starts at ``B-X``, or at ``I-X`` after anything but ``X`` (so a
stray ``I-`` tag still counts as a chunk), and a predicted chunk is correct only if its type, start and
end all match a gold chunk.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["PRF", "accuracy", "bio_spans", "f_beta", "set_f1", "span_prf"]

Span = tuple[str, int, int]  # (type, first token, one past the last token)


@dataclass(frozen=True)
class PRF:
    """Counts of a span comparison, and the rates derived from them."""

    tp: int  # predicted spans that match a gold span exactly
    fp: int  # predicted spans that do not
    fn: int  # gold spans nobody predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f(self, beta: float = 1.0) -> float:
        return f_beta(self.precision, self.recall, beta)

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def f_beta(precision: float, recall: float, beta: float = 1.0) -> float:
    """F-beta; beta 2 weighs recall four times as much as precision (missing PII costs more)."""
    b2 = beta * beta
    denominator = b2 * precision + recall
    return (1 + b2) * precision * recall / denominator if denominator else 0.0


def bio_spans(tags: Sequence[str]) -> set[Span]:
    """Chunks of a BIO (or IOB1) tag sequence, as conlleval reads them."""
    spans: set[Span] = set()
    kind, start = "", -1
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and label != kind)
        if kind and (prefix == "O" or begins):
            spans.add((kind, start, i))
            kind = ""
        if begins:
            kind, start = label, i
    return spans


def span_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
    """Exact-match counts between two sets of spans (any hashable: token or character spans)."""
    g, p = set(gold), set(predicted)
    return PRF(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def set_f1(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> float:
    """F1 of one predicted set; 1.0 when both are empty (DSTC8's requested-slot convention)."""
    g, p = set(gold), set(predicted)
    if not g and not p:
        return 1.0
    return span_prf(g, p).f()


def accuracy(flags: Iterable[bool]) -> float:
    """Share of true flags; 0.0 for none."""
    values = list(flags)
    return sum(values) / len(values) if values else 0.0
