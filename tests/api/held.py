"""A device model held on an event, for the admission tests (tests/test_api_admission.py, tests/test_api_clouds.py):
what they test is who is let in, not how fast anything runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from tandem.models.base import ModelInfo
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage

__all__ = ["ASK", "HELD", "Held", "until"]

HELD = "test:held"
ASK = {"model": HELD, "messages": [{"role": "user", "content": "hi"}]}


class Held:
    """Answers "done" once ``release`` is set; ``entered`` counts the answers begun."""

    info = ModelInfo(id=HELD, location="device", capabilities=Capabilities(context_length=8192))

    def __init__(self) -> None:
        self.release, self.entered = threading.Event(), threading.Semaphore(0)

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        self.entered.release()
        self.release.wait(30)
        yield ChatChunk(text="done")
        yield ChatChunk(finish_reason="stop", usage=Usage(1, 1))


def until(condition: Callable[[], bool]) -> None:
    """Waits (up to ~10 s) until ``condition`` holds: a state the server gets to, never a duration asserted."""
    for _ in range(500):
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the server never got there")
