"""One live MCP session to one partner service, over stdio or streamable HTTP (the official ``mcp`` SDK).

The SDK's transports are async context managers that must be entered and left in the same task, so
each connection is owned by a background task that opens the transport, initialises the session and
then waits until it is told to close. Callers talk to the session; when it breaks (the process died,
the server went away, a request timed out) that session generation ends, its waiting requests fail with
``ServiceUnavailable``, and the next request starts a new one, which for stdio means a fresh server
process. A server that fails to start is retried with back-off. Tool listings are cached per session.

A partner gets only what it needs. A stdio server starts with a minimal environment (``partner_env``):
``PATH``, the locale, ``TANDEM_HOME`` (where the built-in partners keep their databases), a ``HOME`` and
``TMPDIR`` of its own (``$TANDEM_HOME/partners/home/<id>``), the variables its manifest declares, and its own
token variable (named for it: ``TANDEM_PARTNER_<ID>_…``); never Tandem's API keys or cloud keys. It runs in
a Landlock sandbox (``services.sandbox``): it cannot read the user's data under ``TANDEM_HOME``. Tandem's own
reference partners are forked by the partner starter (``services.forking``), the others started through
the sandbox's launcher. A bearer token goes only over https or to a loopback address.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import anyio
import httpx
from anyio.abc import TaskGroup, TaskStatus
from anyio.streams.memory import MemoryObjectSendStream
from mcp import ClientSession, McpError, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.message import SessionMessage
from mcp.types import CONNECTION_CLOSED, CallToolResult, PaginatedRequestParams, Tool

from tandem.errors import ServiceUnavailable
from tandem.services import forking
from tandem.services.asking import Call, Calls
from tandem.services.manifest import Manifest, may_carry_token
from tandem.services.sandbox import Grants, grants, launcher_argv, launcher_env, reference

__all__ = ["BROKEN", "PASSED_ENV", "RETRY_MAX_S", "RETRY_MIN_S", "START_TIMEOUT_S", "Connection", "partner_env",
           "partner_home"]

# What a dead or unreachable server looks like from the SDK: typed errors and codes, never message strings.
BROKEN: tuple[type[BaseException], ...] = (
    McpError, OSError, anyio.ClosedResourceError, anyio.BrokenResourceError, anyio.EndOfStream, httpx.HTTPError,
    TimeoutError,
)
_BROKEN_CODES = {CONNECTION_CLOSED}
# Starting a stdio server means starting an interpreter and importing its SDK: seconds on a busy machine,
# unlike a request, so it gets its own, longer limit.
START_TIMEOUT_S = 30.0
RETRY_MIN_S, RETRY_MAX_S = 2.0, 120.0
# What a stdio partner inherits from Tandem's environment: where programs are, language and time zone,
# and where Python finds Tandem when it runs from a source tree. Nothing secret.
PASSED_ENV = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "SYSTEMROOT")


def partner_home(manifest: Manifest, home: Path) -> Path:
    """The one directory a stdio partner may write (besides the paths its command names)."""
    own = home / "partners" / "home" / manifest.id
    own.mkdir(parents=True, exist_ok=True, mode=0o700)
    return own


def partner_env(manifest: Manifest, home: Path) -> dict[str, str]:
    """The whole environment a stdio partner starts with (its ``HOME`` directory is created, 0700)."""
    own = partner_home(manifest, home)
    (own / "tmp").mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.update({"HOME": str(own), "TMPDIR": str(own / "tmp"), "TANDEM_HOME": str(home)})
    if manifest.auth_token_env and manifest.auth_token_env in os.environ:  # named for this partner only
        env[manifest.auth_token_env] = os.environ[manifest.auth_token_env]
    env.update(dict(manifest.transport.env))
    return env


@dataclass(eq=False)
class _Live:
    """One session generation. Requests waiting on it are cancelled when it ends, because the SDK only
    fails the requests pending at the moment its reader stops; one sent just after would wait forever."""

    stop: anyio.Event = field(default_factory=anyio.Event)
    session: ClientSession | None = None
    tools: list[Tool] | None = None  # cached listing: servers here do not change tools while running
    inflight: set[anyio.CancelScope] = field(default_factory=set)

    def end(self) -> None:
        self.stop.set()
        for scope in self.inflight:
            scope.cancel()


class Connection:
    """A session to ``manifest``'s server, started in ``group`` and restarted on demand."""

    def __init__(self, manifest: Manifest, group: TaskGroup, *, home: Path, closed_ports: tuple[int, ...] = ()) -> None:
        self.manifest = manifest
        self._group = group
        self._home = home
        self._closed_ports = closed_ports  # a stdio partner may not connect there (Tandem's own API)
        self._live: _Live | None = None
        self._lock = anyio.Lock()
        self.starts = 0  # how many sessions were opened (1 + restarts)
        # After a failed start, wait before spawning again (doubling up to RETRY_MAX_S), so an agent
        # listing tools every few seconds does not keep launching a server that crashes at start.
        self._retry_at = 0.0
        self._backoff = RETRY_MIN_S
        self.calls = Calls()  # the calls in flight, whose user's answers a partner's question may be answered with

    @property
    def alive(self) -> bool:
        return self._live is not None

    async def _ensure(self, *, force: bool = False) -> _Live:
        """The live session, starting the server (or reconnecting) first when there is none. Within the
        back-off after a failed start this fails at once, unless ``force`` (an explicit health check)."""
        async with self._lock:
            if self._live is None:
                wait = self._retry_at - time.monotonic()
                if wait > 0 and not force:
                    raise ServiceUnavailable(f"{self.manifest.id} is down (next start attempt in {wait:.0f} s)")
                live = _Live()
                try:
                    with anyio.fail_after(max(START_TIMEOUT_S, self.manifest.transport.timeout_s)):
                        await self._group.start(self._own, live)
                except Exception as exc:  # OSError, timeouts, or the SDK's exception groups around them
                    self._retry_at = time.monotonic() + self._backoff
                    self._backoff = min(self._backoff * 2, RETRY_MAX_S)
                    raise ServiceUnavailable(f"{self.manifest.id} did not start: {_describe(exc)}") from exc
                self._live, self._retry_at, self._backoff = live, 0.0, RETRY_MIN_S
                self.starts += 1
            return self._live

    async def _own(self, live: _Live, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Hold the transport and session open until the generation ends; never lets an error reach the
        group once started (a crash shows up as failed requests instead)."""
        started = False
        try:
            async with AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(self._transport())
                relay = await stack.enter_async_context(anyio.create_task_group())
                stack.callback(relay.cancel_scope.cancel)  # on the way out: before the group waits for it
                inbox_send, inbox = anyio.create_memory_object_stream[SessionMessage | Exception](0)
                relay.start_soon(self._relay, read, inbox_send, live)
                # No session-wide read timeout: initialize runs under the start limit, requests under _guard's.
                session = await stack.enter_async_context(
                    ClientSession(inbox, write, elicitation_callback=self.calls.elicit))
                await session.initialize()
                live.session, started = session, True
                task_status.started()
                await live.stop.wait()
        except Exception:
            if not started:
                raise
        finally:
            self._end(live)

    async def _relay(self, read: Any, inbox: MemoryObjectSendStream[SessionMessage | Exception], live: _Live) -> None:
        """Pass the server's messages to the session, and end the generation the moment the server's
        stream ends (a stdio server that died while idle): the next call then starts a fresh server
        instead of waiting out its timeout on a session nobody answers."""
        async with inbox:
            try:
                async for message in read:
                    await inbox.send(message)
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                pass
        self._end(live)

    def _end(self, live: _Live) -> None:
        live.end()
        if self._live is live:
            self._live = None

    def _transport(self) -> Any:
        t = self.manifest.transport
        if t.type == "http":
            assert t.url is not None
            headers = {}
            if self.manifest.auth_token_env and may_carry_token(t.url):
                headers["Authorization"] = f"Bearer {os.environ.get(self.manifest.auth_token_env, '')}"
            return _http(t.url, headers, t.timeout_s)
        argv, env = t.argv(), partner_env(self.manifest, self._home)  # run confined (services.sandbox)
        rules = grants(argv, partner_home(self.manifest, self._home), self._home, env, self._closed_ports)
        logs = self._home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        errlog: TextIO = open(logs / f"{self.manifest.id}.log", "a", encoding="utf-8")  # noqa: SIM115
        return _closing(_stdio(argv, env, rules, errlog), errlog)

    async def list_tools(self) -> list[Tool]:
        """The server's tools, listed once per session."""
        live = await self._ensure()
        if live.tools is None:
            tools: list[Tool] = []
            cursor: str | None = None
            while True:
                params = PaginatedRequestParams(cursor=cursor) if cursor else None
                page = await self._guard(live, functools.partial(ClientSession.list_tools, params=params))
                tools += page.tools
                cursor = page.nextCursor
                if not cursor:
                    break
            live.tools = tools
        return live.tools

    async def ping(self) -> None:
        """Round-trip to the server (starting it even within the back-off): a cached tool list says
        nothing about whether it is still there."""
        await self._guard(await self._ensure(force=True), lambda s: s.send_ping())

    async def call(self, name: str, arguments: dict[str, Any],
                   answers: dict[str, Any] | None = None) -> tuple[CallToolResult, Call]:
        """Call a tool; a question the partner asks meanwhile is answered from ``answers`` (the user's), else kept
        in the returned ``Call`` (``services.asking``)."""
        policy = self.manifest.tool(name)  # what the tool declares it may ask the user, nothing else is asked
        with self.calls.open(answers, dict(policy.asks) if policy else {}) as call:
            result: CallToolResult = await self._guard(await self._ensure(), lambda s: s.call_tool(name, arguments))
        return result, call

    async def _guard(self, live: _Live, request: Callable[[ClientSession], Awaitable[Any]]) -> Any:
        """Send a request on ``live``; if the connection broke, end it and raise ServiceUnavailable."""
        scope = anyio.CancelScope()
        live.inflight.add(scope)
        try:
            if live.stop.is_set() or live.session is None:
                raise anyio.ClosedResourceError
            timeout = self.manifest.transport.timeout_s
            with scope:
                try:
                    with anyio.fail_after(timeout):
                        return await request(live.session)
                except TimeoutError:
                    self._end(live)  # a hung server: the next call starts afresh
                    raise ServiceUnavailable(f"{self.manifest.id} timed out after {timeout:g} s") from None
            raise ServiceUnavailable(f"{self.manifest.id} failed: connection lost during the request")
        except McpError as exc:
            if exc.error.code not in _BROKEN_CODES:
                raise  # the server answered with a protocol error: it is alive
            self._end(live)
            raise ServiceUnavailable(f"{self.manifest.id} failed: {_describe(exc)}") from exc
        except BROKEN as exc:
            self._end(live)
            raise ServiceUnavailable(f"{self.manifest.id} failed: {_describe(exc)}") from exc
        finally:
            live.inflight.discard(scope)

    async def close(self) -> None:
        """End the session (and a stdio server process); a later call starts a new one."""
        if self._live is not None:
            self._end(self._live)
        await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def _http(url: str, headers: dict[str, str], timeout: float) -> AsyncIterator[tuple[Any, Any]]:
    """Streamable HTTP as a (read, write) pair like stdio, with our headers and timeout."""
    async with (httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(timeout, read=None)) as client,
                streamable_http_client(url, http_client=client) as (read, write, _session_id)):
        yield read, write


