"""On-device chat with llama.cpp (llama-cpp-python).

One ``Llama`` instance per model, loaded once and kept warm. llama.cpp contexts are not thread-safe, so a
lock serialises generations; a generation checks its ``cancel`` event after every token, so a client that
goes away frees the model at once.

A request's fixed part is its first system message with the tools and the answer format, as the chat
template renders them before any other message (``LlamaCppModel.fixed_length``). Its evaluated state is
kept (``tandem.models.prefix``), so callers that keep that part the same across requests and put what
varies after it (the device tier's capability prompt: date, city and the user's words come later) pay
for it once, even when other requests come in between.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from tandem.errors import ContextOverflow, InvalidRequest, ModelError, ModelUnavailable, OutputInvalid, ToolCallFailed
from tandem.forget import forgets
from tandem.models.base import ModelInfo
from tandem.models.prefix import PrefixStates, common_length
from tandem.models.scored import scored_completion
from tandem.models.toolcalls import (
    CALL_OPEN,
    answered,
    call_grammar,
    call_key,
    json_grammar,
    make_call,
    next_page_calls,
    parse_calls,
    repair,
    result_notes,
    schema_errors,
    selected_tools,
    settled,
)
from tandem.types import ChatChunk, ChatRequest, Message, Tool, ToolCall, Usage

__all__ = ["LlamaCppModel", "call_key", "default_threads", "fresh_calls", "render_messages"]


def _message_dict(m: Message, mark: Callable[[str], str] = str) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": mark(m.content) if m.content else ""}
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


def render_messages(template: str, request: ChatRequest, *, with_tools: bool,
                    mark: Callable[[str], str] = str) -> str:
    """The prompt text for ``request``, rendered with the model's own chat template. ``mark`` wraps every
    text a caller wrote (contents, the schema hint), so that they can be told apart from the template's."""
    messages = [_message_dict(m, mark) for m in request.messages]
    schema = request.response_format.schema
    if request.response_format.type != "text":
        hint = "Answer with a single JSON object" + (f" matching this JSON schema: {json.dumps(schema)}"
                                                     if schema else ".")
        messages.insert(0 if messages[0]["role"] != "system" else 1, {"role": "system", "content": mark(hint)})
    tools = [{"type": "function", "function": {"name": t.name, "description": t.description,
                                               "parameters": t.parameters}} for t in request.tools]
    return str(_compiled(template).render(messages=messages, tools=tools if with_tools and tools else None,
                                          add_generation_prompt=True))


_LOOKED = 64  # prompts whose greedy look for a tool call (``_wants_tool``) is remembered
# Appended when the model would make a call again whose result it has for this request, or answers with
# nothing: small models copy the call again from the conversation unless told that the results are there
# to answer from.
_FORGET_WAIT_S = 120.0  # an erasure waits this long for a generation in progress
_REVIEW = ("Already done for the user's last message, with the results above: {done}. If that is all the "
           "user asked for, answer the user now. Call a tool only for something asked that is not done yet.")
_ANSWER_NOW = ("The tool results above are all you need. Now answer the user in plain language; "
               "do not write JSON or call a tool.")


