"""A Model that changes the request before handing it on.

Composition, like ``FallbackModel``: an image request goes to a cloud that can see with its pixels attached,
and to the device with their OCR text; ``FallbackModel([Rewritten(cloud, attach), device])`` keeps both
readings of one request in one model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from tandem.models.base import Model, ModelInfo
from tandem.types import ChatChunk, ChatRequest

__all__ = ["Rewritten"]


class Rewritten:
    """``inner`` answering ``rewrite(request)`` instead of ``request``."""

    def __init__(self, inner: Model, rewrite: Callable[[ChatRequest], ChatRequest]) -> None:
        self.inner, self.rewrite = inner, rewrite
        self.info: ModelInfo = inner.info

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self.inner.stream(self.rewrite(request), cancel)