@asynccontextmanager
async def _stdio(argv: list[str], env: dict[str, str], rules: Grants, errlog: TextIO) -> AsyncIterator[tuple[Any, Any]]:
    """A stdio partner's (read, write) streams: Tandem's own reference partners forked by the partner starter
    (``services.forking``), any other partner, or when the starter is not there, through the launcher."""
    child = await forking.spawn(argv, env, rules, errlog) if reference(argv, env) else None
    if child is not None:
        async with forking.streams(child) as pair:
            yield pair
        return
    params = StdioServerParameters(command=sys.executable, args=launcher_argv(argv, rules)[1:], env=launcher_env(env))
    async with stdio_client(params, errlog=errlog) as pair:  # the partner's variables act once it is confined
        yield pair


class _closing:
    """Enter a transport and close the server's log file after it."""

    def __init__(self, inner: Any, log: TextIO) -> None:
        self._inner, self._log = inner, log

    async def __aenter__(self) -> Any:
        try:
            return await self._inner.__aenter__()
        except BaseException:
            self._log.close()
            raise

    async def __aexit__(self, *exc: Any) -> Any:
        try:
            return await self._inner.__aexit__(*exc)
        finally:
            self._log.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in exc.exceptions)
    if isinstance(exc, McpError):
        return exc.error.message
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
