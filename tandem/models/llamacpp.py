"""On-device chat with llama.cpp (llama-cpp-python).

One ``Llama`` instance per model, loaded once and kept warm. llama.cpp contexts are not thread-safe, so a
lock serialises generations; a generation checks its ``cancel`` event after every token, so a client that
goes away frees the model at once.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tandem.errors import ContextOverflow, ModelError, ModelUnavailable, ToolCallFailed
from tandem.models.base import ModelInfo
from tandem.models.toolcalls import (
    CALL_OPEN,
    call_grammar,
    json_grammar,
    make_call,
    parse_calls,
    repair,
    schema_errors,
    selected_tools,
)
from tandem.types import ChatChunk, ChatRequest, Message, Tool, ToolCall, Usage

__all__ = ["LlamaCppModel", "default_threads", "render_messages"]


def _message_dict(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.content or ""}
    if m.tool_calls:
        out["tool_calls"] = [{"type": "function", "id": c.id,
                              "function": {"name": c.name, "arguments": c.arguments}} for c in m.tool_calls]
    if m.tool_call_id:
        out["tool_call_id"] = m.tool_call_id
    return out


@contextlib.contextmanager
def _llama_errors() -> Iterator[None]:
    """llama.cpp reports decode failures (e.g. no free KV slot) as bare RuntimeErrors: type them."""
    try:
        yield
    except RuntimeError as exc:
        raise ModelError(f"llama.cpp failed: {exc}", hint="retry with a shorter prompt or lower max_tokens") from exc


def default_threads() -> int:
    """All cores but one. llama.cpp's threads wait for each other at every step, so one that the OS
    preempts (for the HTTP server, or another app) stalls them all: on 2 busy cores the 0.5B model decoded
    1.5-4.8 tok/s with 2 threads and 15.7 tok/s with 1. The spare core serves the API and the device."""
    return max(1, (os.cpu_count() or 1) - 1)


def _fail(message: str) -> None:
    raise ValueError(message)


@functools.lru_cache(maxsize=16)
def _compiled(template: str) -> Any:
    """Chat templates are compiled once: compiling Qwen's costs more than rendering it."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = _fail
    return env.from_string(template)


def render_messages(template: str, request: ChatRequest, *, with_tools: bool) -> str:
    """The prompt text for ``request``, rendered with the model's own chat template."""
    messages = [_message_dict(m) for m in request.messages]
    schema = request.response_format.schema
    if request.response_format.type != "text":
        hint = "Answer with a single JSON object" + (f" matching this JSON schema: {json.dumps(schema)}"
                                                     if schema else ".")
        messages.insert(0 if messages[0]["role"] != "system" else 1, {"role": "system", "content": hint})
    tools = [{"type": "function", "function": {"name": t.name, "description": t.description,
                                               "parameters": t.parameters}} for t in request.tools]
    return str(_compiled(template).render(messages=messages, tools=tools if with_tools and tools else None,
                                          add_generation_prompt=True))


