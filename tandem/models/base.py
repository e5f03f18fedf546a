"""The model contract: one method, ``stream``. Everything else (``complete``, fallbacks, routing) is
built on top of it, so a backend only has to turn a ChatRequest into ChatChunks."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from tandem.types import Capabilities, ChatChunk, ChatRequest, ChatResult, Message, TokenLogprob, ToolCall, Usage

__all__ = ["Embedder", "Model", "ModelInfo", "TextCompleter", "complete"]


@dataclass(frozen=True)
class ModelInfo:
    """Identity and abilities of a model, as listed by ``/v1/models``."""

    id: str  # e.g. "device:qwen2.5-1.5b" or "cloud:qwen-plus"
    location: Literal["device", "cloud"]
    capabilities: Capabilities
    owned_by: str = "tandem"


@runtime_checkable
class Model(Protocol):
    info: ModelInfo

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        """Answer ``request`` piece by piece. Stops early (and frees the backend) once ``cancel`` is set.
        The last chunk has ``finish_reason`` and ``usage``."""
        ...


@runtime_checkable
class TextCompleter(Protocol):
    """A model that can continue raw text without a chat template (the legacy completions API)."""

    def stream_text(self, prompt: str, request: ChatRequest,
                    cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        """Continue ``prompt`` under ``request``'s sampling settings (its messages are ignored)."""
        ...


@runtime_checkable
class Embedder(Protocol):
    id: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text."""
        ...


def complete(model: Model, request: ChatRequest, cancel: threading.Event | None = None) -> ChatResult:
    """Run ``model.stream`` to the end and assemble the whole answer."""
    text: list[str] = []
    calls: list[ToolCall] = []
    logprobs: list[TokenLogprob] = []
    finish, usage = "stop", Usage()
    for chunk in model.stream(request, cancel):
        text.append(chunk.text)
        calls.extend(chunk.tool_calls)
        logprobs.extend(chunk.logprobs)
        finish = chunk.finish_reason or finish
        usage = chunk.usage or usage
    content = "".join(text)
    message = Message(role="assistant", content=content if content or not calls else None,
                      tool_calls=tuple(calls))
    return ChatResult(message=message, finish_reason=finish, usage=usage, logprobs=tuple(logprobs))
