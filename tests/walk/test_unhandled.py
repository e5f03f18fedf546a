"""A bug in a route (walk2 W2-3): the client gets an OpenAI-style 500, `/metrics` counts it, and the
keep-alive connection it came on still serves the client's next request. Before, Starlette answered the
500 outside every middleware and raised again: no count, and uvicorn closed the connection, so the next
request of a keep-alive client (httpx, the openai library) failed with a reset."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer


@pytest.fixture
def server(tiny_registry: ModelRegistry) -> Iterator[LiveServer]:
    app = create_app(tiny_registry)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", broken, methods=["GET"])
    with LiveServer(app) as live:
        yield live


def _answers(sock: socket.socket, host: str) -> tuple[int, bytes]:
    """Send one keep-alive GET /boom on ``sock``; the status and body of its answer."""
    sock.sendall(f"GET /boom HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    return int(head.split()[1]), body


def _length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0].decode().lower()
    return next(int(line.split(":", 1)[1]) for line in head.split("\r\n") if line.startswith("content-length:"))


def test_a_bug_is_a_counted_500_on_a_connection_that_stays_open(server: LiveServer) -> None:
    url = httpx.URL(server.url)
    with socket.create_connection((url.host, url.port), timeout=30) as sock:
        for _ in range(2):  # the second request goes over the same connection
            status, body = _answers(sock, f"{url.host}:{url.port}")
            assert status == 500
            assert json.loads(body)["error"] == {"message": "internal error; see the server log",
                                                 "type": "server_error", "param": None, "code": None}
    metrics = httpx.get(server.url + "/metrics", timeout=30).text
    assert 'tandem_http_requests_total{path="/boom",status="500"} 2.0' in metrics
