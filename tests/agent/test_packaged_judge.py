"""The judge and example vectors packaged with Tandem are those of the shipped capabilities (review R32)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tandem.agent import learned
from tandem.agent.learned import LearnedTier


def test_the_packaged_judge_and_vectors_are_those_of_the_shipped_capabilities(tmp_path: Path) -> None:
    """A shipped manifest or chat example changed without `bench/understand.py --write-vectors` would leave every
    install training the judge at its first request (review R32). Only the embedder's class name enters the key."""
    from tandem.agent.capabilities import shipped

    class E5Embedder:
        def embed_query(self, texts: list[str]) -> list[list[float]]:
            raise AssertionError("nothing is embedded here")

    tier = LearnedTier(E5Embedder(), shipped(), cache=tmp_path / "vectors.npz")
    with np.load(learned.SHIPPED_JUDGE) as judge, np.load(learned.SHIPPED_VECTORS) as vectors:
        assert str(judge["key"]) == tier._key(), "run bench/understand.py --write-vectors --half tune"
        assert not set(tier.texts) - set(vectors["texts"].tolist()), "run bench/understand.py --write-vectors"
