"""Offline ranking metrics for recommendations: NDCG@k, recall@k and catalog coverage.

Binary relevance: an item is relevant when the user chose it in the held-out period. Kept apart from the
simulator (``bench/reco.py``) so other data sets can be scored with the same definitions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Scores", "coverage", "ndcg_at_k", "recall_at_k", "summarise"]


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Discounted gain of the relevant items in the top ``k``, over the best possible for this user."""
    if not relevant:
        return 0.0
    gain = sum(1.0 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return gain / ideal


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Share of the relevant items found in the top ``k``."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def coverage(lists: Iterable[Sequence[str]], catalog_size: int, k: int = 10) -> float:
    """Share of the catalog that appears in anyone's top ``k`` (a popularity ranking scores low)."""
    seen = {item for ranked in lists for item in ranked[:k]}
    return len(seen) / catalog_size if catalog_size else 0.0


@dataclass(frozen=True)
class Scores:
    """One method's results over all users."""

    method: str  # "tandem", "popularity", "random" ...
    ndcg: float  # mean NDCG@k
    recall: float  # mean recall@k
    coverage: float  # share of the catalog recommended to anyone
    users: int  # users evaluated


def summarise(method: str, ranked: Sequence[Sequence[str]], relevant: Sequence[set[str]], catalog_size: int,
              k: int = 10) -> Scores:
    """Mean metrics over users; ``ranked[u]`` and ``relevant[u]`` belong to the same user."""
    users = [(r, rel) for r, rel in zip(ranked, relevant, strict=True) if rel]
    if not users:
        return Scores(method, 0.0, 0.0, 0.0, 0)
    return Scores(method, sum(ndcg_at_k(r, rel, k) for r, rel in users) / len(users),
                  sum(recall_at_k(r, rel, k) for r, rel in users) / len(users),
                  coverage((r for r, _ in users), catalog_size, k), len(users))
