"""A model that answers from a script: for suites whose plumbing (not the model's words) is under test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from tandem.models.base import ModelInfo
from tandem.models.toolcalls import make_call
from tandem.types import Capabilities, ChatChunk, ChatRequest


class ScriptedModel:
    """``answer(request)`` returns text, or a list of (tool name, arguments) to call."""

    def __init__(self, answer: Callable[[ChatRequest], str | list[tuple[str, dict[str, object]]]]) -> None:
        self.info = ModelInfo(id="scripted", location="device", capabilities=Capabilities(context_length=4096))
        self.answer = answer
        self.requests: list[ChatRequest] = []

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        self.requests.append(request)
        out = self.answer(request)
        if isinstance(out, str):
            yield ChatChunk(text=out)
            yield ChatChunk(finish_reason="stop")
        else:
            yield ChatChunk(tool_calls=tuple(make_call(n, a) for n, a in out), finish_reason="tool_calls")
