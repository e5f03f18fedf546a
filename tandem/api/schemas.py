"""Request bodies of the OpenAI-compatible API, and their translation into Tandem's own types."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tandem.api.unserved import CHAT, refuse_unserved
from tandem.errors import InvalidRequest
from tandem.models.toolcalls import call_grammar, check_schema, json_grammar
from tandem.types import ChatRequest, Message, ResponseFormat, Tool, ToolCall

__all__ = [
    "MOST_PROPERTIES",
    "MOST_SCHEMA_VALUES",
    "MOST_TOOLS",
    "CacheRetention",
    "ChatBody",
    "Metadata",
    "OpenAIBody",
    "Prediction",
    "ServiceTier",
    "StreamOptions",
    "bounded_schemas",
    "check_format",
    "check_parameters",
    "demanded_call",
    "image_texts",
    "on_device",
    "one_choice",
    "token_bias",
]

# image_url → the text standing in for that image (OCR + labels), set per request by the api layer
# (tandem.api.images) before the body is built; text-only models then read images as text.
image_texts: ContextVar[dict[str, str]] = ContextVar("image_texts", default={})  # noqa: B039


# Digests of functions that passed check_parameters, latest last: clients send the same tools with every turn, and
# checking one costs up to seconds (review R23-5).
_PASSED: OrderedDict[str, None] = OrderedDict()
_PASSED_LOCK = threading.Lock()
_REMEMBERED = 512


def check_parameters(schema: Any, name: str, param: str, *, on_device: bool = True) -> None:
    """A function's ``parameters``: a valid schema of an object (its arguments are one) that, ``on_device``, a
    grammar can enforce. Each failing was found only after a model run, as HTTP 500. A function that passed is
    not checked again."""
    if not isinstance(schema, dict):  # true/false are valid JSON Schemas, but no object's
        raise InvalidRequest("a function's parameters must be a JSON schema object", param=param)
    key = hashlib.sha256(json.dumps([name, on_device, schema], sort_keys=True).encode()).hexdigest()
    with _PASSED_LOCK:
        if key in _PASSED:
            _PASSED.move_to_end(key)
            return
    _check_parameters(schema, name, param, on_device=on_device)
    with _PASSED_LOCK:
        _PASSED[key] = None
        while len(_PASSED) > _REMEMBERED:
            _PASSED.popitem(last=False)


def _check_parameters(schema: dict[str, Any], name: str, param: str, *, on_device: bool) -> None:
    check_schema(schema, param)
    kind = schema.get("type", "object")
    if "object" not in (kind if isinstance(kind, list) else [kind]):
        raise InvalidRequest(f"a function's parameters must be a JSON schema of type 'object', not {kind!r}",
                             param=param)
    if on_device:
        _enforceable(lambda: call_grammar((Tool(name, "", schema),)), schema, param)


def check_format(schema: dict[str, Any], param: str, *, on_device: bool = True) -> None:
    """A ``json_schema`` response format: valid, and, ``on_device``, one a grammar can enforce."""
    check_schema(schema, param)
    if on_device:
        _enforceable(lambda: json_grammar(schema), schema, param)


def on_device(model: str) -> bool:
    """Whether a request for ``model`` may run on the device, under llama.cpp's grammar: a ``cloud:`` id goes to
    its endpoint only, which enforces the schema itself."""
    return not model.startswith("cloud:")


_BOUNDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
_MOST = 16_384  # a bound past any device answer (8k tokens): the grammar builder writes a rule per unit of it
# All bounds together (2,000 properties at the cap each cost 3.3 s and 526 MB to build, review R50): far above any
# real schema (64 fields of maxLength 16,384), a few MB and well under a second of building at most.
_ALL = 1 << 20


def _enforceable(build: Any, schema: Any, param: str) -> None:
    """A schema llama.cpp's grammar builder can take, at a cost in proportion to the request: its length and count
    bounds are capped first (``minLength: 10**9`` would make the builder allocate tens of GB)."""
    total = 0
    for keyword, value in _bounds(schema):
        if value > _MOST:
            raise InvalidRequest(f"{keyword} {value} is more than a device answer holds (at most {_MOST})", param=param)
        total += max(0, int(value))
        if total > _ALL:
            raise InvalidRequest(f"the schema's length and count bounds add up to more than {_ALL}", param=param)
    # The converter is foreign code that says "cannot" by raising whatever it raises (AssertionError for a lookahead
    # pattern); about a schema the client sent that is the client's 400, told without the foreign text.
    try:
        build()
    except Exception as exc:
        raise InvalidRequest("this JSON schema cannot be enforced on the device (a pattern with lookaround, or a "
                             "construct its grammar builder does not know)", param=param) from exc


def _bounds(node: Any) -> Any:
    """(keyword, value) of every numeric length or count bound anywhere in ``node``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield from ((k, v) for k, v in item.items() if k in _BOUNDS and isinstance(v, int | float))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# OpenAI's own bound on a request's functions; each one's schema is checked and compiled to a grammar, so 2,000 of them
