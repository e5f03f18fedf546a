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

Routes made by ``ParsedRoute`` get this parse (``ParsedRequest.json``)."""

from __future__ import annotations

import asyncio
import json
import json.scanner
import weakref
from collections.abc import Callable, Coroutine
from json import decoder as _decoder
from typing import Any

import anyio
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["ParsedRequest", "ParsedRoute", "loads", "many_values", "one_at_a_time", "values"]

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


class ParsedRequest(Request):
    """A request whose ``json()`` parses a body of many values on a worker thread (``loads``), and remembers a
    failed parse as well as a good one (a route's dependency and the route itself both ask); a body admission parsed
    already (``state["body_json"]``) is not parsed again."""

    many_values = False  # whether the body was parsed step by step (its checks then also run in steps)

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

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def parsed(request: Request) -> Response:
            return await handle(ParsedRequest(request.scope, request.receive))
        return parsed
