"""JSON request bodies parsed without holding the event loop.

FastAPI parses a route's JSON body with ``json.loads`` on the event loop. That is C code holding the interpreter lock
for all of it, and its cost is per value, not per byte: 4 MB of ``[[],[],…]`` (1.3 million empty lists) took 0.8 s on
the 2-core box, and every other request (``/healthz`` too) waited for it. A worker thread alone would not help: the
lock is not given up inside C code. So a body with few values (``_FEW``: at most that many commas and opening
brackets, which json's C parser gets through in milliseconds) is parsed as before, and a body with more is parsed on
one worker thread by json's own Python parser for arrays and objects (``json.decoder.JSONArray``/``JSONObject``, the
reference implementation of the C one), whose steps give up the lock every few milliseconds; each string, number and
small container (one that ends within ``_WINDOWS`` characters) still goes through the C parser, so a long text is as
fast as before. The value, and every error (``json.JSONDecodeError``, ``UnicodeDecodeError``, ``RecursionError``, a
too-long integer's ``ValueError``), are those of ``json.loads``; the Python steps nest deeper per level, so a body
nested some hundreds of levels deep may be refused as too deep sooner (no real request nests so).

Routes made by ``ParsedRoute`` get this parse (``ParsedRequest.json``).

A route's multipart form is parsed on the event loop too (starlette with python-multipart, ~50-75 µs a part, and a
25 MB file in one piece held the loop for up to ~140 ms). ``ParsedRoute`` reads from the route's own parameters how
many files and fields it takes (``form_bounds``), so a form of more parts is refused at the first part beyond them
(400, starlette's "Too many fields." / "Too many files.") instead of at starlette's 1,000 of each, and the body is fed
to the parser a piece at a time (``_PIECE``), the loop free between pieces."""

from __future__ import annotations

import asyncio
import collections.abc
import json
import json.scanner
import types
import typing
import weakref
from collections.abc import AsyncGenerator, Callable, Coroutine
from json import decoder as _decoder
from typing import Any

import anyio
import anyio.lowlevel
import pydantic
from fastapi import params
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["ParsedRequest", "ParsedRoute", "form_bounds", "loads", "many_values", "one_at_a_time", "values"]

# At most this many values (bounded by commas and opening brackets, counted in C) and json's C parser holds the loop
# for at most ~30 ms, even for the costliest shapes (empty lists, nested lists, objects: 9-30 ms for 100,000 on the
# loaded 2-core box), and a request of ordinary size (a chat of long messages, a batch of a few hundred texts' token
# ids) is parsed as fast as before.
_FEW = 100_000
# A container that ends within this many characters is parsed by the C parser at once (its cost bounded by the size);
# a longer one step by step. Each size is tried in turn, so a large container costs the failed tries of at most ~17k
# characters on top of its parse.
_WINDOWS = (64, 1024, 16384)


def values(body: bytes) -> int:
    """An upper bound of the JSON values in ``body``: its commas and opening brackets (counted in C; in strings too)."""
    return body.count(b",") + body.count(b"[") + body.count(b"{")


def many_values(body: bytes) -> bool:
    """Whether ``body`` may hold more than ``_FEW`` JSON values (``values``: a long text with many commas may be
    parsed step by step; the result is the same)."""
    return values(body) > _FEW


class _Stepwise(json.JSONDecoder):
    """``json.JSONDecoder`` whose arrays and objects longer than the last window are parsed by json's Python code."""

    def __init__(self) -> None:
        super().__init__()
        self._whole: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(self)  # type: ignore[arg-type]
        self.scan_once = self._scan
        self._keys: dict[str, str] = {}  # a key met again is the same string (as json's own parsers do)

    def _scan(self, text: str, start: int) -> tuple[Any, int]:
        if text[start:start + 1] not in ("[", "{"):
            return self._whole(text, start)  # a string, number or constant: linear in its size
        for size in _WINDOWS:
            try:
                value, end = self._whole(text[start:start + size], 0)
                return value, start + end
            except (ValueError, StopIteration, RecursionError):
                continue  # it runs past the window (or is wrong: the steps below raise json's own error)
        if text[start] == "[":
            return _decoder.JSONArray((text, start + 1), self._scan)  # type: ignore[attr-defined]
        return _decoder.JSONObject(  # type: ignore[attr-defined]
            (text, start + 1), self.strict, self._scan, self.object_hook, self.object_pairs_hook, self._keys)


def loads(body: bytes) -> Any:
    """``json.loads(body)``, in steps that give up the interpreter lock (for a worker thread)."""
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    return _Stepwise().decode(text)


_parsers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


def one_at_a_time() -> anyio.CapacityLimiter:
    """The limiter of the threads that parse and check large bodies, one per event loop: more would share the cores
    and the lock, and the loop would wait for the lock behind each of them."""
    loop = asyncio.get_running_loop()
    if loop not in _parsers:
        _parsers[loop] = anyio.CapacityLimiter(1)
    return _parsers[loop]


