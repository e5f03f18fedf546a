"""Plain data shared by every layer: chat messages, tools, requests, streamed chunks and usage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Capabilities",
    "ChatChunk",
    "ChatRequest",
    "ChatResult",
    "Message",
    "ResponseFormat",
    "Role",
    "TokenLogprob",
    "Tool",
    "ToolCall",
    "Usage",
]

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A function call the model asked for."""

    id: str  # opaque id the tool result refers back to
    name: str  # function name, one of the request's tools
    arguments: dict[str, Any]  # parsed, schema-valid arguments


@dataclass(frozen=True)
class Message:
    """One chat turn, in the shape OpenAI's chat API uses."""

    role: Role
    content: str | None = None  # text; None for an assistant turn that only calls tools
    tool_calls: tuple[ToolCall, ...] = ()  # assistant turns only
    tool_call_id: str | None = None  # tool turns only: which call this answers
    name: str | None = None  # optional speaker name
    images: tuple[str, ...] = ()  # data URLs of images, for a model that can see; others read their OCR text


@dataclass(frozen=True)
class Tool:
    """A function the model may call; ``parameters`` is a JSON Schema object."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})


@dataclass(frozen=True)
class ResponseFormat:
    """Constrains the answer: free text, any JSON object, or JSON valid against ``schema``."""

    type: Literal["text", "json_object", "json_schema"] = "text"
    schema: dict[str, Any] | None = None  # only for json_schema


@dataclass(frozen=True)
class ChatRequest:
    """Everything a model needs to answer one chat turn."""

    messages: tuple[Message, ...]
    tools: tuple[Tool, ...] = ()
    # "auto": the model decides; "none": never call; "required": must call one; else a function name.
    tool_choice: str = "auto"
    response_format: ResponseFormat = ResponseFormat()
    max_tokens: int | None = None  # None: until the context is full or the model stops
    temperature: float = 0.7
    top_p: float = 0.95
    stop: tuple[str, ...] = ()
    seed: int | None = None
    presence_penalty: float = 0.0  # OpenAI's range, -2..2: lowers the logits of tokens already in the answer
    frequency_penalty: float = 0.0  # the same, by how often each came
    logit_bias: tuple[tuple[int, float], ...] = ()  # (token id of the model's vocabulary, -100..100 added to its logit)
    # None: no log probabilities; n: each answer token's log probability and its n likeliest alternatives.
    logprobs: int | None = None
    parallel_tool_calls: bool = True  # False: at most one tool call per answer


@dataclass(frozen=True)
class Usage:
    """Token counts of one request."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class TokenLogprob:
    """One generated token and how likely the model found it (OpenAI's ``logprobs``)."""

    token: str  # its text (bytes that are not a whole UTF-8 character appear as U+FFFD; see ``bytes``)
    logprob: float  # natural log of its probability under the model, before temperature and top_p: <= 0
    bytes: tuple[int, ...]  # its exact UTF-8 bytes
    top: tuple[TokenLogprob, ...] = ()  # the likeliest tokens at this position, best first (their own top empty)


@dataclass(frozen=True)
class ChatChunk:
    """One streamed piece of an answer. The last chunk carries ``finish_reason`` and ``usage``."""

    text: str = ""  # new answer text
    tool_calls: tuple[ToolCall, ...] = ()  # complete tool calls (emitted whole, once validated)
    finish_reason: str | None = None  # "stop", "length", "tool_calls" on the last chunk
    usage: Usage | None = None  # on the last chunk
    logprobs: tuple[TokenLogprob, ...] = ()  # one per token of ``text``, when the request asked for them


@dataclass(frozen=True)
class ChatResult:
    """A whole answer, as ``complete()`` assembles it from the chunks."""

    message: Message
    finish_reason: str
    usage: Usage
    logprobs: tuple[TokenLogprob, ...] = ()  # one per answer token, when the request asked for them


@dataclass(frozen=True)
class Capabilities:
    """What a model can do; the router and the API check requests against it."""

    context_length: int
    tools: bool = True
    json_schema: bool = True
    vision: bool = False
    languages: tuple[str, ...] = ("en", "de", "zh")
