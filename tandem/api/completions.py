"""``POST /v1/completions``: OpenAI's legacy text-completion API.

Device models continue the prompt as raw text (no chat template); other models (cloud endpoints,
routed ones) answer it as one user message. One choice per prompt; streamed or whole.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field, field_validator
from starlette.concurrency import run_in_threadpool

from tandem.api.bodies import ParsedRoute
from tandem.api.errors import status_of
from tandem.api.pump import Pump
from tandem.api.schemas import OpenAIBody, StreamOptions, one_choice, token_bias
from tandem.api.streaming import ModelStream, begin, count_usage
from tandem.errors import InvalidRequest, TandemError
from tandem.models.base import Model, TextCompleter
from tandem.types import ChatChunk, ChatRequest, Message, TokenLogprob, Usage

__all__ = ["CompletionsBody", "router"]

router = APIRouter(route_class=ParsedRoute)


def _not_text() -> InvalidRequest:
    return InvalidRequest("prompt must be text or a list of texts; token ids are not accepted", param="prompt",
                          hint="send the text itself")


_TRIED = 2048  # items of a prompt list the union's members may each try (milliseconds)


class CompletionsBody(OpenAIBody):
    model: str
    prompt: str | list[str] | list[int] | list[list[int]]
    max_tokens: int | None = Field(default=16, ge=1)  # OpenAI's default
    temperature: float = Field(default=1.0, ge=0, le=2)
    top_p: float = Field(default=1.0, gt=0, le=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    presence_penalty: float = Field(default=0.0, ge=-2, le=2)
    frequency_penalty: float = Field(default=0.0, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    n: int = 1
    best_of: int = 1
    stream: bool = False
    stream_options: StreamOptions | None = None
    echo: bool = False
    user: str | None = None  # accepted, not used
    suffix: str | None = None
    logprobs: int | None = Field(default=None, ge=0, le=20)

    def prompts(self) -> list[str]:
        if self.suffix:
            raise InvalidRequest("suffix (fill-in-the-middle) is not supported", param="suffix")
        if self.logprobs is not None and self.echo:
            raise InvalidRequest("logprobs of an echoed prompt are not available: only of generated tokens",
                                 param="echo", hint="leave echo unset with logprobs")
        prompts = [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)
        if not prompts or not all(isinstance(p, str) for p in prompts):
            raise _not_text()
        return [str(p) for p in prompts]

    @field_validator("prompt", mode="before")
    @classmethod
    def _texts_first(cls, value: Any) -> Any:
        """A long list that is not all texts is refused before it is validated: each member of the union tries every
        item, and 1.3 million empty lists (a 4 MB body) took ~10 s of validation on the event loop."""
        if isinstance(value, list) and len(value) > _TRIED and not all(isinstance(p, str) for p in value):
            raise _not_text()
        return value

    def request(self) -> ChatRequest:
        one_choice(self.n)
        one_choice(self.best_of, "best_of")
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        return ChatRequest(messages=(Message(role="user", content=""),), max_tokens=self.max_tokens,
                           temperature=self.temperature, top_p=self.top_p, stop=stop, seed=self.seed,
                           logprobs=self.logprobs, presence_penalty=self.presence_penalty,
                           frequency_penalty=self.frequency_penalty, logit_bias=token_bias(self.logit_bias))


def _chunks(model: Model, prompt: str, request: ChatRequest, cancel: threading.Event) -> Iterator[ChatChunk]:
    if isinstance(model, TextCompleter):
        return model.stream_text(prompt, request, cancel)
    return model.stream(replace(request, messages=(Message(role="user", content=prompt),)), cancel)


def _whole(model: Model, prompt: str, request: ChatRequest,
           cancel: threading.Event) -> tuple[str, str, Usage, tuple[TokenLogprob, ...]]:
    text, finish, usage = [], "stop", Usage()
    entries: list[TokenLogprob] = []
    for chunk in _chunks(model, prompt, request, cancel):
        text.append(chunk.text)
        entries.extend(chunk.logprobs)
        finish, usage = chunk.finish_reason or finish, chunk.usage or usage
    return "".join(text), finish, usage, tuple(entries)


def _legacy_logprobs(entries: tuple[TokenLogprob, ...], offset: int = 0) -> dict[str, Any]:
    """The completions API's own logprobs shape: parallel lists, top alternatives as token -> logprob."""
    offsets = []
    for e in entries:
        offsets.append(offset)
        offset += len(e.token)
    return {"tokens": [e.token for e in entries], "token_logprobs": [e.logprob for e in entries],
            "top_logprobs": [{t.token: t.logprob for t in e.top} for e in entries], "text_offset": offsets}


def _body(id_: str, model: str, choices: list[dict[str, Any]], usage: Usage | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": id_, "object": "text_completion", "created": int(time.time()), "model": model,
                            "choices": choices}
    if usage is not None:
        body["usage"] = {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
                         "total_tokens": usage.total_tokens}
    return body


async def _events(pump: Pump, body: CompletionsBody, prompt: str, request: Request) -> AsyncIterator[str]:
    id_, usage, offset = f"cmpl-{uuid.uuid4().hex}", Usage(), 0
    chunk: ChatChunk | None = None
    try:
        if body.echo:
            yield f"data: {json.dumps(_body(id_, body.model, [_choice(prompt, None)]), ensure_ascii=False)}\n\n"
        chunk = await pump.next()
        while chunk is not None:
            if chunk.text or chunk.finish_reason:
                scored = _legacy_logprobs(chunk.logprobs, offset) if body.logprobs is not None else None
                event = _body(id_, body.model, [_choice(chunk.text, chunk.finish_reason, logprobs=scored)])
                yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
                offset += len(chunk.text)
            usage = chunk.usage or usage
            chunk = await pump.next()
        count_usage(request, body.model, usage)
        if body.stream_options and body.stream_options.include_usage:  # as the chat stream: no choices, the usage
            yield f"data: {json.dumps(_body(id_, body.model, [], usage))}\n\n"
        yield "data: [DONE]\n\n"
    except TandemError as exc:
        chunk = None
        yield f"data: {json.dumps(status_of(exc)[1])}\n\n"


def _choice(text: str, finish: str | None, index: int = 0, logprobs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"text": text, "index": index, "logprobs": logprobs, "finish_reason": finish}


@router.post("/v1/completions", response_model=None)
async def completions(body: CompletionsBody, request: Request) -> JSONResponse | StreamingResponse:
    prompts, sampling = body.prompts(), body.request()
    model: Model = await run_in_threadpool(request.app.state.registry.get, body.model)
    if body.stream:
        if len(prompts) > 1:
            raise InvalidRequest("stream one prompt at a time", param="prompt")
        pump = Pump(_chunks(model, prompts[0], sampling, cancel := threading.Event()), cancel)
        await begin(pump, request)
        return ModelStream(_events(pump, body, prompts[0], request), pump)
    choices, total = [], Usage()
    for i, prompt in enumerate(prompts):
        text, finish, usage, entries = await run_in_threadpool(_whole, model, prompt, sampling, threading.Event())
        scored = _legacy_logprobs(entries) if body.logprobs is not None else None
        choices.append(_choice((prompt if body.echo else "") + text, finish, i, scored))
        total = Usage(total.prompt_tokens + usage.prompt_tokens, total.completion_tokens + usage.completion_tokens)
    count_usage(request, body.model, total)
    return JSONResponse(_body(f"cmpl-{uuid.uuid4().hex}", body.model, choices, total))