# A form is handed to its parser in pieces of at most this size, the event loop free between them (python-multipart
# reads a MiB in ~1-3 ms; a file's pieces past its first MiB are written to disk on a worker thread).
_PIECE = 1 << 20
# Entries allowed for a form parameter that is a list (``timestamp_granularities[]``: "word", "segment").
_MANY = 8
# Fields a form may carry beyond those its route reads: OpenAI's clients send every option they know
# (``chunking_strategy``, ``include[]``, ``known_speaker_names[]`` …), which a route that does not read one ignores.
_SPARE = 16


def _many(annotation: Any) -> bool:
    """Whether a parameter's type is a list (or a list or None)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_many(arg) for arg in typing.get_args(annotation))
    return isinstance(origin, type) and issubclass(origin, collections.abc.Sequence) and origin is not str


def _entries(annotation: Any) -> int:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):  # a form model: each field
        return sum(_entries(f.annotation) for f in annotation.model_fields.values())
    return _MANY if _many(annotation) else 1


def form_bounds(dependant: Any) -> tuple[int, int] | None:
    """(files, fields) a route's form may hold, from the ``File`` and ``Form`` parameters of its endpoint and
    dependencies (FastAPI's ``Dependant``): one per parameter, ``_MANY`` for a list, and ``_SPARE`` more fields;
    None when the route takes no form."""
    files = fields = 0
    stack = [dependant]
    while stack:
        node = stack.pop()
        stack.extend(node.dependencies)
        for field in node.body_params:
            info = field.field_info
            if isinstance(info, params.File):
                files += _entries(info.annotation)
            elif isinstance(info, params.Form):
                fields += _entries(info.annotation)
    return (files, fields + _SPARE) if files or fields else None


class ParsedRequest(Request):
    """A request whose ``json()`` parses a body of many values on a worker thread (``loads``), and remembers a
    failed parse as well as a good one (a route's dependency and the route itself both ask); a body admission parsed
    already (``state["body_json"]``) is not parsed again. Its ``form()`` holds at most the route's ``form_bounds``
    and is parsed a ``_PIECE`` at a time."""

    many_values = False  # whether the body was parsed step by step (its checks then also run in steps)
    form_bounds: tuple[int, int] | None = None  # (files, fields) of the route's form (``form_bounds``)
    _pieces = False  # the body is streamed in pieces (for a form's parser)

    def form(self, **limits: Any) -> Any:
        """Starlette's ``form()`` (FastAPI's parse of a route's form, or a route's own call), within the route's
        ``form_bounds`` and any lower limits the caller gives (``max_files``, ``max_fields``)."""
        if self.form_bounds is not None:
            files, fields = self.form_bounds
            if files and not self.headers.get("content-type", "").lower().startswith("multipart/form-data"):
                # a URL-encoded form carries no file; starlette before 1.3.1 parsed one without any bound
                # (4 MB of 'a=1&' held the loop 14-18 s: CVE-2026-54283)
                raise HTTPException(400, "this route takes a file: send the form as multipart/form-data")
            limits["max_files"] = min(limits.get("max_files", files), files)
            limits["max_fields"] = min(limits.get("max_fields", fields), fields)
        self._pieces = True
        return super().form(**limits)

    async def stream(self) -> AsyncGenerator[bytes, None]:
        async for chunk in super().stream():
            if not self._pieces:
                yield chunk
                continue
            for start in range(0, len(chunk), _PIECE):  # an upload comes in pieces already (limits.BodyLimit)
                yield chunk if len(chunk) <= _PIECE else chunk[start:start + _PIECE]
                await anyio.lowlevel.checkpoint()  # other requests run between two pieces

    async def json(self) -> Any:
        if not hasattr(self, "_json") and "body_json" in self.scope.get("state", {}):
            self._json = self.scope["state"]["body_json"]  # parsed already, before admission (tandem.api.clouds)
        if not hasattr(self, "_json") and not hasattr(self, "_json_error"):
            body = await self.body()
            self.many_values = many_values(body)
            try:
                self._json = (await anyio.to_thread.run_sync(loads, body, limiter=one_at_a_time())
                              if self.many_values else json.loads(body))
            except (ValueError, RecursionError) as exc:
                self._json_error = exc
        if hasattr(self, "_json_error"):
            raise self._json_error
        return self._json


class ParsedRoute(APIRoute):
    """A route whose handler gets a ``ParsedRequest``: FastAPI's own parse of the body, and every dependency's
    ``request.json()``, parse a body of many values off the event loop. Every router that takes bodies is made with
    ``APIRouter(route_class=ParsedRoute)``."""

    @property
    def form_bounds(self) -> tuple[int, int] | None:
        """(files, fields) its form may hold (``form_bounds``); None when it takes no form."""
        return form_bounds(self.dependant)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        bounds = self.form_bounds

        async def parsed(request: Request) -> Response:
            ours = ParsedRequest(request.scope, request.receive)
            ours.form_bounds = bounds
            return await handle(ours)
        return parsed