# held a core for 15 s before any model work.
MOST_TOOLS = 128
# All of a request's schemas together (functions' parameters, the response format): checking and compiling them costs
# in proportion to their properties above all, and their values (40 functions of 300 properties, 4 MB, held a core
# for over a minute). OpenAI's own bound on a schema's properties, and far above real tool sets in values (128
# functions of 20 described fields: ~20,000).
MOST_PROPERTIES = 5_000
MOST_SCHEMA_VALUES = 50_000


def bounded_schemas(schemas: list[Any], param: str) -> None:
    """At most ``MOST_PROPERTIES`` properties and ``MOST_SCHEMA_VALUES`` JSON values in ``schemas`` together, counted
    before any is checked."""
    values, properties, stack = 0, 0, list(schemas)
    while stack:
        item = stack.pop()
        values += 1
        if isinstance(item, dict):
            named = item.get("properties")
            properties += len(named) if isinstance(named, dict) else 0
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        if values > MOST_SCHEMA_VALUES or properties > MOST_PROPERTIES:
            raise InvalidRequest(f"the request's schemas hold more than {MOST_PROPERTIES} properties or "
                                 f"{MOST_SCHEMA_VALUES} JSON values together", param=param,
                                 hint="send fewer or smaller schemas")


def one_choice(n: int, param: str = "n") -> None:
    """``n`` (or the completions API's ``best_of``): Tandem answers with one choice; ``n: 1`` (what clients send by
    default) is that one."""
    if n != 1:
        raise InvalidRequest(f"{param}={n}: Tandem answers with one choice per request", param=param,
                             hint=f"leave {param} out or send 1; ask again for another answer")


def _written(modalities: list[str] | None, audio: dict[str, Any] | None) -> None:
    """A chat answer is written: asked to be spoken as well (``modalities`` with "audio", ``audio``), a 400 rather than
    an answer without the sound."""
    if audio is not None or set(modalities or ()) - {"text"}:
        raise InvalidRequest("chat answers are text here", param="audio" if audio is not None else "modalities",
                             hint="leave modalities and audio out; POST /v1/audio/speech speaks a text")


_MOST_BIASED = 1024


def token_bias(bias: dict[str, float] | None) -> tuple[tuple[int, float], ...]:
    """OpenAI's ``logit_bias`` (token id as a string -> -100..100) as (token id, bias) pairs. The ids are the
    model's own vocabulary's (the device model checks them against it), not OpenAI's tokenizer's."""
    if len(bias or {}) > _MOST_BIASED:  # each one is added to the logits at every token, under the model's lock
        raise InvalidRequest(f"logit_bias may name at most {_MOST_BIASED} tokens", param="logit_bias")
    pairs = []
    for key, value in (bias or {}).items():
        if not (key.isascii() and key.isdigit()) or len(key) > 9:
            raise InvalidRequest(f"logit_bias keys are token ids; {key!r} is not one", param="logit_bias")
        if not -100 <= value <= 100:
            raise InvalidRequest(f"logit_bias values lie between -100 and 100, not {value:g}", param="logit_bias")
        pairs.append((int(key), float(value)))
    return tuple(pairs)


