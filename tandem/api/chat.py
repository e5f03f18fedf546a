"""``POST /v1/chat/completions``: OpenAI's chat API over any Tandem model, streamed or whole."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from tandem.api.agent import ASSISTANT_MODEL_ID, assistant_reply, assistant_response, chat_turns
from tandem.api.bodies import ParsedRoute
from tandem.api.completions import router as completions_router
from tandem.api.errors import status_of
from tandem.api.images import route_images
from tandem.api.pump import Pump
from tandem.api.responses import router as responses_router
from tandem.api.schemas import ChatBody
from tandem.api.streaming import CloudGivesBack, ModelStream, begin, count_usage, token_logprobs, whole_answer
from tandem.app.assistant import chat_model_id
from tandem.errors import InvalidRequest, TandemError
from tandem.types import ChatChunk, ChatRequest, ChatResult, TokenLogprob, ToolCall, Usage

__all__ = ["model_answer", "router"]

router = APIRouter(route_class=ParsedRoute)
# The other model endpoints ride on this router, so they get the chat route's checks too (the scopes
# tandem:assistant needs, images read as text).
router.include_router(responses_router)
router.include_router(completions_router)


def _calls(calls: tuple[ToolCall, ...]) -> list[dict[str, Any]]:
    return [{"id": c.id, "type": "function",
             "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}} for c in calls]


def _call_deltas(calls: tuple[ToolCall, ...], legacy: bool) -> list[dict[str, Any]]:
    """The deltas of streamed calls as OpenAI sends them: per call, one with its index, id, type and name (the
    arguments empty), then one with the arguments alone; the finish reason follows in a chunk of its own. Clients
    read them so: the openai helper's ``tool_calls.function.arguments.done`` fired only for an index that a later
    chunk closed, never for a call whose delta came with the finish reason (``chat.completions.stream``)."""
    deltas: list[dict[str, Any]] = []
    for i, call in enumerate(calls[:1] if legacy else calls):
        arguments = json.dumps(call.arguments, ensure_ascii=False)
        if legacy:
            deltas += [{"function_call": {"name": call.name, "arguments": ""}},
                       {"function_call": {"arguments": arguments}}]
            continue
        deltas += [{"tool_calls": [{"index": i, "id": call.id, "type": "function",
                                    "function": {"name": call.name, "arguments": ""}}]},
                   {"tool_calls": [{"index": i, "function": {"arguments": arguments}}]}]
    return deltas


def _usage(u: Usage) -> dict[str, int]:
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "total_tokens": u.total_tokens}


def _function_call(calls: tuple[ToolCall, ...]) -> dict[str, Any]:
    """The legacy ``functions`` API's one call per turn."""
    return {"name": calls[0].name, "arguments": json.dumps(calls[0].arguments, ensure_ascii=False)}


def _logprobs(asked: bool, entries: tuple[TokenLogprob, ...]) -> dict[str, Any] | None:
    return {"content": token_logprobs(entries), "refusal": None} if asked else None


def completion_body(result: ChatResult, model: str, id_: str, *, legacy: bool = False,
                    logprobs: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": result.message.content}
    finish = result.finish_reason
    if result.message.tool_calls and legacy:
        message["function_call"], finish = _function_call(result.message.tool_calls), "function_call"
    elif result.message.tool_calls:
        message["tool_calls"] = _calls(result.message.tool_calls)
    return {"id": id_, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": _logprobs(logprobs, result.logprobs)}],
            "usage": _usage(result.usage)}


class _Sse:
    """Formats ``chat.completion.chunk`` server-sent events for one response."""

    def __init__(self, model: str, *, legacy: bool = False, logprobs: bool = False) -> None:
        self.model, self.id, self.created = model, f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        self.legacy, self.logprobs = legacy, logprobs

    def event(self, delta: dict[str, Any], finish: str | None = None, usage: Usage | None = None,
              choices: bool = True, logprobs: tuple[TokenLogprob, ...] = ()) -> str:
        body: dict[str, Any] = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                                "model": self.model, "choices": []}
        if choices:
            body["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish,
                                "logprobs": _logprobs(self.logprobs and bool(logprobs), logprobs)}]
        if usage is not None:
            body["usage"] = _usage(usage)
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    def chunk(self, chunk: ChatChunk) -> list[str]:
        """The events of ``chunk``: its text, then its calls' deltas (``_call_deltas``), then its finish reason;
        one event when it holds one of them."""
        text = chunk.text or chunk.logprobs  # a token of part of a character: its logprobs, no text yet
        events = [self.event({"content": chunk.text}, logprobs=chunk.logprobs)] if text else []
        events += [self.event(delta) for delta in _call_deltas(chunk.tool_calls, self.legacy)]
        finish = "function_call" if chunk.tool_calls and self.legacy else chunk.finish_reason
        if finish and events and not chunk.tool_calls:  # text and its end: one chunk
            return [self.event({"content": chunk.text}, finish=finish, logprobs=chunk.logprobs)]
        return [*events, self.event({}, finish=finish)] if finish else events


