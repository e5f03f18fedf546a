"""A Model made of Models: try each in turn until one answers.

Fallback is composition, not a flag: ``FallbackModel([cloud, device])`` is itself a Model, so the API,
the router and other fallbacks use it like any backend. It moves on only for the typed errors in
``catch`` (timeouts, 429, outages...), never on message text.

If a model fails after it has already streamed part of its answer, that text has reached the caller and
cannot be taken back, so the next model is asked to *continue* it rather than start over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from tandem.errors import ContextOverflow, ModelError, TandemError
from tandem.models.base import Model, ModelInfo
from tandem.types import ChatChunk, ChatRequest, Message

__all__ = ["FallbackModel", "continuation"]

Switch = Callable[[Model, Model, TandemError], None]

_CONTINUE = ("Your previous answer was cut off. Continue it exactly where it stopped, without repeating "
             "anything and without commenting on the interruption.")


def continuation(request: ChatRequest, partial: str) -> ChatRequest:
    """The request that lets another model pick up an answer cut off after ``partial``."""
    messages = (*request.messages, Message(role="assistant", content=partial), Message(role="user", content=_CONTINUE))
    return replace(request, messages=messages, tools=(), tool_choice="none")


def _ignore(failed: Model, next_model: Model, error: TandemError) -> None:
    pass


class FallbackModel:
    """Streams from the first model that works. ``on_switch`` hears of every hand-over (for logs,
    metrics and the route header)."""

    def __init__(self, models: Sequence[Model], *, model_id: str | None = None,
                 catch: tuple[type[TandemError], ...] = (ModelError, ContextOverflow),
                 on_switch: Switch = _ignore) -> None:
        if not models:
            raise ValueError("FallbackModel needs at least one model")
        self.models = list(models)
        first = self.models[0].info
        self.info = ModelInfo(id=model_id or "+".join(m.info.id for m in self.models), location=first.location,
                              capabilities=first.capabilities, owned_by=first.owned_by)
        self.catch = catch
        self.on_switch = on_switch

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        partial: list[str] = []
        last = len(self.models) - 1
        for i, model in enumerate(self.models):
            attempt = continuation(request, "".join(partial)) if partial else request
            try:
                for chunk in model.stream(attempt, cancel):
                    partial.append(chunk.text)
                    yield chunk
                return
            except self.catch as exc:
                if i == last:
                    raise
                self.on_switch(model, self.models[i + 1], exc)
