"""``LiveServer`` (tandem.testing), the real uvicorn server tests run apps in: it stops without uvicorn's idle waits,
and stopping still ends as uvicorn's does: the app's shutdown runs, the port is free, an answer being written is
finished first."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tandem.testing import LiveServer


class App:
    """A Starlette app that records its lifespan and answers ``/slow`` only once told to."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.asked = threading.Event()
        self.release = threading.Event()

    def build(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.events.append("started")
            yield
            self.events.append("stopped")

        async def fast(request: Request) -> PlainTextResponse:
            return PlainTextResponse("fast")

        async def slow(request: Request) -> PlainTextResponse:
            self.asked.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return PlainTextResponse("slow answer")

        return Starlette(routes=[Route("/fast", fast), Route("/slow", slow)], lifespan=lifespan)


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_stopped_server_has_run_its_apps_shutdown_and_freed_its_port() -> None:
    app = App()
    with LiveServer(app.build()) as server:
        answer = httpx.get(server.url + "/fast")
        assert answer.text == "fast" and answer.headers["date"]  # uvicorn's housekeeping (the date header) runs
        assert not _port_is_free(server.port)
    assert app.events == ["started", "stopped"]
    assert not server.thread.is_alive() and _port_is_free(server.port)


def test_an_answer_being_written_when_the_server_stops_is_finished() -> None:
    app = App()
    answers: list[httpx.Response] = []
    server = LiveServer(app.build()).__enter__()
    client = threading.Thread(target=lambda: answers.append(httpx.get(server.url + "/slow", timeout=30)))
    client.start()
    assert app.asked.wait(timeout=30)
    stopping = threading.Thread(target=server.__exit__)
    stopping.start()
    stopping.join(timeout=0.3)
    assert stopping.is_alive()  # the stop waits for the answer...
    app.release.set()
    stopping.join(timeout=30)
    client.join(timeout=30)
    assert [(a.status_code, a.text) for a in answers] == [(200, "slow answer")]  # ...which arrives whole
    assert app.events == ["started", "stopped"] and not server.thread.is_alive()