Closing = Callable[[str], str]  # a whole answer's text -> what is said (the same text, or more after it)


def _closed(sse: _Sse, chunk: ChatChunk, said: str, closing: Closing | None) -> list[str]:
    """The events of ``chunk``; on the last one, what ``closing`` adds to the whole answer (``said``) goes before
    its finish."""
    extra = closing(said)[len(said):] if closing and chunk.finish_reason and not chunk.tool_calls else ""
    if not extra:
        return sse.chunk(chunk)
    return [*sse.chunk(replace(chunk, finish_reason=None)), sse.event({"content": extra}, finish=chunk.finish_reason)]


async def _events(pump: Pump, body: ChatBody, request: Request, started: float,
                  closing: Closing | None = None) -> AsyncIterator[str]:
    """The stream's events; the time to its first token (``started``: when the request reached the model) is taken
    at the first text or tool call, not where the stream begins, which may be before (``streaming.begin``)."""
    sse = _Sse(body.model, legacy=body.legacy_functions, logprobs=bool(body.logprobs))
    metrics = request.app.state.metrics
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    chunk: ChatChunk | None = None
    usage, said, first = None, "", True
    try:
        yield sse.event({"role": "assistant", "content": ""})
        chunk = await pump.next()
        while chunk is not None:
            said += chunk.text
            if first and (chunk.text or chunk.tool_calls):
                metrics.ttft.labels(body.model).observe(time.monotonic() - started)
                first = False
            if chunk.text or chunk.tool_calls or chunk.finish_reason:
                for event in _closed(sse, chunk, said, closing):
                    yield event
            usage = chunk.usage or usage
            chunk = await pump.next()
        if include_usage and usage is not None:
            yield sse.event({}, usage=usage, choices=False)
        yield "data: [DONE]\n\n"
    except TandemError as exc:
        chunk = None
        yield f"data: {json.dumps(status_of(exc)[1])}\n\n"
    finally:
        if chunk is not None:
            metrics.cancelled.labels(body.model).inc()
        if usage is not None:
            count_usage(request, body.model, usage)


@router.post("/v1/chat/completions", response_model=None)
async def chat_completions(body: ChatBody, request: Request) -> Response:
    chat_request = await run_in_threadpool(body.to_request)  # schemas checked, grammars built: off the event loop
    if body.model == ASSISTANT_MODEL_ID:  # its conversation comes from a header or metadata and goes back in one
        if chat_request.logprobs is not None:
            raise InvalidRequest(f"{ASSISTANT_MODEL_ID} answers as an agent, without token logprobs",
                                 param="logprobs", hint="ask a device model for logprobs")
        reply = await assistant_reply(chat_request, request)
        if reply.tasks or reply.understanding is None:  # a task, or an answer about earlier work ("same again")
            return assistant_response(reply, body.stream)
        # Nothing to act on (a question, small talk): the chat model answers, as in the web app and `tandem ask`
        body = body.model_copy(update={"model": chat_model_id(request.app.state.registry)})
        guarded, closing = chat_turns(chat_request)
        answer = await model_answer(body, guarded, request, metadata={"conversation_id": reply.conversation_id},
                                     closing=closing)
        answer.headers["X-Tandem-Conversation"] = reply.conversation_id
        return answer
    return await model_answer(body, chat_request, request)


async def model_answer(body: ChatBody, chat_request: ChatRequest, request: Request,
                       metadata: dict[str, str] | None = None, closing: Closing | None = None) -> Response:
    """``body.model``'s answer to ``chat_request`` as an OpenAI chat completion, whole or streamed; ``closing`` (the
    whole answer's text -> what is said) adds what it returns beyond that text at the end."""
    named = await run_in_threadpool(request.app.state.registry.get, body.model)
    images = await run_in_threadpool(route_images, request, body, named, chat_request)  # pixels or OCR text
    if images is not None and images.model is not None and images.request is not None:
        named, chat_request = images.model, images.request
    extra = images.headers() if images is not None else {}
    # RouteCapture: routed models (tandem:auto...) report their decision in the X-Tandem-Route header.
    model = CloudGivesBack(named, request.state)
    if not body.stream:
        result = await whole_answer(request, model, chat_request, body.model)
        count_usage(request, body.model, result.usage)
        if closing and result.message.content and not result.message.tool_calls:
            result = replace(result, message=replace(result.message, content=closing(result.message.content)))
        content = completion_body(result, body.model, f"chatcmpl-{uuid.uuid4().hex}",
                                  legacy=body.legacy_functions, logprobs=bool(body.logprobs))
        # the assistant's conversation, in the body too (as assistant_response): OpenAI clients drop headers
        return JSONResponse({**content, "metadata": metadata} if metadata else content,
                            headers={**model.headers(), **extra})
    started = time.monotonic()
    pump = Pump(model.stream(chat_request, cancel := threading.Event()), cancel)
    await begin(pump, request)  # errors before the first token still get a proper HTTP status
    response = ModelStream(_events(pump, body, request, started, closing), pump)
    response.headers.update({**model.headers(), **extra})
    return response