class LlamaCppModel:
    """A GGUF chat model running in this process."""

    def __init__(self, info: ModelInfo, path: Path, *, threads: int = 0, chat_template: str | None = None,
                 prompt_cache_bytes: int = 0) -> None:
        try:
            from llama_cpp import Llama, LlamaRAMCache
        except ImportError as exc:
            raise ModelUnavailable("llama-cpp-python is not installed", hint="pip install tandem") from exc
        self.info = info
        try:
            self._llm = Llama(model_path=str(path), n_ctx=info.capabilities.context_length,
                              n_threads=threads or default_threads(), n_threads_batch=threads or default_threads(),
                              n_batch=512, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModelUnavailable(f"llama.cpp could not load {path}: {exc}") from exc
        if prompt_cache_bytes:
            # Keeps the evaluated states of recent prompts, so that requests which alternate between long
            # prefixes (the agent's tool prompt, a chat) skip re-reading them: ~5x faster first token.
            self._llm.set_cache(LlamaRAMCache(capacity_bytes=prompt_cache_bytes))
        self._template = chat_template or self._llm.metadata.get("tokenizer.chat_template", "")
        if not self._template:
            raise ModelUnavailable(f"{path} has no chat template", hint="set chat_template in models.toml")
        self._lock = threading.Lock()

    @property
    def n_ctx(self) -> int:
        return int(self._llm.n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        cancel = cancel or threading.Event()
        calls_allowed = bool(request.tools) and request.tool_choice != "none"
        tools = selected_tools(request.tools, request.tool_choice) if calls_allowed else []
        prompt = render_messages(self._template, request, with_tools=calls_allowed)
        n_prompt = self.count_tokens(prompt)
        budget = self._budget(n_prompt, request.max_tokens)
        with self._lock, _llama_errors():
            if tools and (request.tool_choice != "auto" or self._wants_tool(prompt, tools)):
                yield self._tool_calls(request, prompt, tools, budget, n_prompt)
            elif request.response_format.type == "json_schema":
                yield self._validated_json(request, prompt, budget, n_prompt)
            else:
                grammar = json_grammar(None) if request.response_format.type == "json_object" else None
                yield from self._text(request, prompt, budget, n_prompt, cancel, grammar)

    def _budget(self, n_prompt: int, max_tokens: int | None) -> int:
        room = self.n_ctx - n_prompt
        if room <= 0 or (max_tokens is not None and max_tokens > room):
            asked = f" + max_tokens {max_tokens}" if max_tokens is not None else ""
            raise ContextOverflow(
                f"this model's context is {self.n_ctx} tokens; the messages take {n_prompt}{asked}",
                param="messages", hint="shorten the conversation or lower max_tokens")
        return max_tokens if max_tokens is not None else room

    def _complete(self, prompt: str, request: ChatRequest, budget: int, **kw: Any) -> Any:
        from llama_cpp import LlamaGrammar

        grammar = kw.pop("grammar", None)
        return self._llm.create_completion(
            prompt, max_tokens=budget, temperature=kw.pop("temperature", request.temperature),
            top_p=request.top_p, stop=list(request.stop) or None, seed=request.seed,
            grammar=LlamaGrammar.from_string(grammar, verbose=False) if grammar else None, **kw)

    def _wants_tool(self, prompt: str, tools: list[Tool]) -> bool:
        """Decide greedily whether the model means to call a tool, so sampling noise cannot flip it.

        Small models often write the call as a JSON block instead of Qwen's ``<tool_call>`` tag, so a
        reply that opens like JSON naming one of the tools counts as a call too. Prose is recognised
        from its first token; only JSON-looking openings are read further (at most 16 tokens)."""
        head = ""
        stream: Any = self._llm.create_completion(prompt, max_tokens=16, temperature=0.0, stream=True)
        try:
            for part in stream:
                head += part["choices"][0]["text"]
                opening = head.lstrip()
                if not opening:
                    continue
                if opening.startswith(CALL_OPEN[:5]) or any(f'"{t.name}"' in opening for t in tools):
                    return True
                if not opening.startswith(("{", "`", "<")):
                    return False
        finally:
            stream.close()
        return False

    def _text(self, request: ChatRequest, prompt: str, budget: int, n_prompt: int,
              cancel: threading.Event, grammar: str | None) -> Iterator[ChatChunk]:
        pieces: list[str] = []
        finish = "stop"
        stream = self._complete(prompt, request, budget, stream=True, grammar=grammar)
        try:
            for part in stream:
                if cancel.is_set():
                    finish = "cancelled"
                    break
                choice = part["choices"][0]
                if choice["text"]:
                    pieces.append(choice["text"])
                    yield ChatChunk(text=choice["text"])
                finish = choice.get("finish_reason") or finish
        finally:
            stream.close()
        usage = Usage(prompt_tokens=n_prompt, completion_tokens=self.count_tokens("".join(pieces)))
        yield ChatChunk(finish_reason=finish, usage=usage)

    def _validated_json(self, request: ChatRequest, prompt: str, budget: int, n_prompt: int) -> ChatChunk:
        schema = request.response_format.schema or {}
        grammar = json_grammar(schema)
        for temperature in (request.temperature, 0.0):
            out = self._complete(prompt, request, budget, grammar=grammar, temperature=temperature)
            text, finish = out["choices"][0]["text"], out["choices"][0]["finish_reason"]
            if finish == "length":
                break
            try:  # grammars let raw control characters into strings: re-serialise what parses
                value = json.loads(text, strict=False)
            except ValueError:
                continue
            if not schema_errors(value, schema):
                text = json.dumps(value, ensure_ascii=False)
                break
        usage = Usage(prompt_tokens=n_prompt, completion_tokens=out["usage"]["completion_tokens"])
        return ChatChunk(text=text, finish_reason=finish, usage=usage)

    def _tool_calls(self, request: ChatRequest, prompt: str, tools: list[Any], budget: int,
                    n_prompt: int) -> ChatChunk:
        schemas = {t.name: t.parameters or {"type": "object"} for t in tools}
        grammar = call_grammar(tools)
        problems: list[str] = []
        for temperature in (request.temperature, 0.0):
            out = self._complete(prompt, request, budget, grammar=grammar, temperature=temperature)
            calls, problems = _checked_calls(out["choices"][0]["text"], schemas)
            if calls and not problems:
                usage = Usage(prompt_tokens=n_prompt, completion_tokens=out["usage"]["completion_tokens"])
                return ChatChunk(tool_calls=tuple(calls), finish_reason="tool_calls", usage=usage)
        raise ToolCallFailed("the model did not produce a valid tool call: " + ("; ".join(problems) or "none"),
                             hint="raise max_tokens or simplify the tool schema")


def _checked_calls(text: str, schemas: dict[str, dict[str, Any]]) -> tuple[list[ToolCall], list[str]]:
    calls, problems = [], []
    for name, arguments in parse_calls(text):
        if name not in schemas:
            problems.append(f"unknown tool {name!r}")
            continue
        fixed = repair(arguments, schemas[name])
        errors = schema_errors(fixed, schemas[name])
        if errors or not isinstance(fixed, dict):
            problems.extend(f"{name}: {e}" for e in errors or ["arguments are not an object"])
            continue
        calls.append(make_call(name, fixed))
    return calls, problems