class OpenAIBody(BaseModel):
    """A request body read as OpenAI reads it: unknown fields are ignored, and ``null`` is the same as leaving a field
    out (OpenAI's schemas make the optional parameters nullable, and clients that write every field send
    ``"temperature": null``)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _nulls_are_left_out(cls, data: Any) -> Any:
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


_Body = OpenAIBody


class FunctionDef(_Body):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class ToolDef(_Body):
    type: Literal["function"] = "function"
    function: FunctionDef


class CalledFunction(_Body):
    name: str
    arguments: str | dict[str, Any] = "{}"


class ToolCallIn(_Body):
    id: str
    type: Literal["function"] = "function"
    function: CalledFunction


class ContentPart(_Body):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None
    image_url: str | dict[str, Any] | None = None


class MessageIn(_Body):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: str | None = None
    name: str | None = None
    function_call: CalledFunction | None = None  # legacy ``functions`` API: one call per assistant turn


class JsonSchemaSpec(_Body):
    name: str = "response"
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")
    strict: bool | None = None


class ResponseFormatIn(_Body):
    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: JsonSchemaSpec | None = None


def demanded_call(choice: str, tools: tuple[Tool, ...]) -> str:
    """``choice``, unless it demands a call (``required``, or a function by name) while no tools were sent: OpenAI
    answers that with a 400, and a model that may call nothing could only ignore the demand."""
    if choice not in ("auto", "none") and not tools:
        raise InvalidRequest(f"tool_choice {choice!r} demands a tool call, but the request has no tools",
                             param="tool_choice", hint="send tools, or leave tool_choice out")
    return choice


class NamedToolChoice(_Body):
    type: Literal["function"] = "function"
    function: dict[str, str]


class StreamOptions(_Body):
    include_usage: bool = False


class Prediction(_Body):
    """Predicted output: it only makes OpenAI's answer faster, never different, so it is read and not used."""

    type: Literal["content"]
    content: str | list[ContentPart]


def _metadata(value: dict[str, str] | None) -> dict[str, str] | None:
    """OpenAI's bounds on ``metadata``: 16 pairs, keys of 64 characters, values of 512."""
    if value and (len(value) > 16 or any(len(k) > 64 or len(v) > 512 for k, v in value.items())):
        raise ValueError("at most 16 pairs, keys of at most 64 characters and values of at most 512")
    return value


Metadata = Annotated[dict[str, str] | None, AfterValidator(_metadata)]
# What only OpenAI's billing, caching, ranking or keeping of a request reads: the answer is the same without it.
ServiceTier = Literal["auto", "default", "flex", "scale", "priority", "fast"]
CacheRetention = Literal["in_memory", "24h"]


