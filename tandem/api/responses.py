"""``POST /v1/responses``: OpenAI's Responses API over any Tandem model.

The conversation comes with each request (``input`` as text or items: messages, ``function_call`` and
``function_call_output``), or continues a stored response (``previous_response_id``: its conversation and
answer come first, its ``instructions`` do not carry over, as with OpenAI). A response is stored for its
own client unless the request says ``store: false`` (``tandem.app.stored``); ``GET`` and ``DELETE
/v1/responses/{id}`` read and remove it. Function tools, ``tool_choice``, ``instructions``, ``text.format``
(json_schema / json_object), output-text logprobs and streaming (the Responses event stream) are supported.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field, model_validator
from starlette.concurrency import run_in_threadpool

from tandem.api.bodies import ParsedRoute
from tandem.api.clients import client_of
from tandem.api.errors import PreviousResponseNotFound, status_of
from tandem.api.pump import Pump
from tandem.api.schemas import (
    MOST_TOOLS,
    CacheRetention,
    Metadata,
    OpenAIBody,
    ServiceTier,
    bounded_schemas,
    check_format,
    check_parameters,
    demanded_call,
    on_device,
)
from tandem.api.streaming import CloudGivesBack, ModelStream, begin, count_usage, token_logprobs, whole_answer
from tandem.api.unserved import RESPONSES, refuse_unserved
from tandem.app.stored import ResponseStore
from tandem.errors import InvalidRequest, NotFound, TandemError
from tandem.types import (
    ChatChunk,
    ChatRequest,
    ChatResult,
    Message,
    ResponseFormat,
    Role,
    TokenLogprob,
    Tool,
    ToolCall,
    Usage,
)

__all__ = ["ResponsesBody", "router"]

router = APIRouter(route_class=ParsedRoute)

_TEXT_PARTS = ("input_text", "output_text", "text")
_ROLES: dict[str, Role] = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
_LOGPROBS = "message.output_text.logprobs"


_Body = OpenAIBody


class ResponsesBody(_Body):
    model: str
    input: str | list[dict[str, Any]] = Field(min_length=1)
    instructions: str | None = None
    tools: list[dict[str, Any]] | None = Field(default=None, max_length=MOST_TOOLS)
    tool_choice: Literal["auto", "none", "required"] | dict[str, Any] | None = None
    text: dict[str, Any] | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float = Field(default=0.7, ge=0, le=2)
    top_p: float = Field(default=0.8, gt=0, le=1)
    stream: bool = False
    previous_response_id: str | None = Field(default=None, min_length=1)
    store: bool = True
    include: list[str] | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    parallel_tool_calls: bool = True
    metadata: Metadata = None
    # accepted, not used (tandem.api.unserved): the answer is the same without them
    service_tier: ServiceTier | None = None
    user: str | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: CacheRetention | None = None
    truncation: Literal["auto", "disabled"] | None = None
    stream_options: dict[str, Any] | None = None
    reasoning: dict[str, Any] | None = None  # only effort "none" (tandem.api.unserved)
    max_tool_calls: int | None = Field(default=None, ge=0)  # OpenAI's built-in tools only, which are not served
    prompt_cache_options: dict[str, Any] | None = None
    image: dict[str, Any] | None = None  # options of image tools, which are not served

    @model_validator(mode="before")
    @classmethod
    def _served(cls, data: Any) -> Any:
        refuse_unserved(data, RESPONSES)
        return data

    @property
    def logprobs(self) -> bool:
        return _LOGPROBS in (self.include or [])

    def conversation(self, history: tuple[Message, ...] = ()) -> tuple[Message, ...]:
        """The stored conversation this request continues, then its input (``instructions`` apart)."""
        conversation = (*history, *_messages(self.input))
        if not conversation:
            raise InvalidRequest("input holds no message", param="input")
        return conversation

    def to_request(self, conversation: tuple[Message, ...]) -> ChatRequest:
        if self.top_logprobs is not None and not self.logprobs:
            raise InvalidRequest(f"top_logprobs needs include: [{_LOGPROBS!r}]", param="top_logprobs")
        system = (Message(role="system", content=self.instructions),) if self.instructions else ()
        tools = self._tools()
        return ChatRequest(messages=(*system, *conversation), tools=tools,
                           tool_choice=demanded_call(self._tool_choice(), tools),
                           response_format=self._format(), max_tokens=self.max_output_tokens,
                           temperature=self.temperature, top_p=self.top_p,
                           logprobs=(self.top_logprobs or 0) if self.logprobs else None,
                           parallel_tool_calls=self.parallel_tool_calls)

    def _tools(self) -> tuple[Tool, ...]:
        fmt = (self.text or {}).get("format")
        bounded_schemas([*(self.tools or []), fmt.get("schema") if isinstance(fmt, dict) else None],
                        "tools" if self.tools else "text.format.schema")
        tools = []
        for i, spec in enumerate(self.tools or []):
            if spec.get("type") != "function" or not isinstance(spec.get("name"), str):
                raise InvalidRequest(f"tool type {spec.get('type')!r} is not supported; only function tools are",
                                     param=f"tools[{i}]")
            parameters = spec.get("parameters")
            parameters = {"type": "object", "properties": {}} if parameters is None else parameters
            check_parameters(parameters, spec["name"], f"tools[{i}].parameters", on_device=on_device(self.model))
            tools.append(Tool(spec["name"], spec.get("description") or "", parameters))
        return tuple(tools)

    def _tool_choice(self) -> str:
        if isinstance(self.tool_choice, dict):
            name = self.tool_choice.get("name")
            if self.tool_choice.get("type") != "function" or not isinstance(name, str):
                raise InvalidRequest("tool_choice must be auto, none, required or a function", param="tool_choice")
            return name
        return self.tool_choice or "auto"

    def _format(self) -> ResponseFormat:
        fmt = (self.text or {}).get("format") or {"type": "text"}
        kind = fmt.get("type")
        if kind in ("text", "json_object"):
            return ResponseFormat(type=kind)
        if kind != "json_schema":
            raise InvalidRequest(f"text.format type {kind!r} is not supported", param="text.format")
        schema = fmt.get("schema")
        if not isinstance(schema, dict) or not schema:
            raise InvalidRequest("text.format.schema is required", param="text.format.schema")
        check_format(schema, "text.format.schema", on_device=on_device(self.model))
        return ResponseFormat(type="json_schema", schema=schema)


def _content(content: Any, where: str) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise InvalidRequest("content must be text or a list of parts", param=where)
    texts = []
    for j, part in enumerate(content):
        if not isinstance(part, dict) or part.get("type") not in _TEXT_PARTS:
            kind = part.get("type") if isinstance(part, dict) else type(part).__name__
            raise InvalidRequest(f"content part type {kind!r} is not supported on /v1/responses",
                                 param=f"{where}[{j}]", hint="send images through /v1/chat/completions")
        texts.append(str(part.get("text") or ""))
    return "".join(texts)


def _messages(given: str | list[dict[str, Any]]) -> list[Message]:
    """Input items as chat messages; consecutive function calls become one assistant turn."""
    if isinstance(given, str):
        return [Message(role="user", content=given)]
    out: list[Message] = []
    for i, item in enumerate(given):
        kind = item.get("type", "message")
        if kind == "message":
            role = _ROLES.get(str(item.get("role")))
            if role is None:
                raise InvalidRequest(f"role {item.get('role')!r} is not supported", param=f"input[{i}].role")
            out.append(Message(role=role, content=_content(item.get("content", ""), f"input[{i}].content")))
        elif kind == "function_call":
            out.append(_call_message(out, item, i))
        elif kind == "function_call_output":
            output = item.get("output", "")
            text = output if isinstance(output, str) else _content(output, f"input[{i}].output")
            out.append(Message(role="tool", content=text, tool_call_id=str(item.get("call_id", ""))))
        elif kind != "reasoning":  # a reasoning summary from another model: nothing to act on
            raise InvalidRequest(f"input item type {kind!r} is not supported", param=f"input[{i}].type")
    return out


def _call_message(out: list[Message], item: dict[str, Any], i: int) -> Message:
    try:
        arguments = json.loads(item.get("arguments") or "{}")
    except ValueError as exc:
        raise InvalidRequest("function_call arguments are not valid JSON", param=f"input[{i}].arguments") from exc
    if not isinstance(arguments, dict):
        raise InvalidRequest("function_call arguments must be a JSON object", param=f"input[{i}].arguments")
    call = ToolCall(str(item.get("call_id", "")), str(item.get("name", "")), arguments)
    if out and out[-1].role == "assistant" and out[-1].tool_calls:
        previous = out.pop()
        return Message(role="assistant", content=previous.content, tool_calls=(*previous.tool_calls, call))
    if out and out[-1].role == "assistant" and not out[-1].tool_calls:
        previous = out.pop()
        return Message(role="assistant", content=previous.content, tool_calls=(call,))
    return Message(role="assistant", content=None, tool_calls=(call,))


def _text_item(text: str, item_id: str, status: str = "completed",
               logprobs: tuple[TokenLogprob, ...] = ()) -> dict[str, Any]:
    parts = [{"type": "output_text", "text": text, "annotations": [], "logprobs": token_logprobs(logprobs)}]
    return {"type": "message", "id": item_id, "status": status, "role": "assistant",
            "content": parts if status == "completed" else []}


def _call_item(call: ToolCall, status: str = "completed") -> dict[str, Any]:
    arguments = json.dumps(call.arguments, ensure_ascii=False) if status == "completed" else ""
    return {"type": "function_call", "id": f"fc_{call.id.removeprefix('call_')}", "call_id": call.id,
            "name": call.name, "arguments": arguments, "status": status}


def _usage(u: Usage) -> dict[str, Any]:
    return {"input_tokens": u.prompt_tokens, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": u.completion_tokens, "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": u.total_tokens}


class _Response:
    """One response object, as it is while generating and once done."""

    def __init__(self, body: ResponsesBody, conversation: tuple[Message, ...], owner: str, home: Path) -> None:
        self.body, self.id, self.created = body, f"resp_{uuid.uuid4().hex}", int(time.time())
        self.message_id = f"msg_{uuid.uuid4().hex}"
        self.conversation, self.owner, self.home = conversation, owner, home

    def keep(self, answer: Message, document: dict[str, Any]) -> None:
        """Store the finished response for follow-ups, unless the client said ``store: false``."""
        if self.body.store:
            with ResponseStore.at_home(self.home) as store:
                store.put(self.id, self.owner, (*self.conversation, answer), document)

    def document(self, status: str, output: list[dict[str, Any]], usage: Usage | None = None,
                 finish: str | None = None) -> dict[str, Any]:
        incomplete = {"reason": "max_output_tokens"} if finish == "length" else None
        return {
            "id": self.id, "object": "response", "created_at": self.created,
            "status": "incomplete" if incomplete and status == "completed" else status,
            "model": self.body.model, "output": output, "error": None, "incomplete_details": incomplete,
            "instructions": self.body.instructions, "max_output_tokens": self.body.max_output_tokens,
            "parallel_tool_calls": self.body.parallel_tool_calls,
            "previous_response_id": self.body.previous_response_id,
            "temperature": self.body.temperature, "top_p": self.body.top_p,
            "tool_choice": self.body.tool_choice or "auto", "tools": self.body.tools or [],
            "text": self.body.text or {"format": {"type": "text"}}, "truncation": "disabled",
            "metadata": self.body.metadata or {}, "store": self.body.store,
            "usage": _usage(usage) if usage is not None else None,
        }

    def output(self, result: ChatResult) -> list[dict[str, Any]]:
        content = result.message.content
        items = [_text_item(content, self.message_id, logprobs=result.logprobs)] if content else []
        return items + [_call_item(c) for c in result.message.tool_calls]


class _Events:
    """The Responses event stream: each event named, numbered, and sent as ``event:`` + ``data:``."""

    def __init__(self, response: _Response) -> None:
        self.response, self.sequence = response, 0

    def __call__(self, kind: str, **fields: Any) -> str:
        body = {"type": kind, "sequence_number": self.sequence, **fields}
        self.sequence += 1
        return f"event: {kind}\ndata: {json.dumps(body, ensure_ascii=False)}\n\n"

    def text_opened(self, index: int) -> list[str]:
        item_id = self.response.message_id
        part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
        return [self("response.output_item.added", output_index=index, item=_text_item("", item_id, "in_progress")),
                self("response.content_part.added", item_id=item_id, output_index=index, content_index=0, part=part)]

    def text_closed(self, index: int, text: str, logprobs: tuple[TokenLogprob, ...]) -> list[str]:
        item = _text_item(text, self.response.message_id, logprobs=logprobs)
        part, item_id = item["content"][0], item["id"]
        return [self("response.output_text.done", item_id=item_id, output_index=index, content_index=0, text=text,
                     logprobs=token_logprobs(logprobs, with_bytes=False)),
                self("response.content_part.done", item_id=item_id, output_index=index, content_index=0, part=part),
                self("response.output_item.done", output_index=index, item=item)]

    def call(self, index: int, call: ToolCall) -> list[str]:
        item = _call_item(call)
        return [self("response.output_item.added", output_index=index, item=_call_item(call, "in_progress")),
                self("response.function_call_arguments.delta", item_id=item["id"], output_index=index,
                     delta=item["arguments"]),
                self("response.function_call_arguments.done", item_id=item["id"], output_index=index,
                     name=call.name, arguments=item["arguments"]),
                self("response.output_item.done", output_index=index, item=item)]


async def _stream(pump: Pump, response: _Response, request: Request) -> AsyncIterator[str]:
    event = _Events(response)
    chunk: ChatChunk | None = None
    text: list[str] = []
    scored: list[TokenLogprob] = []
    calls: list[ToolCall] = []
    output: list[dict[str, Any]] = []
    usage, finish = Usage(), None
    yield event("response.created", response=response.document("in_progress", []))
    yield event("response.in_progress", response=response.document("in_progress", []))
    try:
        chunk = await pump.next()
        while chunk is not None:
            if chunk.text:
                for opened in event.text_opened(0) if not text else []:
                    yield opened
                text.append(chunk.text)
                scored.extend(chunk.logprobs)
                yield event("response.output_text.delta", item_id=response.message_id, output_index=0, content_index=0,
                            delta=chunk.text, logprobs=token_logprobs(chunk.logprobs, with_bytes=False))
            if text and (chunk.tool_calls or chunk.finish_reason) and not output:
                for closed in event.text_closed(0, "".join(text), tuple(scored)):
                    yield closed
                output.append(_text_item("".join(text), response.message_id, logprobs=tuple(scored)))
            for call in chunk.tool_calls:
                for part in event.call(len(output), call):
                    yield part
                output.append(_call_item(call))
                calls.append(call)
            usage, finish = chunk.usage or usage, chunk.finish_reason or finish
            chunk = await pump.next()
        count_usage(request, response.body.model, usage)
        document = response.document("completed", output, usage, finish)
        answer = Message(role="assistant", content="".join(text) or None, tool_calls=tuple(calls))
        await run_in_threadpool(response.keep, answer, document)
        yield event("response.completed", response=document)
    except TandemError as exc:
        chunk = None
        error = status_of(exc)[1]["error"]
        yield event("error", code=error["code"], message=error["message"], param=error["param"])


def _store(request: Request) -> ResponseStore:
    return ResponseStore.at_home(request.app.state.registry.settings.home)


def _history(request: Request, response_id: str | None) -> tuple[Message, ...]:
    if not response_id:
        return ()
    with _store(request) as store:
        try:
            return store.conversation(response_id, client_of(request))
        except NotFound as exc:  # another client's id is answered exactly like one never issued
            raise PreviousResponseNotFound(f"Previous response with id {response_id!r} not found.",
                                           param="previous_response_id", hint=exc.hint) from exc


@router.post("/v1/responses", response_model=None)
async def responses(body: ResponsesBody, request: Request) -> JSONResponse | StreamingResponse:
    conversation = body.conversation(await run_in_threadpool(_history, request, body.previous_response_id))
    chat_request = await run_in_threadpool(body.to_request, conversation)  # schemas checked: off the event loop
    model = CloudGivesBack(await run_in_threadpool(request.app.state.registry.get, body.model), request.state)
    response = _Response(body, conversation, client_of(request), request.app.state.registry.settings.home)
    if not body.stream:
        result = await whole_answer(request, model, chat_request, body.model)
        count_usage(request, body.model, result.usage)
        document = response.document("completed", response.output(result), result.usage, result.finish_reason)
        await run_in_threadpool(response.keep, result.message, document)
        return JSONResponse(document, headers=model.headers())
    pump = Pump(model.stream(chat_request, cancel := threading.Event()), cancel)
    await begin(pump, request)  # errors before the first token still get a proper HTTP status
    streamed = ModelStream(_stream(pump, response, request), pump)
    streamed.headers.update(model.headers())
    return streamed


def _read(request: Request, response_id: str) -> dict[str, Any]:
    with _store(request) as store:
        return store.document(response_id, client_of(request))


def _delete(request: Request, response_id: str) -> None:
    with _store(request) as store:
        store.delete(response_id, client_of(request))


@router.get("/v1/responses/{response_id}")
async def read_response(response_id: str, request: Request) -> JSONResponse:
    """A stored response of this client's (404 for any other client's)."""
    return JSONResponse(await run_in_threadpool(_read, request, response_id))


@router.delete("/v1/responses/{response_id}")
async def delete_response(response_id: str, request: Request) -> JSONResponse:
    await run_in_threadpool(_delete, request, response_id)
    return JSONResponse({"id": response_id, "object": "response", "deleted": True})
