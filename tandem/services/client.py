"""One live MCP session to one partner service, over stdio or streamable HTTP (the official ``mcp`` SDK).

The SDK's transports are async context managers that must be entered and left in the same task, so
each connection is owned by a background task that opens the transport, initialises the session and
then waits until it is told to close. Callers talk to the session; when it breaks (the process died,
the server went away, a request timed out) the connection is closed and the next ``ensure`` starts a
new one, which for stdio means a fresh server process.
"""

from __future__ import annotations

import os
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

import anyio
import httpx
from anyio.abc import TaskGroup, TaskStatus
from mcp import ClientSession, McpError, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.types import CONNECTION_CLOSED, CallToolResult, Tool

from tandem.errors import ServiceUnavailable
from tandem.services.manifest import Manifest

__all__ = ["BROKEN", "Connection"]

# What a dead or unreachable server looks like from the SDK: typed errors and codes, never message strings.
BROKEN: tuple[type[BaseException], ...] = (
    McpError, OSError, anyio.ClosedResourceError, anyio.BrokenResourceError, anyio.EndOfStream, httpx.HTTPError,
    TimeoutError,
)
_BROKEN_CODES = {CONNECTION_CLOSED, 408}  # 408: the SDK's request read timeout


class Connection:
    """A session to ``manifest``'s server, started in ``group`` and restarted on demand."""

    def __init__(self, manifest: Manifest, group: TaskGroup, *, home: Path) -> None:
        self.manifest = manifest
        self._group = group
        self._home = home
        self._session: ClientSession | None = None
        self._stop = anyio.Event()
        self._lock = anyio.Lock()
        self._tools: list[Tool] | None = None  # cached listing, dropped with the session
        self.starts = 0  # how many sessions were opened (1 + restarts)

    @property
    def alive(self) -> bool:
        return self._session is not None

    async def ensure(self) -> ClientSession:
        """The live session, starting the server (or reconnecting) first when there is none."""
        async with self._lock:
            if self._session is None:
                self._stop = anyio.Event()
                try:
                    with anyio.fail_after(self.manifest.transport.timeout_s):
                        await self._group.start(self._own)
                except BROKEN as exc:
                    raise ServiceUnavailable(f"{self.manifest.id} did not start: {_describe(exc)}") from exc
                except Exception as exc:  # the SDK wraps transport failures in exception groups
                    raise ServiceUnavailable(f"{self.manifest.id} did not start: {_describe(exc)}") from exc
                self.starts += 1
            assert self._session is not None
            return self._session

    async def _own(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Hold the transport and session open until ``close``; never lets an error reach the group."""
        started = False
        try:
            async with AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(self._transport())
                timeout = timedelta(seconds=self.manifest.transport.timeout_s)
                session = await stack.enter_async_context(ClientSession(read, write, read_timeout_seconds=timeout))
                await session.initialize()
                self._session, started = session, True
                task_status.started()
                await self._stop.wait()
        except Exception:
            if not started:
                raise
        finally:
            self._session, self._tools = None, None

    def _transport(self) -> Any:
        t = self.manifest.transport
        if t.type == "http":
            assert t.url is not None
            headers = {}
            if self.manifest.auth_token_env:
                headers["Authorization"] = f"Bearer {os.environ.get(self.manifest.auth_token_env, '')}"
            return streamablehttp_client(t.url, headers=headers, timeout=t.timeout_s)
        argv = t.argv()
        env = {**os.environ, "TANDEM_HOME": str(self._home), **dict(t.env)}
        logs = self._home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        errlog: TextIO = open(logs / f"{self.manifest.id}.log", "a", encoding="utf-8")  # noqa: SIM115
        return _closing(stdio_client(StdioServerParameters(command=argv[0], args=argv[1:], env=env),
                                     errlog=errlog), errlog)

    async def list_tools(self) -> list[Tool]:
        """The server's tools; listed once per session (servers here do not change tools at run time)."""
        session = await self.ensure()
        if self._tools is None:
            tools: list[Tool] = []
            cursor: str | None = None
            while True:
                page = await self._guard(session.list_tools(cursor))
                tools += page.tools
                cursor = page.nextCursor
                if not cursor:
                    break
            self._tools = tools
        return self._tools

    async def ping(self) -> None:
        """Round-trip to the server: a cached tool list says nothing about whether it is still there."""
        session = await self.ensure()
        await self._guard(session.send_ping())

    async def call(self, name: str, arguments: dict[str, Any]) -> CallToolResult:
        session = await self.ensure()
        result: CallToolResult = await self._guard(session.call_tool(name, arguments))
        return result

    async def _guard(self, request: Any) -> Any:
        """Await a request; if the connection broke, close it and raise ServiceUnavailable."""
        try:
            return await request
        except McpError as exc:
            if exc.error.code not in _BROKEN_CODES:
                raise  # the server answered with a protocol error: it is alive
            await self.close()
            raise ServiceUnavailable(f"{self.manifest.id} failed: {_describe(exc)}") from exc
        except BROKEN as exc:
            await self.close()
            raise ServiceUnavailable(f"{self.manifest.id} failed: {_describe(exc)}") from exc

    async def close(self) -> None:
        """End the session (and a stdio server process); a later ``ensure`` starts a new one."""
        self._stop.set()
        self._session, self._tools = None, None
        await anyio.lowlevel.checkpoint()


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
