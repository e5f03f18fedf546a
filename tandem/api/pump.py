"""Runs a blocking model stream in its own thread and hands the chunks to the event loop.

The thread is the only one that ever touches the generator, so closing it (which frees the model) is
always safe; the event loop side only sets ``cancel``, which the generator checks after every token.

A streamed response begins with its first chunk, so an error the model raises at once gets its HTTP status; one
whose first chunk takes longer (a tool call decided on a busy machine) begins without it (``begin``), and its
errors go into the stream, rather than the request's deadline answering 504 while the model is still at work.
At the deadline itself a stream not yet at its end is ended: ``next`` raises ``ModelTimeout`` and the generation is
cancelled, so a model held elsewhere cannot keep an empty stream open for as long as it is held."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from tandem.errors import ModelTimeout, TandemError
from tandem.types import ChatChunk

__all__ = ["Pump"]

_END = object()
log = logging.getLogger("tandem.api")


class Pump:
    def __init__(self, chunks: Iterator[ChatChunk], cancel: threading.Event) -> None:
        self._chunks, self.cancel = chunks, cancel
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._held: list[Any] = []  # the first item, taken by ``begin``
        self._ends: float | None = None  # the deadline (``begin``)
        self._seconds = 0.0
        threading.Thread(target=self._run, name="tandem-generation", daemon=True).start()

    def _put(self, item: Any) -> None:
        self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _run(self) -> None:
        try:
            for chunk in self._chunks:
                self._put(chunk)
                if self.cancel.is_set():
                    break
        except Exception as exc:  # handed over to the event loop, raised there
            self._put(exc)
        finally:
            getattr(self._chunks, "close", lambda: None)()
            self._put(_END)

    async def begin(self, ends: float | None, seconds: float = 0.0) -> None:
        """Waits for the first chunk up to half the time left before ``ends`` (a ``time.monotonic()`` moment; None:
        no deadline, as long as it takes), and raises here what the model raised before it; a first chunk that takes
        longer is read by ``next`` as the stream goes on, up to ``ends`` (``seconds``: the deadline, for the error)."""
        self._ends, self._seconds = ends, seconds
        try:
            self._held = [await asyncio.wait_for(self._queue.get(), self._left(half=True))]
        except TimeoutError:
            return
        if isinstance(self._held[0], Exception):
            raise self._held.pop()

    def _left(self, half: bool = False) -> float | None:
        if self._ends is None:
            return None
        left = max(0.0, self._ends - time.monotonic())
        return left / 2 if half else left

    async def next(self) -> ChatChunk | None:
        """The next chunk, None at the end; re-raises what the model raised (a bug as an internal error, so that the
        stream ends with an error event rather than a cut connection); ``ModelTimeout`` at the deadline."""
        try:
            item = self._held.pop() if self._held else await asyncio.wait_for(self._queue.get(), self._left())
        except TimeoutError:
            self.cancel.set()
            raise ModelTimeout(f"the answer did not end within {self._seconds:g} s") from None
        if item is _END:
            self._queue.put_nowait(_END)  # stay at the end for later calls
            return None
        if isinstance(item, TandemError):
            raise item
        if isinstance(item, Exception):
            log.error("the model failed in a streamed answer", exc_info=item)
            raise TandemError("internal error; see the server log") from item
        return item
