"""Bounded admission of heavy requests: a few at once per kind, a bounded line behind them, a 429 beyond it.

The device has two cores. A model answer, an assistant turn, a transcription or a new large tool schema (~10 s of CPU)
each hold one for seconds to minutes, and work handed to a thread cannot be cancelled: a request answered 504 at its
deadline still runs to its end. Without a bound, a burst of such requests shared the cores and the interpreter lock
among all of them: 40 chat completions at once with ~1.3 s of new schemas to check each, deadline 20 s, left 23
answered 504 with their checks running on, and ``/healthz`` waited 10.7 s (docs/api.md). Now each kind of heavy request
has ``running`` turns and a line of ``waiting`` requests (first come, first served; waiting costs no thread); one more
is refused at once with OpenAI's 429 ``rate_limit_exceeded`` and a ``Retry-After`` (and OpenAI's ``retry-after-ms``) of
about how long a turn takes to free. OpenAI's Python client waits that long and sends it again (its ``max_retries``, 2
by default). Light routes (``/healthz``, ``/v1/models``, reading tasks, confirming) are never held.

A turn is held until the route's work has ended, not only its answer: at the deadline ``Deadline`` answers 504 and
cancels the request, but a cancelled request still waits for work it handed to a thread (anyio shields that wait), so
the turn stays taken until the thread is free; a streamed answer stops its generation when it ends
(``streaming.ModelStream``). Waiting in line counts toward the deadline. A request takes its place once its body
has come (``BodyLimit`` runs outside): a client sending its body slowly holds no turn from the others. A client that
goes away while in line (its own timeout; openai's clients then send again) leaves it: its place is free and no answer
is made for it."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
from prometheus_client import CollectorRegistry, Gauge

from tandem.api.errors import error_body
from tandem.api.kinds import KINDS, kind_of
from tandem.config import Settings

__all__ = ["CLOUD", "KINDS", "LINE_BYTES", "Admission", "Gate", "busy", "gates", "give_back", "kind_of", "watch"]

log = logging.getLogger("tandem.api")

# The bodies one kind's line keeps at most (review N24-3): a request waits with its whole body read (BodyLimit counts
# it before the line, so a slow upload holds no turn), and 32 places of 4 MiB bodies each (25 MiB for media) came to
# ~1 GiB over the three kinds. A request that would keep more waiting gets the 429 of a full line; one finding the
# line empty always gets in, however large its body (up to the body limit). The ``line_bytes`` setting's default.
LINE_BYTES: int = Settings.line_bytes
# The kind of a model request naming a cloud model that needs no device turn (``tandem.api.clouds``): a line of its own
CLOUD = "cloud"

class Gate:
    """One kind's turns: ``running`` at once, ``waiting`` more in line, first come first served. Its waiters are
    events made in the loop of the request that waits (no primitive bound to the loop the app was made in)."""

    def __init__(self, kind: str, running: int, waiting: int, line_bytes: int = LINE_BYTES) -> None:
        self.kind, self.running, self.waiting = kind, max(1, running), max(0, waiting)
        self.line_bytes = line_bytes  # what the bodies of the requests in line may come to
        self.active = 0  # requests holding a turn
        self.admitted = 0  # holding one or waiting in line
        self.kept = 0  # bytes of the bodies of the requests in line
        self.streaming = 0  # requests that gave their turn back early (a cloud answering): at most running + waiting
        self.held = 2.0  # seconds a turn is held, a moving average; a first guess until one was
        self._line: deque[anyio.Event] = deque()

    def full(self, size: int = 0) -> bool:
        """Whether one more request, of a ``size``-byte body, would find no place: every place taken, or it would
        wait and the bodies in line would come to more than ``line_bytes`` with it (an empty line always takes it)."""
        if self.admitted >= self.running + self.waiting or self.streaming >= self.running + self.waiting:
            return True
        return self.active >= self.running and self.kept > 0 and self.kept + size > self.line_bytes

    def retry_after(self) -> float:
        """Seconds until a turn is likely free: the average hold over the turns that free one, 0.1-60 (OpenAI's
        clients honour a wait of up to 60 s)."""
        return min(60.0, max(0.1, self.held / self.running))

    @asynccontextmanager
    async def turn(self, left: Callable[[], Awaitable[None]] | None = None, size: int = 0,
                   state: dict[str, Any] | None = None) -> AsyncIterator[bool]:
        """Holds a turn (after waiting in line for one, its ``size``-byte body counted in ``kept``) while the body
        runs, which is told True; False when ``left`` returned while in line (the client went away: its place and the
        work are given up). The caller checked ``full`` first. ``state["give_back"]`` (safe from any thread) ends the
        turn early, when the request's work no longer needs it (``give_back``)."""
        self.admitted += 1
        turn: _Turn | None = None
        try:
            if not await self._take(left, size):
                yield False
                return
            turn = _Turn(self)  # from here its end (early or not) gives back the place too
            if state is not None:
                state["give_back"] = _from_any_thread(turn.give_back_early)
            try:
                yield True
            finally:
                turn.give_back()
                if turn.early:
                    self.streaming -= 1
        finally:
            if turn is None:
                self.admitted -= 1

    async def _take(self, left: Callable[[], Awaitable[None]] | None, size: int) -> bool:
        if self.active < self.running:
            self.active += 1
            return True
        woken, gone = anyio.Event(), anyio.Event()
        self._line.append(woken)
        self.kept += size
        try:
            async with anyio.create_task_group() as group:
                if left is not None:
                    group.start_soon(_ended_by, left, gone, group.cancel_scope)
                await woken.wait()
                group.cancel_scope.cancel()
        except BaseException:  # cancelled in line (its deadline): leave it, or pass on a turn given meanwhile
            if woken.is_set():
                self._pass_on()
            else:
                self._line.remove(woken)
            raise
        finally:
            self.kept -= size
        if woken.is_set() and not gone.is_set():
            return True
        if woken.is_set():  # a turn came as the client went (one step of the loop): on to the next in line
            self._pass_on()
        else:
            self._line.remove(woken)  # left the line
        return False

    def _pass_on(self) -> None:
        """A turn ends: the first in line takes it over, or one fewer runs."""
        if self._line:
            self._line.popleft().set()
        else:
            self.active -= 1


