"""Body limits (small for chat, larger for file uploads, enforced before the app parses anything), and the
budgets and 4xx answers of a real server: caps checked before model work, deadlines, errors for bad input."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tandem.api.limits import BodyLimit
from tandem.config import Settings
from tandem.models.base import ModelInfo
from tandem.models.registry import ModelRegistry
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage
from tests.conftest import TINY, LiveServer


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def test_upload_paths_get_their_own_limit() -> None:
    app = Starlette(routes=[Route("/chat", echo, methods=["POST"]), Route("/upload", echo, methods=["POST"])])
    client = TestClient(BodyLimit(app, max_bytes=1000, uploads={"/upload": 5000}))
    assert client.post("/chat", content=b"x" * 1000).json() == {"size": 1000}
    refused = client.post("/chat", content=b"x" * 1001)
    assert refused.status_code == 413 and "1000 bytes" in refused.json()["error"]["message"]
    assert client.post("/upload", content=b"x" * 4000).json() == {"size": 4000}
    assert client.post("/upload", content=b"x" * 5001).status_code == 413
    assert client.post("/upload", content=iter([b"x" * 3000, b"x" * 3000])).status_code == 413  # no length given


# budgets and errors on a real server ----------------------------------------------------------------------

LONE = '{"model": "' + TINY + '", "messages": [{"role": "user", "content": "a\\ud800b"}]}'


def tokens_used(server: LiveServer) -> float:
    lines = httpx.get(f"{server.url}/metrics").text.splitlines()
    return sum(float(line.split()[-1]) for line in lines if line.startswith("tandem_tokens_total"))


def test_lone_surrogates_and_huge_numbers_are_400(tiny_server: LiveServer) -> None:
    json_type = {"content-type": "application/json"}
    for path, body in [("/v1/chat/completions", LONE),
                       ("/v1/embeddings", '{"model": "device:e5-small", "input": "\\udfff"}'),
                       ("/v1/assistant/conversations", '{"text": "book \\ud83d tickets"}')]:
        answer = httpx.post(tiny_server.url + path, content=body.encode(), headers=json_type, timeout=60)
        assert answer.status_code == 400, (path, answer.text)
        assert "Unicode" in answer.json()["error"]["message"]
    for method, path in [("DELETE", "/v1/memory/items/99999999999999999999999"),
                         ("PATCH", "/v1/memory/items/99999999999999999999999"),
                         ("GET", "/v1/privacy/ledger?limit=99999999999999999999999")]:
        answer = httpx.request(method, tiny_server.url + path, json={"value": "x"}, timeout=60,
                               headers=tiny_server.local)  # the ledger needs the user's own credential
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["error"]["type"] == "invalid_request_error"


def test_405_names_the_allowed_methods(tiny_server: LiveServer) -> None:
    answer = httpx.put(tiny_server.url + "/v1/memory/items", json={}, headers=tiny_server.local)
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
    assert httpx.delete(tiny_server.url + "/v1/models").headers["allow"] == "GET"


def test_message_count_and_turn_length_are_capped_before_model_work(tiny_server: LiveServer) -> None:
    before = tokens_used(tiny_server)
    many = {"model": TINY, "messages": [{"role": "user", "content": "hi"}] * 20_000}
    answer = httpx.post(tiny_server.url + "/v1/chat/completions", json=many, timeout=60)
    assert answer.status_code == 400 and "at most 2048 messages" in answer.json()["error"]["message"]
    turn = httpx.post(tiny_server.url + "/v1/assistant/conversations", json={"text": "0" * 4000}, timeout=60)
    assert turn.status_code == 400 and "at most 1024 tokens" in turn.json()["error"]["message"]
    chat = {"model": "tandem:assistant", "messages": [{"role": "user", "content": "0" * 4000}]}
    assert httpx.post(tiny_server.url + "/v1/chat/completions", json=chat, timeout=60).status_code == 400
    assert httpx.get(tiny_server.url + "/v1/assistant/tasks", timeout=60).json()["data"] == []
    assert tokens_used(tiny_server) == before


def test_openapi_lists_the_real_error_codes(tiny_server: LiveServer) -> None:
    spec = httpx.get(tiny_server.url + "/openapi.json").json()
    chat = spec["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert "422" not in json.dumps(spec["paths"])
    assert {"200", "400", "401", "403", "413", "421", "503", "504"} <= set(chat)
    assert chat["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}


@pytest.mark.timeout(120)
def test_a_request_past_its_deadline_gets_504(tiny_settings: Settings) -> None:
    from tandem.api.app import create_app

    registry = ModelRegistry(replace(tiny_settings, request_timeout_s=1.0))
    model = registry.get(TINY)
    with LiveServer(create_app(registry)) as server, model._lock:  # type: ignore[attr-defined]  # the model is busy
        answer = httpx.post(server.url + "/v1/chat/completions", timeout=60,
                            json={"model": TINY, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4})
        assert answer.status_code == 504 and answer.json()["error"]["code"] == "timeout"


def _after_tool_result(content: str, arguments: str = '{"title": "Dune"}') -> dict[str, object]:
    parameters = {"type": "object", "properties": {"title": {"type": "string"}}}
    tool = {"type": "function", "function": {"name": "find_films", "description": "Films showing",
                                             "parameters": parameters}}
    call = {"id": "c1", "type": "function", "function": {"name": "find_films", "arguments": arguments}}
    return {"model": TINY, "max_tokens": 4, "tools": [tool], "tool_choice": "auto",
            "messages": [{"role": "user", "content": "which films?"},
                         {"role": "assistant", "content": None, "tool_calls": [call]},
                         {"role": "tool", "tool_call_id": "c1", "content": content}]}


def test_odd_tool_results_and_deep_arguments_are_no_server_error(tiny_server: LiveServer) -> None:
    """A tool message is the client's input, read for failures and pages on every request with tools (review
    of 982cb76): a superscript status, JSON nested deeper than the parser recurses and a page number of
    thousands of digits were 500s. Nested call arguments are a 400 naming the nesting."""
    answer = httpx.post(f"{tiny_server.url}/v1/chat/completions", json=_after_tool_result('{"status": "\u00b2"}'),
                        timeout=120)
    assert answer.status_code == 200, answer.text[:200]
    for content in ("[" * 100_000, "page " + "1" * 5000 + " of 9", '{"status": "' + "9" * 5000 + '"}'):
        answer = httpx.post(f"{tiny_server.url}/v1/chat/completions", json=_after_tool_result(content), timeout=120)
        # read as a result first, then too long for the tiny model's 512-token context: that 400, not a 500
        assert answer.status_code == 400, (content[:20], answer.text[:200])
        assert "context" in answer.json()["error"]["message"], answer.text[:200]
    deep = httpx.post(f"{tiny_server.url}/v1/chat/completions", json=_after_tool_result("ok", "[" * 100_000),
                      timeout=120)
    assert deep.status_code == 400, deep.text[:200]
    assert deep.json()["error"]["type"] == "invalid_request_error"


class HeldModel:
    """A model held elsewhere (another request, a long grammar-bound decision): after the chunks ``before`` it
    answers only once ``gate`` is opened, and stops when its generation is cancelled (``cancelled`` then set)."""

    info = ModelInfo(id="test:held", location="device", capabilities=Capabilities(context_length=8192))

    def __init__(self, before: tuple[str, ...] = ()) -> None:
        self.before, self.gate, self.cancelled = before, threading.Event(), threading.Event()

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        cancel = cancel or threading.Event()
        yield from (ChatChunk(text=text) for text in self.before)
        for _ in range(1200):  # at most a minute: a test that fails leaves no thread behind
            if self.gate.wait(0.05):
                yield ChatChunk(text="Hello", finish_reason="stop", usage=Usage(3, 1))
                return
            if cancel.is_set():
                self.cancelled.set()
                return


class BrokenModel(HeldModel):
    """Fails with a bug (no TandemError) after the chunks ``before``."""

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        yield from (ChatChunk(text=text) for text in self.before)
        raise RuntimeError("a bug in the backend")


@contextmanager
def held_server(settings: Settings, deadline: float, model: HeldModel | None = None) -> Iterator[tuple[LiveServer,
                                                                                                       HeldModel]]:
    """A real server with a ``deadline`` whose model ``test:held`` is ``model`` (a ``HeldModel`` by default)."""
    from tandem.api.app import create_app

    registry = ModelRegistry(replace(settings, request_timeout_s=deadline, preload=False))
    model = model or HeldModel()
    registry.register(model)
    try:
        with LiveServer(create_app(registry)) as server:
            yield server, model
    finally:
        model.gate.set()


def _stream(server: LiveServer, path: str, on_begin: Callable[[], None] = lambda: None) -> list[str]:
    """The data lines of a streamed answer of ``test:held``; ``on_begin`` runs when its first line has come."""
    body = {"model": "test:held", "stream": True, **(
        {"input": "hi"} if path == "/v1/responses" else {"messages": [{"role": "user", "content": "hi"}]})}
    data: list[str] = []
    with httpx.stream("POST", server.url + path, json=body, timeout=60) as answer:
        assert answer.status_code == 200, answer.read()[:200]
        for line in answer.iter_lines():
            if line.startswith("data: "):
                data.append(line[len("data: "):])
                if len(data) == 1:
                    on_begin()
    return data


def _first_tokens(server: LiveServer) -> float:
    """How many times to first token /metrics has observed for ``test:held``."""
    lines = httpx.get(server.url + "/metrics", timeout=60).text.splitlines()
    return sum(float(line.split()[-1]) for line in lines
               if line.startswith('tandem_time_to_first_token_seconds_count{model="test:held"}'))


@pytest.mark.timeout(120)
def test_a_streamed_answer_begins_before_its_deadline_while_the_model_is_busy(tiny_settings: Settings) -> None:
    """A streamed answer whose first chunk comes late (the last turn of openai-agents' streamed tool loop on a busy
    machine) begins by half the deadline, before the model has said anything, and ends with the model's answer,
    instead of the deadline's 504. Its time to first token is taken at the first token, not where the stream
    began (b296b47 took it there)."""
    seen: list[float] = []
    with held_server(tiny_settings, 6.0) as (server, model):  # begins at ~3 s; the gate opens then
        data = _stream(server, "/v1/chat/completions", lambda: (seen.append(_first_tokens(server)), model.gate.set()))
        counted = _first_tokens(server)
    assert data[-1] == "[DONE]", data[-3:]
    assert any('"content": "Hello"' in line for line in data) and '"finish_reason": "stop"' in data[-2], data[-3:]
    assert seen == [0.0] and counted == 1.0


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/responses"])
def test_a_stream_still_running_at_its_deadline_ends_with_a_timeout_error(tiny_settings: Settings, path: str) -> None:
    """Review R19-4: since b296b47 a stream begins by half the deadline, and then nothing bounded it: a model held for
    20 minutes kept an open, empty 200 stream for 20 minutes. At the deadline the stream ends with the deadline's
    error (as a whole answer gets 504) and its generation is cancelled; what came before it stays."""
    with held_server(tiny_settings, 3.0, HeldModel(("Hel",))) as (server, model):
        data = _stream(server, path)
        cancelled = model.cancelled.wait(10)
    error = json.loads(data[-1])
    assert (error.get("error") or error)["code"] == "timeout", data[-2:]
    assert "Hel" in "".join(data[:-1]) and "[DONE]" not in data, data
    assert cancelled


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/responses"])
def test_a_model_that_fails_with_a_bug_mid_stream_ends_the_stream_with_an_error(tiny_settings: Settings,
                                                                              path: str) -> None:
    """A bug raised by the model after the stream began (since b296b47 also in a decision before the first token)
    cut the connection ("peer closed connection without sending complete message body"); the stream ends with an
    internal error event, what came before it kept."""
    with held_server(tiny_settings, 60.0, BrokenModel(("Hel",))) as (server, _):
        data = _stream(server, path)
    error = json.loads(data[-1])
    assert (error.get("error") or error)["message"] == "internal error; see the server log", data[-2:]
    assert "Hel" in "".join(data[:-1]), data