class LlamaCppModel:
    """A GGUF chat model running in this process."""

    def __init__(self, info: ModelInfo, path: Path, *, threads: int = 0, chat_template: str | None = None,
                 prompt_cache_bytes: int = 0, prefixes: PrefixStates | None = None) -> None:
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
        self.prefixes = PrefixStates() if prefixes is None else prefixes  # bounded: a few MB per prefix
        self._looked: OrderedDict[bytes, bool] = OrderedDict()  # ``_wants_tool``'s decisions, by prompt and tools
        forgets(self)  # its context, prompt cache and saved prefixes hold evaluated user texts

    def forget(self) -> None:
        """An erasure (``tandem.forget``): drop what the model keeps of earlier prompts, the saved prefix
        states, the prompt cache, the context's tokens and its KV memory, so nothing evaluated from the
        user's texts stays. Waits for a generation in progress (it holds the context); if that does not end
        within ``_FORGET_WAIT_S`` the erasure fails instead of saying it is done."""
        if not self._lock.acquire(timeout=_FORGET_WAIT_S):
            raise ModelError(f"{self.info.id} is still generating; erase again when it has answered")
        try:
            self.prefixes.clear()
            self._looked.clear()
            cache = getattr(self._llm, "cache", None)
            if cache is not None:
                self._llm.set_cache(type(cache)(capacity_bytes=cache.capacity_bytes))
            self._llm.reset()
            self._llm.input_ids[:] = 0
            self._llm._ctx.kv_cache_clear()
        finally:
            self._lock.release()

    @property
    def n_ctx(self) -> int:
        return int(self._llm.n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def prompt_tokens(self, request: ChatRequest, *, with_tools: bool) -> list[int]:
        """The prompt as tokens. Control tokens (``<|im_start|>`` ...) come only from the chat template:
        what a user, a client or a tool wrote is read as plain text, so it cannot forge a turn."""
        nonce = uuid.uuid4().hex[:12]
        texts: list[str] = []

        def mark(text: str) -> str:
            texts.append(text)
            return f"\ue000{nonce}{len(texts) - 1}\ue001"

        rendered = render_messages(self._template, request, with_tools=with_tools, mark=mark)
        head, *marked = rendered.split(f"\ue000{nonce}")
        pieces = [(head, True)]
        for part in marked:  # "<index>\ue001<template text up to the next mark>"
            index, _, after = part.partition("\ue001")
            pieces += [(texts[int(index)], False), (after, True)]
        tokens: list[int] = []
        for text, special in pieces:
            if text:
                tokens += self._llm.tokenize(text.encode("utf-8"), add_bos=not tokens, special=special)
        return tokens

    def fixed_length(self, request: ChatRequest, prompt: list[int], *, with_tools: bool) -> int:
        """How many leading tokens of ``prompt`` are the request's fixed part: its first system message, the
        tools and the answer format, as the template renders them before the next message (0 when the
        request has no such part, or nothing after it)."""
        if len(request.messages) < 2 or request.messages[0].role != "system":
            return 0
        head = self.prompt_tokens(replace(request, messages=request.messages[:1]), with_tools=with_tools)
        return common_length(head, prompt)

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        cancel = cancel or threading.Event()
        self._check_bias(request)
        calls_allowed = bool(request.tools) and request.tool_choice != "none"
        tools = selected_tools(request.tools, request.tool_choice) if calls_allowed else []
        auto = request.tool_choice == "auto"
        notes = result_notes(request.messages, tools) if auto else []
        offered = next_page_calls(request.messages, tools) if auto else set()
        if notes:  # what the results say beyond their data: a failure to retry, a next page
            request = replace(request, messages=(*request.messages, Message(role="system", content=" ".join(notes))))
        prompt = self.prompt_tokens(request, with_tools=calls_allowed)
        budget = self._budget(len(prompt), request.max_tokens)
        n_fixed = self.fixed_length(request, prompt, with_tools=calls_allowed) if self.prefixes.max_entries else 0
        with self._lock, _llama_errors():
            self.prefixes.prepare(self._llm, prompt, n_fixed)
            if not tools or (auto and not self._wants_tool(prompt, tools)):
                yield from self._answer_after_results(request, prompt, budget, cancel)
                return
            chunk = self._tool_calls(request, prompt, tools, budget, offered, cancel)
            if chunk is not None and auto and chunk.finish_reason != "cancelled":
                chunk = self._reviewed(request, tools, chunk, offered, cancel)
            if chunk is not None:
                yield chunk
                return
            # Every call it wrote was made already for this request, and its result is in the conversation:
            # the model has what it asked for and answers in prose, so the loop ends instead of booking again.
            yield from self._answer_now(request, cancel)

    def _reviewed(self, request: ChatRequest, tools: list[Tool], chunk: ChatChunk,
                  offered: set[str], cancel: threading.Event) -> ChatChunk | None:
        """``chunk``'s calls, or the model's decision made again once told what was done for this request,
        when one of them calls a function that has answered it already with other arguments. Small models
        go on booking "for 1" or another showtime after a booking; stated plainly what is done, they answer,
        while a call that still follows is made. The calls ``offered`` (the next page a result says follows,
        see ``result_notes``) are not reviewed: the result asked for them."""
        done = list(settled(request.messages).values())
        if not any(c.name in {d.name for d in done} and call_key(c.name, c.arguments) not in offered
                   for c in chunk.tool_calls):
            return chunk
        facts = "; ".join(f"{d.name}({json.dumps(d.arguments, ensure_ascii=False)})" for d in done)
        note = Message(role="system", content=_REVIEW.format(done=facts))
        request = replace(request, messages=(*request.messages, note))
        prompt = self.prompt_tokens(request, with_tools=True)
        budget = self._budget(len(prompt), request.max_tokens)
        if not self._wants_tool(prompt, tools):
            return None
        return self._tool_calls(request, prompt, tools, budget, cancel=cancel)

    def _answer_now(self, request: ChatRequest, cancel: threading.Event) -> Iterator[ChatChunk]:
        """A prose answer from the tool results in the conversation, without any call."""
        request = replace(request, messages=(*request.messages, Message(role="system", content=_ANSWER_NOW)))
        prompt = self.prompt_tokens(request, with_tools=False)
        budget = self._budget(len(prompt), request.max_tokens)
        yield from self._answer(request, prompt, budget, cancel, self._no_call_bias())

    def _answer_after_results(self, request: ChatRequest, prompt: list[int], budget: int,
                              cancel: threading.Event) -> Iterator[ChatChunk]:
        """The answer; one that is empty (or only whitespace) while tool results are in the conversation is
        asked for again as in ``_answer_now``: a loop must end with words, not with nothing."""
        held: list[ChatChunk] | None = [] if request.tools and answered(request.messages) else None
        for chunk in self._answer(request, prompt, budget, cancel):
            if held is None:
                yield chunk
                continue
            held.append(chunk)
            if (chunk.text or "").strip() or chunk.tool_calls:
                yield from held
                held = None
        if held is None:
            return
        if cancel.is_set() or any(c.finish_reason == "length" for c in held):
            yield from held
            return
        yield from self._answer_now(request, cancel)

    def _answer(self, request: ChatRequest, prompt: list[int], budget: int, cancel: threading.Event,
                logit_bias: dict[int, float] | None = None) -> Iterator[ChatChunk]:
        """An answer without tool calls: free text, any JSON object, or JSON valid against the schema."""
        if request.response_format.type == "json_schema":
            yield self._validated_json(request, prompt, budget, cancel)
            return
        grammar = json_grammar(None) if request.response_format.type == "json_object" else None
        yield from self._text(request, prompt, budget, cancel, grammar, logit_bias)

    def stream_text(self, prompt: str, request: ChatRequest,
                    cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        """Continue ``prompt`` as plain text: no template, and the prompt cannot hold control tokens."""
        self._check_bias(request)
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False) if prompt else []
        if not tokens:
            raise InvalidRequest("prompt is empty", param="prompt")
        budget = self._budget(len(tokens), request.max_tokens)
        with self._lock, _llama_errors():
            yield from self._text(request, tokens, budget, cancel or threading.Event(), None)

    def _no_call_bias(self) -> dict[int, float]:
        """Logit bias that keeps the model from opening a ``<tool_call>`` block in a prose answer."""
        ids = self._llm.tokenize(CALL_OPEN.encode(), add_bos=False, special=True)
        return {ids[0]: -100.0} if len(ids) == 1 else {}

    def _budget(self, n_prompt: int, max_tokens: int | None) -> int:
        room = self.n_ctx - n_prompt
        if room <= 0 or (max_tokens is not None and max_tokens > room):
            asked = f" + max_tokens {max_tokens}" if max_tokens is not None else ""
            raise ContextOverflow(
                f"this model's context is {self.n_ctx} tokens; the messages take {n_prompt}{asked}",
                param="messages", hint="shorten the conversation or lower max_tokens")
        return max_tokens if max_tokens is not None else room

    def _complete(self, prompt: list[int], request: ChatRequest, budget: int, **kw: Any) -> Any:
        from llama_cpp import LlamaGrammar

        grammar = kw.pop("grammar", None)
        if grammar:
            self._parses(grammar)
        compiled = LlamaGrammar.from_string(grammar, verbose=False) if grammar else None
        bias = {**dict(request.logit_bias), **(kw.pop("logit_bias", None) or {})} or None
        presence, frequency = request.presence_penalty, request.frequency_penalty
        if request.logprobs is not None:  # read off the sampled position's logits: see tandem.models.scored
            return scored_completion(self._llm, prompt, max_tokens=budget, top_p=request.top_p,
                                     temperature=kw.pop("temperature", request.temperature), stop=request.stop,
                                     seed=request.seed, grammar=compiled, logit_bias=bias,
                                     top_logprobs=request.logprobs, stream=kw.get("stream", False),
                                     presence_penalty=presence, frequency_penalty=frequency)
        return self._llm.create_completion(
            prompt, max_tokens=budget, temperature=kw.pop("temperature", request.temperature), top_p=request.top_p,
            stop=list(request.stop) or None, seed=request.seed, grammar=compiled, logit_bias=bias,
            presence_penalty=presence, frequency_penalty=frequency, **kw)

    def _check_bias(self, request: ChatRequest) -> None:
        """``logit_bias`` names tokens of this model's vocabulary (a client's 400, before any work)."""
        size = self._llm.n_vocab()
        beyond = [token for token, _ in request.logit_bias if token >= size]
        if beyond:
            raise InvalidRequest(f"logit_bias names token {beyond[0]}; this model's vocabulary has {size} tokens",
                                 param="logit_bias")

    def _parses(self, grammar: str) -> None:
        """llama.cpp's own parse of ``grammar``. One it rejects would reach the sampler chain as a null pointer and
        take the whole server down (a schema part nothing satisfies, such as ``"enum": []``): a client's 400 here."""
        import llama_cpp

        sampler = llama_cpp.llama_sampler_init_grammar(self._llm._model.vocab, grammar.encode("utf-8"), b"root")
        if not sampler:
            raise InvalidRequest("this JSON schema cannot be enforced on the device: a part of it admits no value "
                                 "(an empty enum, anyOf or type list)")
        llama_cpp.llama_sampler_free(sampler)

    def _wants_tool(self, prompt: list[int], tools: list[Tool]) -> bool:
        """Decide greedily whether the model means to call a tool, so sampling noise cannot flip it.

        Small models often write the call as a JSON block instead of Qwen's ``<tool_call>`` tag, so a
        reply that opens like JSON naming one of the tools counts as a call too. Prose is recognised
        from its first token; only JSON-looking openings are read further (at most 16 tokens). Greedy, so the same
        prompt gets the same decision: it is remembered for the last ``_LOOKED`` prompts (a request asked again with
        another seed or temperature, a client's retry, skips the look)."""
        said = json.dumps([prompt, [[t.name, t.description, t.parameters] for t in tools]], sort_keys=True, default=str)
        key = hashlib.sha256(said.encode()).digest()  # all the look depends on; held under the model's lock
        if key in self._looked:
            self._looked.move_to_end(key)
            return self._looked[key]
        wants = self._look(prompt, tools)
        self._looked[key] = wants
        if len(self._looked) > _LOOKED:
            self._looked.popitem(last=False)
        return wants

    def _look(self, prompt: list[int], tools: list[Tool]) -> bool:
        """The greedy look itself (see ``_wants_tool``)."""
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

    def _text(self, request: ChatRequest, prompt: list[int], budget: int, cancel: threading.Event,
              grammar: str | None, logit_bias: dict[int, float] | None = None) -> Iterator[ChatChunk]:
        pieces: list[str] = []
        finish = "stop"
        stream = self._complete(prompt, request, budget, stream=True, grammar=grammar, logit_bias=logit_bias)
        try:
            for part in stream:
                if cancel.is_set():
                    finish = "cancelled"
                    break
                choice = part["choices"][0]
                if choice["text"] or choice.get("logprobs"):
                    pieces.append(choice["text"])
                    yield ChatChunk(text=choice["text"], logprobs=tuple(choice.get("logprobs") or ()))
                finish = choice.get("finish_reason") or finish
        finally:
            stream.close()
        usage = Usage(prompt_tokens=len(prompt), completion_tokens=self.count_tokens("".join(pieces)))
        yield ChatChunk(finish_reason=finish, usage=usage)

    def _validated_json(self, request: ChatRequest, prompt: list[int], budget: int,
                        cancel: threading.Event) -> ChatChunk:
        """JSON valid against the schema, or an error: an answer that does not validate is never returned
        as if it did (a reply cut short by max_tokens comes back with finish_reason "length")."""
        schema = request.response_format.schema or {}
        grammar = json_grammar(schema)
        problems: list[str] = []
        for temperature in dict.fromkeys((request.temperature, 0.0)):  # greedy twice would answer the same
            text, finish, logprobs = self._json_value(prompt, request, budget, grammar, temperature, cancel)
            usage = Usage(prompt_tokens=len(prompt), completion_tokens=self.count_tokens(text))
            if finish in ("length", "cancelled"):
                return ChatChunk(text=text, finish_reason=finish, usage=usage)
            try:  # grammars let raw control characters into strings: re-serialise what parses
                value = json.loads(text, strict=False)
            except ValueError:
                problems = ["the answer is not JSON"]
                continue
            problems = schema_errors(value, schema)
            if not problems:
                return ChatChunk(text=_as_sent(text, value, scored=request.logprobs is not None),
                                 finish_reason=finish, usage=usage, logprobs=logprobs)
        raise OutputInvalid("the model's answer did not match the JSON schema: " + "; ".join(problems[:3]),
                            hint="simplify the schema or use a larger model")

    def _json_value(self, prompt: list[int], request: ChatRequest, budget: int, grammar: str,
                    temperature: float, cancel: threading.Event) -> tuple[str, str, tuple[Any, ...]]:
        """Text, finish reason and logprobs of a grammar-bound JSON answer, ended as soon as the value
        closes: the grammar would allow nothing but the end token (or blank space) after it, and getting
        there costs one more decode step."""
        text, finish = "", "length"
        logprobs: list[Any] = []
        stream = self._complete(prompt, request, budget, grammar=grammar, temperature=temperature, stream=True)
        try:
            for part in stream:
                if cancel.is_set():
                    finish = "cancelled"
                    break
                choice = part["choices"][0]
                text += choice["text"]
                logprobs.extend(choice.get("logprobs") or ())
                finish = choice.get("finish_reason") or finish
                if _json_closed(text):
                    finish = "stop"
                    break
        finally:
            stream.close()
        return text, finish, tuple(logprobs)

    def _bound_text(self, prompt: list[int], request: ChatRequest, budget: int, grammar: str, temperature: float,
                    cancel: threading.Event) -> tuple[str, str]:
        """The whole text of a grammar-bound completion and its finish reason; "cancelled" as soon as ``cancel``
        is set (a tool call of a schema asking for many items runs for minutes on a busy machine)."""
        text, finish = "", "stop"
        stream = self._complete(prompt, request, budget, grammar=grammar, temperature=temperature, stream=True)
        try:
            for part in stream:
                if cancel.is_set():
                    return text, "cancelled"
                text += part["choices"][0]["text"]
                finish = part["choices"][0].get("finish_reason") or finish
        finally:
            stream.close()
        return text, finish

    def _tool_calls(self, request: ChatRequest, prompt: list[int], tools: list[Any], budget: int,
                    offered: set[str] | None = None, cancel: threading.Event | None = None) -> ChatChunk | None:
        """Valid calls the conversation has not settled yet; None when every call the model wrote (with
        ``tool_choice`` "auto") is one whose result is in the conversation since the user last spoke, and
        that result is not an error. The same call is thus never made twice for a request (a booking runs
        once), while a call with other arguments (the next page, a second film) or a retry after an error
        result stays possible (see ``_reviewed`` for how such a call is checked). When a result ``offered``
        a next call (the next page), a sampled copy of the call made is taken for sampling noise and the
        greedy call is asked for: the 0.5B copies page 1 on some seeds and writes page 2 greedily."""
        schemas = {t.name: t.parameters or {"type": "object"} for t in tools}
        grammar = call_grammar(tools)
        done = settled(request.messages) if request.tool_choice == "auto" else {}
        problems: list[str] = []
        repeated = False
        for temperature in dict.fromkeys((request.temperature, 0.0)):  # greedy twice would answer the same
            text, finish = self._bound_text(prompt, request, budget, grammar, temperature, cancel or threading.Event())
            if finish == "cancelled":  # its client is gone: the model is free at once (a plain answer stops so too)
                return ChatChunk(finish_reason=finish, usage=Usage(len(prompt), self.count_tokens(text)))
            calls, problems = _checked_calls(text, schemas)
            if finish == "length" and (problems or not calls):  # the client's max_tokens, not a server error:
                return ChatChunk(finish_reason=finish, usage=Usage(len(prompt), self.count_tokens(text)))  # as OpenAI
            fresh = fresh_calls(calls, done, parallel=request.parallel_tool_calls)
            repeat = bool(calls) and not fresh
            if repeat and not offered:
                return None
            repeated = repeated or repeat
            if fresh and not problems:
                usage = Usage(prompt_tokens=len(prompt), completion_tokens=self.count_tokens(text))
                return ChatChunk(tool_calls=tuple(fresh), finish_reason="tool_calls", usage=usage)
        if repeated:
            return None
        raise ToolCallFailed("the model did not produce a valid tool call: " + ("; ".join(problems) or "none"),
                             hint="raise max_tokens or simplify the tool schema")


def fresh_calls(calls: list[ToolCall], done: dict[str, ToolCall], *, parallel: bool) -> list[ToolCall]:
    """The calls of one answer to make: none already ``done`` for this request, each distinct call once (the
    1.5B writes ``get_weather("Berlin")`` twice in one answer), and only the first unless ``parallel``."""
    keys = {call_key(c.name, c.arguments): c for c in calls}
    fresh = [c for key, c in keys.items() if key not in done]
    return fresh if parallel else fresh[:1]


def _json_closed(text: str) -> bool:
    """Whether ``text`` holds a whole JSON object or array (brackets inside strings do not count)."""
    depth, in_string, escaped, opened = 0, False, False, False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth, opened = depth + 1, True
        elif ch in "}]":
            depth -= 1
            if opened and depth == 0:
                return True
    return False


def _as_sent(text: str, value: Any, *, scored: bool) -> str:
    """The JSON answer: re-serialised (grammars let raw control characters into strings), unless its
    token logprobs were asked for and it is valid as generated, so that the tokens spell the answer."""
    if scored:
        with contextlib.suppress(ValueError):
            json.loads(text)
            return text
    return json.dumps(value, ensure_ascii=False)


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