class _Turn:
    """One request's turn and its place, ended once: when the request ends, or before (``give_back``: the request then
    counts as neither running nor waiting, reread25 M2)."""

    def __init__(self, gate: Gate) -> None:
        self.gate, self.began, self.ended, self.early = gate, time.monotonic(), False, False

    def give_back(self) -> None:
        if not self.ended:
            self.ended = True
            self.gate.held = 0.8 * self.gate.held + 0.2 * (time.monotonic() - self.began)
            self.gate.admitted -= 1
            self.gate._pass_on()

    def give_back_early(self) -> None:
        """Ends the turn before the request ends; the request then counts in ``streaming`` (bounded, reread25 M4)."""
        if not self.ended:
            self.give_back()
            self.early = True
            self.gate.streaming += 1


def _from_any_thread(call: Callable[[], None]) -> Callable[[], None]:
    """``call``, run on this event loop whichever thread asks (a model's generation thread)."""
    loop = asyncio.get_running_loop()

    def soon() -> None:
        loop.call_soon_threadsafe(call)
    return soon


def give_back(state: Any) -> None:
    """Ends the turn of the request whose ``request.state`` this is, before the request ends: its work no longer needs
    the kind's resource (a chat answered by a cloud model, not the device's). No turn (a light request, a turn already
    ended): nothing happens."""
    hand = getattr(state, "give_back", None)
    if hand is not None:
        hand()


async def _ended_by(left: Callable[[], Awaitable[None]], gone: anyio.Event, scope: anyio.CancelScope) -> None:
    await left()
    gone.set()
    scope.cancel()


def gates(running: int, waiting: int, line_bytes: int = LINE_BYTES) -> dict[str, Gate]:
    """A gate for each heavy kind and for cloud answers (``CLOUD``), each with ``running`` turns and a line of
    ``waiting`` keeping ``line_bytes``."""
    return {kind: Gate(kind, running, waiting, line_bytes) for kind in [*KINDS, CLOUD]}


def watch(gates: dict[str, Gate], registry: CollectorRegistry) -> None:
    """``tandem_admitted{kind, state}`` in ``/metrics``: how many requests of each kind run and wait now."""
    gauge = Gauge("tandem_admitted", "Heavy requests holding a turn (running) or in line (waiting)", ["kind", "state"],
                  registry=registry)
    for kind, gate in gates.items():
        gauge.labels(kind, "running").set_function(lambda gate=gate: gate.active)  # type: ignore[misc]
        gauge.labels(kind, "waiting").set_function(lambda gate=gate: gate.admitted - gate.active)  # type: ignore[misc]
    kept = Gauge("tandem_admitted_bytes", "Bytes of the request bodies waiting in line", ["kind"], registry=registry)
    for kind, gate in gates.items():
        kept.labels(kind).set_function(lambda gate=gate: gate.kept)  # type: ignore[misc]


