"""Runs a blocking model stream in its own thread and hands the chunks to the event loop.

The thread is the only one that ever touches the generator, so closing it (which frees the model) is
always safe; the event loop side only sets ``cancel``, which the generator checks after every token.

A streamed response begins with its first chunk, so an error the model raises at once gets its HTTP status; one
whose first chunk takes longer (a tool call decided on a busy machine) begins without it (``begin``), and its
errors go into the stream, rather than the request's deadline answering 504 while the model is still at work."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

from tandem.types import ChatChunk

__all__ = ["Pump"]

_END = object()


class Pump:
    def __init__(self, chunks: Iterator[ChatChunk], cancel: threading.Event) -> None:
        self._chunks, self.cancel = chunks, cancel
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._held: list[Any] = []  # the first item, taken by ``begin``
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

    async def begin(self, seconds: float | None) -> None:
        """Waits up to ``seconds`` (None: as long as it takes) for the first chunk, and raises here what the model
        raised before it; a first chunk that takes longer is read by ``next`` as the stream goes on."""
        try:
            self._held = [await asyncio.wait_for(self._queue.get(), seconds)]
        except TimeoutError:
            return
        if isinstance(self._held[0], Exception):
            raise self._held.pop()

    async def next(self) -> ChatChunk | None:
        """The next chunk, None at the end; re-raises what the model raised."""
        item = self._held.pop() if self._held else await self._queue.get()
        if item is _END:
            self._queue.put_nowait(_END)  # stay at the end for later calls
            return None
        if isinstance(item, Exception):
            raise item
        return item
