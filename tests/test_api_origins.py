"""A web page on another origin and the model routes: a streamed tool call (the scripted booker of
tests/clients/booker.py) is never started from another site, by a simple request or a JSON one, and a
page of an origin the user allowed reads the stream it started."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tests.clients.booker import BOOK, BOOKER, Booker
from tests.conftest import TINY, LiveServer, register_tiny

ALLOWED = "https://app.example"
ASK = {"model": BOOKER, "messages": [{"role": "user", "content": "Book Dune."}], "tools": [BOOK], "stream": True}


@pytest.fixture
def booker() -> Booker:
    return Booker()


@pytest.fixture
def server(home: Path, tiny_gguf: Path, booker: Booker) -> Iterator[LiveServer]:
    register_tiny(home, tiny_gguf)
    registry = ModelRegistry(load_settings(default_model=TINY, allowed_origins=ALLOWED))
    registry.register(booker)
    with LiveServer(create_app(registry)) as live:
        yield live


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example", "Content-Type": "text/plain"},  # a form or no-cors fetch: no preflight
    {"Origin": "https://evil.example", "Content-Type": "application/json"},
    {"Origin": "http://127.0.0.1:9", "Content-Type": "text/plain"},  # another port of this machine
    {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},  # a browser that sent no Origin
    {"Origin": ALLOWED, "Content-Type": "text/plain"},  # even the allowed origin: a simple request needs proof
], ids=["simple", "json", "other-port", "no-origin", "allowed-but-simple"])
def test_another_site_never_starts_a_streamed_tool_call(server: LiveServer, booker: Booker,
                                                         headers: dict[str, str]) -> None:
    answer = httpx.post(server.url + "/v1/chat/completions", content=json.dumps(ASK), headers=headers, timeout=30)
    assert answer.status_code == 403, answer.text
    assert "access-control-allow-origin" not in answer.headers and not booker.requests


def test_an_allowed_origin_reads_the_stream_it_started(server: LiveServer, booker: Booker) -> None:
    """The openai JS SDK sends its ``x-stainless-*`` headers from a browser too: a preflight that did not allow them
    failed every request of it in the browser."""
    asked = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization,content-type,x-stainless-os,x-stainless-retry-count,a b"}
    preflight = httpx.options(server.url + "/v1/chat/completions", headers=asked, timeout=30)
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == ALLOWED
    allowed = {h.strip() for h in preflight.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "x-stainless-os", "x-stainless-retry-count"} <= allowed
    assert "a b" not in allowed and "a" not in allowed
    refused = httpx.options(server.url + "/v1/chat/completions", timeout=30,
                            headers={**asked, "Origin": "https://evil.example"})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    with httpx.stream("POST", server.url + "/v1/chat/completions", json=ASK, timeout=30,
                      headers={"Origin": ALLOWED, "Authorization": f"Bearer {server.local_token}"}) as answer:
        events = [json.loads(line[6:]) for line in answer.iter_lines() if line.startswith("data: {")]
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == ALLOWED
    calls = [c for e in events for c in e["choices"][0]["delta"].get("tool_calls", [])]
    assert calls[0]["function"]["name"] == "book_tickets" and len(booker.requests) == 1
