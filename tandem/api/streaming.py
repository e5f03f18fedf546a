"""What the model endpoints share: a streamed response that stops its generation, the whole answer of a
request whose client may hang up, and the token counters."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from tandem.api.admission import give_back
from tandem.api.pump import Pump
from tandem.models.base import Model, complete
from tandem.models.fallback import FallbackModel
from tandem.router.hybrid import RouteCapture, RoutedStream
from tandem.types import ChatChunk, ChatRequest, ChatResult, TokenLogprob, Usage

__all__ = ["CloudGivesBack", "ModelStream", "begin", "count_usage", "token_logprobs", "whole_answer"]


class ModelStream(StreamingResponse):
    """Stops the generation when the response ends for any reason, even if streaming never started."""

    def __init__(self, events: AsyncIterator[str], pump: Pump) -> None:
        super().__init__(events, media_type="text/event-stream",
                         headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._pump = pump

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._pump.cancel.set()


async def begin(pump: Pump, request: Request) -> None:
    """Waits for the first chunk up to half the request's deadline (``Pump.begin``): a streamed answer begins by
    then, so the deadline's 504 cannot cut off a model still at work, as it did the last turn of an agent's
    streamed tool loop on a busy machine; at the deadline a stream not at its end ends with an error event, its
    generation cancelled (``Pump.next``), as a whole answer gets 504 (``limits.Deadline``)."""
    seconds = request.app.state.registry.settings.request_timeout_s
    ends = getattr(request.state, "deadline", time.monotonic() + seconds) if seconds > 0 else None
    await pump.begin(ends, seconds)


def token_logprobs(entries: tuple[TokenLogprob, ...], *, with_bytes: bool = True) -> list[dict[str, Any]]:
    """Tokens as the chat and Responses APIs list them in ``logprobs``; without ``bytes`` as the Responses text events
    list them (only the ``output_text`` part has them)."""
    def one(e: TokenLogprob) -> dict[str, Any]:
        return {"token": e.token, "logprob": e.logprob, **({"bytes": list(e.bytes)} if with_bytes else {})}

    return [{**one(e), "top_logprobs": [one(t) for t in e.top]} for e in entries]


def count_usage(request: Request, model: str, usage: Usage) -> None:
    tokens = request.app.state.metrics.tokens
    tokens.labels(model, "prompt").inc(usage.prompt_tokens)
    tokens.labels(model, "completion").inc(usage.completion_tokens)


async def whole_answer(request: Request, model: Model, chat_request: ChatRequest, name: str) -> ChatResult:
    """The whole answer; the generation stops when the client hangs up first (the body is read by now,
    so the next ASGI message can only be the disconnect)."""
    cancel = threading.Event()

    async def watch() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        cancel.set()
        request.app.state.metrics.cancelled.labels(name).inc()

    watcher = asyncio.ensure_future(watch())  # not a task group: it would wrap the model's errors in a group
    try:
        return await run_in_threadpool(complete, model, chat_request, cancel)
    finally:
        watcher.cancel()


class CloudGivesBack(RouteCapture):
    """A request answered by a cloud model (named, or chosen by the router) gives back its model turn
    (``admission.give_back``) once the cloud's first chunk has come: the device's model is not needed for the rest, and
    its line moves on. Up to then it holds the turn: the router's and the egress guard's checks of the request run on
    the device."""

    def __init__(self, model: Model, state: Any) -> None:
        super().__init__(model)
        self.state = state

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self._watched(super().stream(request, cancel))

    def _in_the_cloud(self) -> bool:
        if isinstance(self.last, RoutedStream):
            decision = self.last.decision
            return decision is not None and decision.target == "cloud" and not self.last.switches
        return _only_cloud(self.model)

    def _watched(self, chunks: Iterator[ChatChunk]) -> Iterator[ChatChunk]:
        try:
            for number, chunk in enumerate(chunks):
                if number == 0 and self._in_the_cloud():
                    give_back(self.state)
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:  # a generation stopped early (its client left) stops the model's too
                close()


def _only_cloud(model: Model) -> bool:
    """Whether no part of ``model`` answers on the device: a cloud model, or a fallback chain of cloud models only. A
    chain with a device model in it (the image route's cloud-then-device) may have handed over to the device before
    its first chunk, unseen from here (review R25-2)."""
    if isinstance(model, FallbackModel):
        return all(_only_cloud(part) for part in model.models)
    return model.info.location == "cloud"