class ChatBody(_Body):
    model: str
    messages: list[MessageIn] = Field(min_length=1)
    tools: list[ToolDef] | None = Field(default=None, max_length=MOST_TOOLS)
    tool_choice: Literal["auto", "none", "required"] | NamedToolChoice | None = None
    response_format: ResponseFormatIn | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float = Field(default=0.7, ge=0, le=2)
    top_p: float = Field(default=0.8, gt=0, le=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    presence_penalty: float = Field(default=0.0, ge=-2, le=2)
    frequency_penalty: float = Field(default=0.0, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    n: int = 1
    stream: bool = False
    stream_options: StreamOptions | None = None
    # The legacy function-calling API (before ``tools``): answered with ``message.function_call``.
    functions: list[FunctionDef] | None = Field(default=None, max_length=MOST_TOOLS)
    function_call: Literal["auto", "none"] | dict[str, str] | None = None
    parallel_tool_calls: bool | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    # accepted, not used (tandem.api.unserved): the answer is the same without them
    prediction: Prediction | None = None
    service_tier: ServiceTier | None = None
    store: bool | None = None
    metadata: Metadata = None  # tandem:assistant reads its conversation_id
    user: str | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: CacheRetention | None = None
    prompt_cache_options: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _served(cls, data: Any) -> Any:
        refuse_unserved(data, CHAT)
        return data

    @property
    def legacy_functions(self) -> bool:
        return self.functions is not None and not self.tools

    def to_request(self) -> ChatRequest:
        if self.top_logprobs is not None and not self.logprobs:
            raise InvalidRequest("top_logprobs needs logprobs: true", param="top_logprobs")
        one_choice(self.n)
        _written(self.modalities, self.audio)
        defs = [t.function for t in self.tools or []] or list(self.functions or [])
        where = "tools[{}].function.parameters" if self.tools else "functions[{}].parameters"
        tools = tuple(Tool(f.name, f.description, f.parameters) for f in defs)
        fmt = self.response_format.json_schema if self.response_format else None
        bounded_schemas([*(t.parameters for t in tools), fmt.schema_ if fmt else None],
                        "tools" if self.tools else "functions" if self.functions else "response_format")
        for i, tool in enumerate(tools):
            check_parameters(tool.parameters, tool.name, where.format(i), on_device=on_device(self.model))
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        return ChatRequest(
            messages=_messages(self.messages), tools=tools,
            tool_choice=demanded_call(self._tool_choice(), tools), response_format=self._response_format(),
            max_tokens=self.max_completion_tokens or self.max_tokens, temperature=self.temperature,
            top_p=self.top_p, stop=stop, seed=self.seed, logprobs=(self.top_logprobs or 0) if self.logprobs else None,
            parallel_tool_calls=self.parallel_tool_calls is not False, presence_penalty=self.presence_penalty,
            frequency_penalty=self.frequency_penalty, logit_bias=token_bias(self.logit_bias))

    def _tool_choice(self) -> str:
        if self.function_call is not None and not self.tools:
            if isinstance(self.function_call, str):
                return self.function_call
            if not self.function_call.get("name"):
                raise InvalidRequest("function_call.name is required", param="function_call")
            return self.function_call["name"]
        if isinstance(self.tool_choice, NamedToolChoice):
            name = self.tool_choice.function.get("name")
            if not name:
                raise InvalidRequest("tool_choice.function.name is required", param="tool_choice")
            return name
        return self.tool_choice or "auto"

    def _response_format(self) -> ResponseFormat:
        fmt = self.response_format or ResponseFormatIn()
        if fmt.type != "json_schema":
            return ResponseFormat(type=fmt.type)
        if fmt.json_schema is None or not fmt.json_schema.schema_:
            raise InvalidRequest("response_format.json_schema.schema is required", param="response_format")
        check_format(fmt.json_schema.schema_, "response_format.json_schema.schema", on_device=on_device(self.model))
        return ResponseFormat(type="json_schema", schema=fmt.json_schema.schema_)


def _text(content: str | list[ContentPart] | None, index: int) -> str | None:
    if content is None or isinstance(content, str):
        return content
    parts = []
    for part in content:
        url = part.image_url.get("url") if isinstance(part.image_url, dict) else part.image_url
        if part.type == "image_url" and url in image_texts.get():
            parts.append(f"\n{image_texts.get()[url]}\n")
            continue
        if part.type != "text" or part.text is None:
            raise InvalidRequest(f"content part type {part.type!r} is not supported by this model",
                                 param=f"messages[{index}].content")
        parts.append(part.text)
    return "".join(parts)


def _arguments(raw: str | dict[str, Any], where: str) -> dict[str, Any]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise InvalidRequest("tool call arguments are not valid JSON", param=where) from exc
    if not isinstance(value, dict):
        raise InvalidRequest("tool call arguments must be a JSON object", param=where)
    return value


def _message(m: MessageIn, index: int) -> Message:
    calls = tuple(ToolCall(c.id, c.function.name,
                           _arguments(c.function.arguments, f"messages[{index}].tool_calls[{j}]"))
                  for j, c in enumerate(m.tool_calls or []))
    if m.function_call is not None:
        arguments = _arguments(m.function_call.arguments, f"messages[{index}].function_call")
        calls = (*calls, ToolCall(f"call_legacy_{index}", m.function_call.name, arguments))
    role = "system" if m.role == "developer" else m.role
    if role == "function":  # a legacy function result answers the latest call of that name
        return Message(role="tool", content=_text(m.content, index), tool_call_id=m.tool_call_id, name=m.name)
    return Message(role=role, content=_text(m.content, index), tool_calls=calls,
                   tool_call_id=m.tool_call_id, name=m.name)


def _messages(given: list[MessageIn]) -> tuple[Message, ...]:
    out: list[Message] = []
    latest: dict[str, str] = {}  # legacy: function name -> id of its latest call
    for i, m in enumerate(given):
        message = _message(m, i)
        latest.update({c.name: c.id for c in message.tool_calls})
        if m.role == "function" and message.tool_call_id is None:
            message = Message(role="tool", content=message.content, tool_call_id=latest.get(m.name or ""),
                              name=m.name)
        out.append(message)
    return tuple(out)
