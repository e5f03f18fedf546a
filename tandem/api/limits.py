"""ASGI middleware that refuses request bodies over a size limit with HTTP 413, before any parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio

from tandem.api.errors import error_body
from tandem.errors import InvalidRequest

__all__ = ["BodyLimit", "Deadline", "check_json", "check_turn"]

Scope = dict[str, Any]


class BodyLimit:
    """``max_bytes`` for every route except those in ``uploads`` (path → limit), e.g. audio files."""

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
        chunks, size, more = [], 0, True
        while more:  # bodies without a length are counted as they arrive
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                await self._refuse(send, limit)
                return
        body = b"".join(chunks)
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return dict(await receive())
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

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
    background, at its next check of the client's presence, and its answer is dropped."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
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
                await self._timeout(send)
                group.cancel_scope.cancel()

    async def _timeout(self, send: Any) -> None:
        body = json.dumps(error_body(f"no answer within {self.seconds:g} s", "server_error", code="timeout")).encode()
        await send({"type": "http.response.start", "status": 504,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _bad_text(value: Any) -> bool:
    """Whether a parsed JSON value holds a string that is not valid Unicode (a lone surrogate such as
    ``"\\ud800"``, which JSON allows and UTF-8 cannot encode)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def check_json(data: Any, max_messages: int) -> None:
    """Checks on a parsed JSON body before any route works on it: valid Unicode, at most ``max_messages``."""
    if _bad_text(data):
        raise InvalidRequest("the request holds text that is not valid Unicode (a lone surrogate)")
    messages = data.get("messages") if isinstance(data, dict) else None
    if isinstance(messages, list) and len(messages) > max_messages:
        raise InvalidRequest(f"at most {max_messages} messages per request; this one has {len(messages)}",
                             param="messages")


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
