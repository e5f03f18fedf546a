"""A small deterministic embedder for ranking logic: hashed character trigrams. The real e5 model runs in
bench/reco.py; here what is tested is how signals combine, not what e5 thinks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tandem.memory import MemoryStore
from tandem.memory.candidates import Candidate, load_candidates

DATA = Path(__file__).resolve().parents[2] / "tandem" / "partners" / "data"


class TrigramEmbedder:
    id = "test:trigrams"
    dimensions = 256

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        return [self._one(t) for t in texts]

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = np.zeros(self.dimensions)
        padded = f"  {text.casefold()}  "
        for i in range(len(padded) - 2):
            vec[int(hashlib.md5(padded[i:i + 3].encode()).hexdigest(), 16) % self.dimensions] += 1.0
        return list(vec / (np.linalg.norm(vec) or 1.0))


@pytest.fixture
def embedder() -> TrigramEmbedder:
    return TrigramEmbedder()


@pytest.fixture
def store(home: Path) -> MemoryStore:
    with MemoryStore.at_home(home) as opened:
        yield opened  # type: ignore[misc]


@pytest.fixture(scope="session")
def catalog() -> list[Candidate]:
    import datetime as dt

    return load_candidates(DATA, dt.datetime(2026, 11, 28, 12, 0))  # a Saturday