class Admission:
    """ASGI middleware: each heavy request (``kind_of``) takes a turn of its kind's gate or is refused with 429. A model
    request that ``clouded(path, body)`` finds names a cloud model (``tandem.api.clouds``) takes a turn of the
    ``CLOUD`` gate instead, for its whole answer; the body it parsed is handed on to the route when the request runs at
    once (``state["body_json"]``: ``bodies.ParsedRequest``), not kept while it waits."""

    def __init__(self, app: Any, gates: dict[str, Gate], refused: Any = None,
                 clouded: Callable[[str, bytes], tuple[bool, Any]] | None = None) -> None:
        self.app, self.gates, self.refused, self.clouded = app, gates, refused, clouded

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = kind_of(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        size = state.get("body_bytes", 0)  # counted by BodyLimit
        heard: list[dict[str, Any]] = []  # what the client sent while in line (its body), passed on after
        parsed: Any = None
        if kind == "model" and self.clouded is not None:  # read even when both lines are full: a request naming a
            # cloud model is told when the cloud's line has room, not the device's (its bound: clouds.read, a few ms)
            heard.append(message := await receive())  # the whole body (BodyLimit read it)
            clouded, parsed = self.clouded(scope["path"], message.get("body", b""))
            kind = CLOUD if clouded else kind
        gate = self.gates[kind]
        if gate.full(size):
            await self._refuse(send, gate, size)
            return
        if parsed is not None and gate.active < gate.running:  # it runs at once: parsed once
            state["body_json"] = parsed
        parsed = None  # a request that waits keeps its raw body only, as line_bytes counts it (reread26 M3)
        state["in_line"] = kind  # what a 504 in line says (limits.Deadline)
        async with gate.turn(_gone(receive, heard), size, None if kind == CLOUD else state) as served:
            state["in_line"] = None
            if served:  # else the client left while in line (review R24-3): no answer is made for no one
                await self.app(scope, _replayed(heard, receive), send)

    async def _refuse(self, send: Any, gate: Gate, size: int) -> None:
        waiting = gate.admitted - gate.active
        log.warning("refused a %s request of %d bytes: %d running and %d waiting with %d bytes", gate.kind, size,
                    gate.active, waiting, gate.kept)
        if self.refused is not None:
            self.refused.labels("busy").inc()
        wait = math.ceil(gate.retry_after() * 1000)  # ms: openai's client reads retry-after-ms before Retry-After
        seconds = math.ceil(wait / 1000)  # Retry-After is whole seconds
        body = json.dumps(error_body(busy(gate, seconds), "requests", code="rate_limit_exceeded")).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(seconds).encode()),
                                (b"retry-after-ms", str(wait).encode())]})
        await send({"type": "http.response.body", "body": body})


def busy(gate: Gate, seconds: int) -> str:
    """What a 429 of ``gate`` says: what holds its places (turns, the line and its bytes, cloud answers still
    streaming: reread25, "0 running and 0 waiting" when only those were full) and when to try again."""
    waiting = gate.admitted - gate.active
    kept = f" with {_mib(gate.kept)} of request bodies" if waiting < gate.waiting and gate.kept else ""
    streams = f", and {gate.streaming} cloud answers still streaming" if gate.streaming else ""
    return (f"the server is busy: {gate.active} {gate.kind} requests are running and {waiting} waiting{kept}{streams}; "
            f"retry after {seconds} s")


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{math.ceil(size / 1024)} KiB"


def _gone(receive: Any, heard: list[dict[str, Any]]) -> Callable[[], Awaitable[None]]:
    """Returns when the client has gone away (``http.disconnect``), keeping every message it reads in ``heard``."""
    async def gone() -> None:
        while (message := await receive())["type"] != "http.disconnect":
            heard.append(message)
        heard.append(message)
    return gone


def _replayed(heard: list[dict[str, Any]], receive: Any) -> Callable[[], Awaitable[dict[str, Any]]]:
    """``receive`` with the messages heard while in line first."""
    async def replay() -> dict[str, Any]:
        return heard.pop(0) if heard else dict(await receive())
    return replay
