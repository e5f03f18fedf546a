"""Chat over any OpenAI-compatible endpoint (DashScope compatible mode, vLLM, llama.cpp's server...).

Wire translation only: ``encode`` turns a ChatRequest into the exact bytes sent, ``stream`` sends them and
turns server-sent events back into ChatChunks. Transport and protocol failures become the typed errors of
``tandem.errors`` (timeout, 429, context overflow, auth), so fallback chains can react to them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx

from tandem.errors import (
    AuthFailed,
    ContextOverflow,
    InvalidRequest,
    ModelError,
    ModelTimeout,
    ModelUnavailable,
    RateLimited,
    TandemError,
)
from tandem.models.base import ModelInfo
from tandem.models.endpoints import CloudEndpoint
from tandem.types import Capabilities, ChatChunk, ChatRequest, Message, ToolCall, Usage

__all__ = ["OpenAICompatModel", "encode_request", "error_for"]

# Error codes servers use for an over-long prompt: OpenAI's code, and the message prefixes vLLM and
# DashScope put in the error when they send no code. Read here, at the wire boundary, and nowhere else.
_OVERFLOW_CODES = {"context_length_exceeded", "string_above_max_length"}
_OVERFLOW_TEXT = ("maximum context length", "range of input length", "exceeds the model's context",
                  "requested tokens", "context window")


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.images:  # only ever set for an endpoint with vision that the router let see them
        out["content"] = [{"type": "text", "text": m.content or ""}] + [
            {"type": "image_url", "image_url": {"url": url}} for url in m.images]
    if m.tool_calls:
        out["tool_calls"] = [{"id": c.id, "type": "function",
                              "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}}
                             for c in m.tool_calls]
    if m.tool_call_id:
        out["tool_call_id"] = m.tool_call_id
    if m.name:
        out["name"] = m.name
    return out


def _options(request: ChatRequest) -> dict[str, Any]:
    body: dict[str, Any] = {"temperature": request.temperature, "top_p": request.top_p}
    if request.tools:
        body["tools"] = [{"type": "function", "function": {"name": t.name, "description": t.description,
                                                           "parameters": t.parameters}} for t in request.tools]
        choice = request.tool_choice
        body["tool_choice"] = choice if choice in ("auto", "none", "required") else {
            "type": "function", "function": {"name": choice}}
        if not request.parallel_tool_calls:
            body["parallel_tool_calls"] = False
    fmt = request.response_format
    if fmt.type == "json_object":
        body["response_format"] = {"type": "json_object"}
    elif fmt.type == "json_schema":
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": fmt.schema}}
    if request.max_tokens is not None:
        body["max_tokens"] = request.max_tokens
    if request.stop:
        body["stop"] = list(request.stop)
    if request.seed is not None:
        body["seed"] = request.seed
    if request.presence_penalty:
        body["presence_penalty"] = request.presence_penalty
    if request.frequency_penalty:
        body["frequency_penalty"] = request.frequency_penalty
    if request.logit_bias:  # the client's token ids, which name the cloud model's tokens when it asked for one
        body["logit_bias"] = {str(token): bias for token, bias in request.logit_bias}
    return body


def encode_request(request: ChatRequest, model: str) -> bytes:
    """The exact request body ``stream`` sends (the egress ledger hashes these bytes)."""
    body = {"model": model, "messages": [_message(m) for m in request.messages], **_options(request),
            "stream": True, "stream_options": {"include_usage": True}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error_fields(payload: Any) -> tuple[str, str]:
    error = payload.get("error", payload) if isinstance(payload, dict) else {}
    if not isinstance(error, dict):
        return "", str(error)
    return str(error.get("code") or error.get("type") or ""), str(error.get("message") or "")


def error_for(status: int, payload: Any, endpoint: str, retry_after: str | None = None) -> TandemError:
    """The typed error for an HTTP error answer."""
    code, message = _error_fields(payload)
    where = f"{endpoint} answered {status}"
    if status == 429:
        return RateLimited(f"{where}: rate limited", hint=f"retry after {retry_after}s" if retry_after else None)
    if status in (401, 403):
        return AuthFailed(f"{where}: credentials rejected", hint="check the endpoint's API key variable")
    if code in _OVERFLOW_CODES or status == 413 or (
            status == 400 and any(t in message.lower() for t in _OVERFLOW_TEXT)):
        return ContextOverflow(f"{where}: the prompt does not fit the model's context", param="messages")
    if status in (404, 408) or status >= 500:
        return ModelUnavailable(f"{where}: {message or 'unavailable'}")
    return InvalidRequest(f"{where}: {message or code or 'bad request'}")


class _Calls:
    """Assembles tool calls from streamed fragments (id and name first, arguments in pieces)."""

    def __init__(self) -> None:
        self.parts: dict[int, dict[str, str]] = {}

    def add(self, deltas: list[dict[str, Any]]) -> None:
        for delta in deltas:
            part = self.parts.setdefault(int(delta.get("index", 0)), {"id": "", "name": "", "arguments": ""})
            function = delta.get("function") or {}
            part["id"] = delta.get("id") or part["id"]
            part["name"] = function.get("name") or part["name"]
            part["arguments"] += function.get("arguments") or ""

    def done(self) -> tuple[ToolCall, ...]:
        calls = []
        for index, part in sorted(self.parts.items()):
            try:
                arguments = json.loads(part["arguments"] or "{}")
            except ValueError as exc:
                raise ModelError(f"the endpoint sent tool call {part['name']!r} with invalid JSON") from exc
            calls.append(ToolCall(part["id"] or f"call_{index}", part["name"], arguments))
        return tuple(calls)


class OpenAICompatModel:
    """A cloud model behind an OpenAI-compatible ``/chat/completions``; always streams."""

    def __init__(self, endpoint: CloudEndpoint, client: httpx.Client | None = None) -> None:
        self.endpoint = endpoint
        self.info = ModelInfo(id=endpoint.id, location="cloud", owned_by=endpoint.name, capabilities=Capabilities(
            context_length=endpoint.context_length, tools=endpoint.tools, vision=endpoint.vision))
        timeout = httpx.Timeout(endpoint.timeout, connect=min(endpoint.timeout, 10.0))
        self._client = client or httpx.Client(timeout=timeout)

    @property
    def url(self) -> str:
        return f"{self.endpoint.url}/chat/completions"

    def encode(self, request: ChatRequest) -> bytes:
        return encode_request(request, self.endpoint.model)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        key = self.endpoint.api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        cancel = cancel or threading.Event()
        if request.logprobs is not None:  # a cloud's tokens would be of the pseudonymised text, not the answer
            raise InvalidRequest("token logprobs come from device models only", param="logprobs",
                                 hint="ask a device: model, or leave logprobs unset")
        try:
            with self._client.stream("POST", self.url, content=self.encode(request), headers=self._headers()) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise error_for(resp.status_code, _json_or_text(resp.text), self.endpoint.url,
                                    resp.headers.get("retry-after"))
                yield from self._events(resp, cancel)
        except httpx.TimeoutException as exc:
            raise ModelTimeout(f"{self.endpoint.url} did not answer within {self.endpoint.timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise ModelUnavailable(f"{self.endpoint.url} failed: {type(exc).__name__}: {exc}") from exc

    def _events(self, resp: httpx.Response, cancel: threading.Event) -> Iterator[ChatChunk]:
        calls, finish, usage = _Calls(), None, None
        for line in resp.iter_lines():
            if cancel.is_set():
                return
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            event = _json_or_text(data)
            if not isinstance(event, dict):
                raise ModelUnavailable(f"{self.endpoint.url} sent an unreadable event")
            if "error" in event:
                raise error_for(int(event["error"].get("status", 500) if isinstance(event["error"], dict) else 500),
                                event, self.endpoint.url)
            if event.get("usage"):
                counts = event["usage"]
                usage = Usage(int(counts.get("prompt_tokens", 0)), int(counts.get("completion_tokens", 0)))
            for choice in event.get("choices") or []:
                delta = choice.get("delta") or {}
                calls.add(delta.get("tool_calls") or [])
                finish = choice.get("finish_reason") or finish
                if delta.get("content"):
                    yield ChatChunk(text=delta["content"])
        if finish is None:
            raise ModelUnavailable(f"{self.endpoint.url} ended the stream before the answer was complete")
        tool_calls = calls.done()
        yield ChatChunk(tool_calls=tool_calls, finish_reason="tool_calls" if tool_calls else finish,
                        usage=usage or Usage())


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
