"""The judge and example vectors packaged with Tandem are those of the shipped capabilities (review R32)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

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


def test_the_tier_logs_which_judge_it_reads(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every start says which path judges (a tier that trains at each start, e.g. the trust levels of
    ``Understander._read_before``, shows as "trained" every time): the shipped capabilities' judge is the package's,
    read without embedding anything."""
    from tandem.agent.capabilities import shipped

    class E5Embedder:
        def embed_query(self, texts: list[str]) -> list[list[float]]:
            raise AssertionError("nothing is embedded here")

    monkeypatch.setattr(learned, "_JUDGES", {})  # a fresh process: no judge another test's tier read before
    tier = LearnedTier(E5Embedder(), shipped(), cache=None)
    with caplog.at_level(logging.INFO, logger="tandem.agent"):
        assert tier.judge is not None
    assert tier.judge_source == "package"
    assert any(r.getMessage().endswith(": package") for r in caplog.records)
