"""Real servers on loopback for tests and benches: ``LiveServer`` runs any ASGI app (Tandem's API, a
partner) with uvicorn in a thread; ``RecordingCloud`` is a stand-in cloud, an OpenAI-compatible server
that records every byte it receives.

The cloud's answers are scripted (echo the last user message, call a tool with it, fail in a chosen way)
because what is checked is what crosses the wire, not a model's words. ``proxy`` mode forwards to a real
Tandem app (llama.cpp behind it) for an end-to-end run.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

__all__ = ["CloudScript", "LiveServer", "Received", "RecordingCloud", "free_port", "wait_until"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _QuickServer(uvicorn.Server):
    """uvicorn's server, stopped as soon as asked: tests start and stop hundreds of them. uvicorn looks at
    ``should_exit`` every 0.1 s and, stopping, waits 0.1 s more for open connections to take the shutdown: 0.12-0.20 s
    per server, with no connection open. Here ``should_exit`` is seen within 0.01 s (``on_tick``'s housekeeping still
    runs every 0.1 s), and with connections or tasks still open uvicorn's own graceful shutdown runs."""

    async def main_loop(self) -> None:
        counter, ticks = 0, 0
        should_exit = await self.on_tick(counter)
        while not should_exit and not self.should_exit:
            await asyncio.sleep(0.01)
            ticks += 1
            if ticks % 10 == 0:
                counter = (counter + 1) % 864000
                should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        if self.server_state.connections or self.server_state.tasks:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


class LiveServer:
    """A real uvicorn server on loopback, in a thread."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.port = free_port()
        self.server = _QuickServer(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def local_token(self) -> str:
        """The token the user's own ``tandem`` CLI presents (``keys/local.token``): confirming, privacy and admin
        routes need it (or a key) even on a server without keys."""
        return str(self.app.state.keys.local)

    @property
    def local(self) -> dict[str, str]:
        """``Authorization`` with ``local_token``, for an httpx client acting as the user's own CLI."""
        return {"Authorization": f"Bearer {self.local_token}"}

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class CloudScript:
    """How the cloud answers the next requests."""

    mode: str = "echo"  # echo | tool | 429 | 401 | overflow | slow | die | proxy
    chunk: int = 3  # characters per streamed chunk (small, so placeholders split across chunks)
    delay: float = 0.0  # seconds before answering (slow mode)
    upstream: Any = None  # an ASGI app to proxy to (proxy mode)


@dataclass
class RecordingCloud:
    script: CloudScript = field(default_factory=CloudScript)
    received: list[Received] = field(default_factory=list)

    def all_bytes(self) -> bytes:
        return b"".join(r.body for r in self.received)

    def app(self) -> Any:
        return _Recorder(Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])]), self)

    async def _chat(self, request: Request) -> Response:
        body = json.loads(await request.body())
        mode = self.script.mode
        if mode == "429":
            return JSONResponse({"error": {"message": "slow down", "type": "rate_limit"}}, 429,
                                headers={"retry-after": "7"})
        if mode == "401":
            return JSONResponse({"error": {"message": "bad key", "code": "invalid_api_key"}}, 401)
        if mode == "overflow":
            return JSONResponse({"error": {"message": "too long", "code": "context_length_exceeded"}}, 400)
        if mode == "slow":
            await asyncio.sleep(self.script.delay)
        last = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
        return StreamingResponse(self._events(last, body), media_type="text/event-stream")

    async def _events(self, text: str, body: dict[str, Any]) -> Any:
        def event(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"

        if self.script.mode == "tool":
            args = json.dumps({"note": text})
            yield event({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                         "function": {"name": body["tools"][0]["function"]["name"], "arguments": ""}}]})
            for i in range(0, len(args), 5):
                yield event({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 5]}}]})
            yield event({}, "tool_calls")
        else:
            answer = f"You said: {text}"
            for i in range(0, len(answer), self.script.chunk):
                if self.script.mode == "die" and i >= len(answer) // 2:
                    raise RuntimeError("cloud killed mid-stream")
                yield event({"content": answer[i:i + self.script.chunk]})
            yield event({}, "stop")
        yield 'data: {"choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": 7}}\n\n'
        yield "data: [DONE]\n\n"


class _Recorder:
    """ASGI middleware: records each request's raw body before the app sees it."""

    def __init__(self, app: Any, cloud: RecordingCloud) -> None:
        self.app, self.cloud = app, cloud

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.cloud.received.append(Received(scope["path"], headers, body))
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        target = self.cloud.script.upstream if self.cloud.script.mode == "proxy" else self.app
        await target(scope, replay, send)


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
