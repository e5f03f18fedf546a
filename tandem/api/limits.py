"""ASGI middleware for budgets: request bodies over a size limit get HTTP 413 before any parsing
(``BodyLimit``), an answer must begin within a deadline (``Deadline``), and memory freed by a model call is
given back to the system (``TrimHeap``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

import anyio

from tandem.api.errors import error_body
from tandem.errors import InvalidRequest

__all__ = ["MAX_ENTRIES", "BodyLimit", "Deadline", "TrimHeap", "check_json", "check_turn", "freeze_once",
           "heap_trimmer", "limit_arenas"]

log = logging.getLogger("tandem.api")
Scope = dict[str, Any]


def _libc(name: str) -> Any:
    """The C library's function ``name``, or None where there is no such library or function (musl, macOS)."""
    path = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(path), name) if path else None
    except (OSError, AttributeError):
        return None


def heap_trimmer() -> Callable[[], int] | None:
    """glibc's ``malloc_trim(0)``, or None where there is none (musl, macOS)."""
    trim = _libc("malloc_trim")
    if trim is None:
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: int(trim(0))


_M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def limit_arenas(count: int = 2) -> bool:
    """glibc's ``mallopt(M_ARENA_MAX, count)``: threads share ``count`` malloc arenas instead of up to 8 per
    core. The server's model calls, embeddings and requests run on many short-lived worker threads; with
    glibc's default each may get its own arena, and freed memory scattered over them stays resident:
    ``bench/soak.py`` (chat and embeddings alternating, 0.5B) grew RssAnon 16-31 KiB per pair with the default
    and 1.9 KiB with 2 arenas (docs/results/security.md). ``create_app`` calls it, before the app starts any thread.
    False where there is no glibc (musl, macOS) or it refused."""
    mallopt = _libc("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, count))


_frozen = threading.Event()


def freeze_once() -> None:
    """Collect, then freeze what survives (the loaded models, the app: ``gc.freeze``), once per process: later
    full collections scan only what was made since, 0.1 ms instead of ~250 ms holding the GIL with the 0.5B
    model loaded on the loaded 2-core box. What was frozen is still freed when its last reference goes, just
    never by the cycle collector. ``TrimHeap`` calls it when the server has started (models preloaded)."""
    if _frozen.is_set():
        return
    _frozen.set()
    gc.collect()
    gc.freeze()


class TrimHeap:
    """After a request that changed state (a model call, an assistant turn), collect cyclic garbage and give
    freed heap back to the system, at most once every ``seconds``.

    A device chat completion leaves ~1.8 MiB of garbage in reference cycles (llama-cpp-python's per-request
    objects) that only a full collection frees, and glibc keeps what was freed in its arenas: ``RssAnon``
    of the 0.5B model in-process went 238 -> 290 MiB over 60 requests and fell back only when the
    interpreter happened to run a full collection; with ``gc.collect()`` and ``malloc_trim(0)`` after each
    request it stayed at 222.1 MiB (docs/results/security.md). It runs on a worker thread after the
    answer was sent, so no request waits for it (the collection holds the GIL while it runs). When the
    server's start-up is complete, what exists then is frozen (``freeze_once``), so these collections stay
    cheap."""

    def __init__(self, app: Any, seconds: float = 2.0, trim: Callable[[], int] | None = None) -> None:
        self.app, self.seconds = app, seconds
        self.trim = trim if trim is not None else heap_trimmer()
        self.last = -math.inf  # monotonic time starts near 0 at boot: a first trim is due at once
        self.trims = 0  # how many times it ran (for tests and the soak)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._freezing(send))
            return
        try:
            await self.app(scope, receive, send)
        finally:
            if self._due(scope):
                await anyio.to_thread.run_sync(self._run)

    @staticmethod
    def _freezing(send: Any) -> Any:
        async def forward(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":  # models preloaded, nothing served yet
                await anyio.to_thread.run_sync(freeze_once)
            await send(message)
        return forward

    def _due(self, scope: Scope) -> bool:
        if self.trim is None or scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return False
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now  # claimed before the await: requests finishing together trim once
        return True

    def _run(self) -> None:
        assert self.trim is not None
        gc.collect()
        try:
            self.trim()
            self.trims += 1
        except OSError as exc:  # never fails in glibc; a foreign libc may behave otherwise
            log.warning("malloc_trim failed: %s", exc)


class BodyLimit:
    """``max_bytes`` for every route except those in ``uploads`` (path → limit), e.g. audio files.

    The body is read whole before the route runs and handed on as one message; an upload's as pieces of about
    ``PIECE`` bytes, each joined as it arrives: one join of a 25 MB upload held the event loop for 30-100 ms on the
    loaded 2-core box (page faults of a fresh 25 MB buffer), and its form parser reads it a piece at a time anyway
    (``bodies.ParsedRequest.stream``)."""

    PIECE = 1 << 20

    def __init__(self, app: Any, max_bytes: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = uploads or {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope["path"], self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        pieces = await self._read(receive, limit, self.PIECE if scope["path"] in self.uploads else None)
        if pieces is None:  # gone
            return
        if isinstance(pieces, int):
            await self._refuse(send, limit)
            return
        # what the request keeps while in line (admission)
        scope.setdefault("state", {})["body_bytes"] = sum(len(piece) for piece in pieces)
        messages = [{"type": "http.request", "body": piece, "more_body": n < len(pieces)}
                    for n, piece in enumerate(pieces, 1)]

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else dict(await receive())

        await self.app(scope, replay, send)

    @staticmethod
    async def _read(receive: Any, limit: int, piece: int | None) -> list[bytes] | int | None:
        """The body: one bytes (``piece`` None) or pieces of at least ``piece`` bytes but the last; its size when
        that passed ``limit``; None when the client left."""
        pieces: list[bytes] = []
        run: list[bytes] = []  # chunks not yet joined
        size = joined = 0
        more = True
        while more:  # bodies without a length are counted as they arrive
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            run.append(message.get("body", b""))
            size += len(run[-1])
            more = message.get("more_body", False)
            if size > limit:
                return size
            if piece is not None and size - joined >= piece:
                pieces.append(b"".join(run))
                run, joined = [], size
        return [*pieces, b"".join(run)] if run or not pieces else pieces

    async def _refuse(self, send: Any, limit: int) -> None:
        body = json.dumps(error_body(f"request body exceeds {limit} bytes", "invalid_request_error",
                                     code="request_too_large")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class Deadline:
    """ASGI middleware: a request that has not begun its answer after ``seconds`` gets 504 at once and is
    cancelled. Work already handed to a thread (a model call) cannot be interrupted: it finishes in the
    background, at its next check of the client's presence, and its answer is dropped. A streamed answer begins
    before the deadline and ends itself at it, with an error event (``streaming.begin``): the moment is in the
    request's state (``request.state.deadline``, in ``time.monotonic()`` seconds)."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["deadline"] = time.monotonic() + self.seconds
        started, late = anyio.Event(), False

        async def watch(message: dict[str, Any]) -> None:
            if late:
                return
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        async with anyio.create_task_group() as group:
            async def run() -> None:
                await self.app(scope, receive, watch)
                started.set()
                group.cancel_scope.cancel()

            group.start_soon(run)
            with anyio.move_on_after(self.seconds):
                await started.wait()
            if not started.is_set():
                late = True
                await self._timeout(send, scope["state"].get("in_line"))
                group.cancel_scope.cancel()

    async def _timeout(self, send: Any, in_line: str | None) -> None:
        """504; ``in_line``: the kind of heavy work the request was still waiting for a turn of (``admission``)."""
        why = (f": the server was busy with other {in_line} requests and had no turn free; retry later, or raise "
               f"max_running or request_timeout_s in its settings") if in_line else ""
        body = json.dumps(error_body(f"no answer within {self.seconds:g} s{why}", "server_error",
                                     code="timeout")).encode()
        await send({"type": "http.response.start", "status": 504,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _bad_value(value: Any, stepwise: bool = False) -> tuple[str, str | None] | None:
    """What, in a parsed JSON value, no answer could hold, and where (``messages[0].content``; None for the whole
    body): a string that is not valid Unicode (a lone surrogate such as ``"\\ud800"``, which JSON allows and UTF-8
    cannot encode), or a number that is not finite (``NaN``, ``Infinity``: Python's parser reads them, JSON has none,
    and an answer echoing one could not be written). A value with neither passes json's C encoder, ~0.1 s for 4 MB;
    only a bad one is walked in Python to say where (7 s for 2 million numbers with a place each, before). A value of
    millions of parts is walked in any case (``stepwise``): the C encoder holds the interpreter lock (the event loop)
    all the while, the walk gives it up every few milliseconds."""
    if not stepwise:
        try:
            json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
            return None
        except (ValueError, UnicodeEncodeError):
            pass
    stack: list[tuple[Any, _Where]] = [(value, None)]
    while stack:  # containers only: a place is spelled for a scalar only when it is the bad one
        item, where = stack.pop()
        if not isinstance(item, dict | list):
            bad = _bad_scalar(item)
            if bad:
                return bad, _spelled(where)
            continue
        for key, child in item.items() if isinstance(item, dict) else enumerate(item):
            bad = _bad_scalar(key)  # a key is named by its parent's place
            if bad:
                return bad, _spelled(where)
            if isinstance(child, dict | list):
                if child:
                    stack.append((child, (where, key)))
            elif bad := _bad_scalar(child):
                return bad, _spelled((where, key))
    return None


def _bad_scalar(value: Any) -> str | None:
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text that is not valid Unicode (a lone surrogate)"
    elif isinstance(value, float) and not math.isfinite(value):
        return f"a number JSON does not have ({value!r})"
    return None


_Where = tuple[Any, str | int] | None  # (the parent's place, a key or an index): spelled only when something is bad


def _spelled(where: _Where) -> str | None:
    """``messages[0].content`` for ``(((None, "messages"), 0), "content")``."""
    steps: list[str | int] = []
    while where is not None:
        where, step = where
        steps.append(step)
    text = ""
    for step in reversed(steps):
        text += f"[{step}]" if isinstance(step, int) else f".{step}" if text else str(step)
    return text or None


# Entries of one list or object in a request body. No request of OpenAI's API holds more (2,048 messages, inputs or
# texts; 5,000 properties in all of a request's tool schemas), and validation runs on the event loop, trying each member
# of a union (a message's content: text or parts) on every entry: 300,000 empty lists as a content took 1.9 s.
MAX_ENTRIES = 10_000


def _crowded(value: Any) -> tuple[int, str | None] | None:
    """The size and place of the first list or object in ``value`` with more than ``MAX_ENTRIES`` entries."""
    stack: list[tuple[Any, _Where]] = [(value, None)]
    while stack:
        item, where = stack.pop()
        if len(item) > MAX_ENTRIES:
            return len(item), _spelled(where)
        for key, child in item.items() if isinstance(item, dict) else enumerate(item):
            if isinstance(child, dict | list) and child:
                stack.append((child, (where, key)))
    return None


def check_json(data: Any, max_messages: int, stepwise: bool = False) -> None:
    """Checks on a parsed JSON body before any route works on it: valid Unicode, finite numbers (the error names
    where), at most ``max_messages``, at most ``MAX_ENTRIES`` in any list or object; ``stepwise`` for a body of very
    many values (``tandem.api.bodies``)."""
    messages = data.get("messages") if isinstance(data, dict) else None
    if isinstance(messages, list) and len(messages) > max_messages:
        raise InvalidRequest(f"at most {max_messages} messages per request; this one has {len(messages)}",
                             param="messages")
    crowded = _crowded(data) if isinstance(data, dict | list) else None
    if crowded:
        raise InvalidRequest(f"a list or object in the request holds {crowded[0]} entries; at most {MAX_ENTRIES}",
                             param=crowded[1])
    bad = _bad_value(data, stepwise)
    if bad:
        raise InvalidRequest(f"the request holds {bad[0]}", param=bad[1])


def check_turn(text: str, limit: int, count: Callable[[str], int] | None) -> None:
    """An assistant turn of at most ``limit`` tokens, counted before any model work: a text of at most
    ``limit`` UTF-8 bytes passes at once (a token is at least one byte), a longer one is counted with the
    device model's tokenizer when it is loaded, else by its characters (rather than loading a model)."""
    size = len(text.encode("utf-8", "replace"))
    if size <= limit:
        return
    tokens = count(text) if count is not None else len(text)
    if tokens > limit:
        raise InvalidRequest(f"an assistant turn may be at most {limit} tokens; this one has {tokens}",
                             param="text")
