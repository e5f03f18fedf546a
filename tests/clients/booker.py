"""A scripted model for the streamed tool loops: the wire format and the frameworks' handling of it are under test,
not a model's words."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from tandem.models.base import ModelInfo
from tandem.models.toolcalls import make_call
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage
from tests.clients.conftest import BOOK_SCHEMA

__all__ = ["ANSWER", "ARGUMENTS", "BOOK", "BOOKER", "Booker"]

BOOKER = "test:booker"
ANSWER = ("Booked two tickets ", "for Dune ", "on 2025-06-01.")
BOOK = {"type": "function", "function": {"name": "book_tickets", "description": "Book cinema tickets for a film",
                                         "parameters": BOOK_SCHEMA}}
ARGUMENTS = {"title": "Dune", "count": 2, "date": "2025-06-01"}


class Booker:
    """Calls ``book_tickets`` (twice at once when the user asks for two films) until a tool result is in the
    conversation, then answers in three pieces; keeps every request it was sent."""

    info = ModelInfo(id=BOOKER, location="device", capabilities=Capabilities(context_length=8192))

    def __init__(self) -> None:
        self.requests: list[ChatRequest] = []

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        self.requests.append(request)
        if request.messages[-1].role == "tool" or not request.tools or request.tool_choice == "none":
            yield from (ChatChunk(text=piece) for piece in ANSWER)
            yield ChatChunk(finish_reason="stop", usage=Usage(40, 9))
            return
        films = ("Dune", "Alien") if "Alien" in (request.messages[-1].content or "") else ("Dune",)
        calls = tuple(make_call("book_tickets", {**ARGUMENTS, "title": f}) for f in films)
        yield ChatChunk(tool_calls=calls, finish_reason="tool_calls", usage=Usage(40, 20))
