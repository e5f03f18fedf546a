"""The OpenAI-compatible API on a real uvicorn server, driven by the official ``openai`` client and httpx."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import openai
import pytest

from tandem.models.registry import ModelRegistry
from tests.conftest import TINY, LiveServer

BOOK = {"type": "function", "function": {
    "name": "book_tickets", "description": "Book cinema tickets",
    "parameters": {"type": "object", "properties": {"title": {"type": "string", "maxLength": 12},
                                                    "count": {"type": "integer"},
                                                    "date": {"type": "string", "maxLength": 10}},
                   "required": ["title", "count", "date"]}}}


def client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_models_are_listed(tiny_server: LiveServer) -> None:
    ids = [m.id for m in client(tiny_server).models.list()]
    assert {TINY, "device:qwen2.5-coder-1.5b", "device:qwen2.5-coder-0.5b", "device:e5-small"} <= set(ids)
    assert client(tiny_server).models.retrieve(TINY).id == TINY


def test_chat_completion_whole(tiny_server: LiveServer) -> None:
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "hi"}], max_tokens=5, seed=1)
    assert out.choices[0].finish_reason in ("stop", "length")
    assert out.usage is not None and out.usage.completion_tokens > 0
    assert out.usage.total_tokens == out.usage.prompt_tokens + out.usage.completion_tokens


def test_chat_completion_streamed_with_usage(tiny_server: LiveServer) -> None:
    stream = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "hi"}], max_tokens=6, seed=2, stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] in ("stop", "length")


def test_tool_call_through_the_client(tiny_server: LiveServer) -> None:
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "book"}], tools=[BOOK], tool_choice="required",
        max_tokens=300, seed=4)
    call = out.choices[0].message.tool_calls[0]
    assert out.choices[0].finish_reason == "tool_calls"
    args = json.loads(call.function.arguments)
    assert set(args) >= {"title", "count", "date"} and isinstance(args["count"], int)


def test_streamed_tool_call(tiny_server: LiveServer) -> None:
    stream = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "book"}], tools=[BOOK],
        tool_choice={"type": "function", "function": {"name": "book_tickets"}}, max_tokens=300, seed=4, stream=True)
    chunks = list(stream)
    calls = [tc for c in chunks if c.choices for tc in c.choices[0].delta.tool_calls or []]
    # as OpenAI streams a call: index, id, type and name once, then the arguments; the finish in a chunk of its own
    assert [(c.index, c.id is not None, c.type, c.function.name) for c in calls] == [  # type: ignore[union-attr]
        (0, True, "function", "book_tickets"), (0, False, None, None)]
    assert set(json.loads("".join(c.function.arguments or "" for c in calls))) == {"title", "count", "date"}  # type: ignore[union-attr]
    ends = [c.choices[0] for c in chunks if c.choices and c.choices[0].finish_reason]
    assert [(e.finish_reason, e.delta.tool_calls) for e in ends] == [("tool_calls", None)]


def test_json_schema_response(tiny_server: LiveServer) -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string", "maxLength": 20}}, "required": ["city"]}
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "city?"}], max_tokens=60, seed=1,
        response_format={"type": "json_schema", "json_schema": {"name": "c", "schema": schema}})
    assert isinstance(json.loads(out.choices[0].message.content or "")["city"], str)


@pytest.mark.parametrize(("body", "status", "needle"), [
    (b"{not json", 400, "not valid JSON"),
    (json.dumps({"model": "device:nope", "messages": [{"role": "user", "content": "x"}]}).encode(), 404, "nope"),
    (json.dumps({"model": TINY, "messages": [{"role": "user", "content": "x"}], "max_tokens": -5}).encode(), 400,
     "max_tokens"),
    (json.dumps({"model": TINY, "messages": []}).encode(), 400, "messages"),
    (json.dumps({"model": TINY, "messages": [{"role": "wizard", "content": "x"}]}).encode(), 400, "role"),
    (json.dumps({"model": TINY, "messages": [{"role": "user", "content": "word " * 800}]}).encode(), 400,
     "context"),
    (json.dumps({"model": TINY, "messages": [{"role": "user", "content": "x"}],
                 "response_format": {"type": "json_schema", "json_schema": {"schema": {"type": 5}}}}).encode(),
     400, "schema"),
])
def test_bad_input_gets_openai_error_and_server_stays_up(tiny_server: LiveServer, body: bytes, status: int,
                                                         needle: str) -> None:
    r = httpx.post(tiny_server.url + "/v1/chat/completions", content=body,
                   headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert needle.lower() in error["message"].lower() and error["type"]
    assert httpx.get(tiny_server.url + "/healthz").json()["status"] == "ok"


def test_ten_megabyte_body_is_refused(tiny_server: LiveServer) -> None:
    big = json.dumps({"model": TINY, "messages": [{"role": "user", "content": "x" * 10_000_000}]})
    r = httpx.post(tiny_server.url + "/v1/chat/completions", content=big, timeout=30,
                   headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"

    def chunked() -> object:
        for _ in range(10):
            yield b"x" * 1_000_000
    r = httpx.post(tiny_server.url + "/v1/chat/completions", content=chunked(), timeout=30)  # type: ignore[arg-type]
    assert r.status_code == 413
    assert httpx.get(tiny_server.url + "/healthz").status_code == 200


def test_openai_client_sees_typed_errors(tiny_server: LiveServer) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client(tiny_server).chat.completions.create(model="device:missing", messages=[{"role": "user", "content": "x"}])
    assert missing.value.code == "model_not_found"
    with pytest.raises(openai.NotFoundError) as gone:  # a missing object: 404 without a code, as OpenAI answers
        client(tiny_server).responses.retrieve("resp_does_not_exist")
    assert gone.value.code is None and "resp_does_not_exist" in gone.value.message
    with pytest.raises(openai.BadRequestError) as info:
        client(tiny_server).chat.completions.create(
            model=TINY, messages=[{"role": "user", "content": "x"}], max_tokens=100_000)
    assert info.value.code == "context_length_exceeded"
    # in OpenAI's words too: clients that sort errors by their words (litellm) read an overflow only by them
    assert "This model's maximum context length is" in info.value.message


def test_client_disconnect_mid_stream_frees_the_model(tiny_server: LiveServer) -> None:
    body = {"model": TINY, "messages": [{"role": "user", "content": "go"}], "max_tokens": 450, "seed": 5,
            "temperature": 1.0, "stream": True}
    with httpx.stream("POST", tiny_server.url + "/v1/chat/completions", json=body, timeout=30) as r:
        for line in r.iter_lines():
            if '"content"' in line and '"content":""' not in line.replace(" ", ""):
                break  # leave after the first token
    # The next request is served at all only if the abandoned generation gave the model back.
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "again"}], max_tokens=3)
    assert out.choices[0].finish_reason in ("stop", "length")
    metrics = httpx.get(tiny_server.url + "/metrics").text
    assert 'tandem_generations_cancelled_total{model="device:tiny"} 1.0' in metrics
    generated = float(metrics.split('tandem_tokens_total{kind="completion",model="device:tiny"} ')[1].split()[0])
    assert generated < 450, "the abandoned generation ran to its end"


def test_client_gone_before_a_whole_answer_stops_the_generation(tiny_registry: ModelRegistry,
                                                                 tiny_server: LiveServer) -> None:
    model = tiny_registry.get(TINY)
    body = json.dumps({"model": TINY, "messages": [{"role": "user", "content": "go"}], "max_tokens": 450,
                       "seed": 5, "temperature": 1.0}).encode()
    head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with model._lock:  # type: ignore[attr-defined]  # busy: the request waits for the model
        with socket.create_connection(("127.0.0.1", tiny_server.port)) as raw:
            raw.sendall(head + body)
        deadline = time.monotonic() + 30  # the server notices the hang-up while the request still waits
        while 'tandem_generations_cancelled_total{model="device:tiny"} 1.0' not in httpx.get(
                tiny_server.url + "/metrics").text:
            assert time.monotonic() < deadline, "the server did not notice the client leaving"
            time.sleep(0.02)
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "again"}], max_tokens=3)
    assert out.choices[0].finish_reason in ("stop", "length")
    metrics = httpx.get(tiny_server.url + "/metrics").text
    generated = float(metrics.split('tandem_tokens_total{kind="completion",model="device:tiny"} ')[1].split()[0])
    assert generated < 20, "the abandoned generation ran on after the client left"


def test_concurrent_requests_are_serialised_safely(tiny_server: LiveServer) -> None:
    results: list[str | None] = []

    def one(seed: int) -> None:
        out = client(tiny_server).chat.completions.create(
            model=TINY, messages=[{"role": "user", "content": "hi"}], max_tokens=8, seed=seed)
        results.append(out.choices[0].finish_reason)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 6 and all(r in ("stop", "length") for r in results)


def test_health_and_metrics(tiny_server: LiveServer) -> None:
    client(tiny_server).chat.completions.create(model=TINY, messages=[{"role": "user", "content": "x"}], max_tokens=2)
    health = httpx.get(tiny_server.url + "/healthz").json()
    assert health["status"] == "ok" and TINY in health["models_loaded"] and health["region"] == "DE"
    metrics = httpx.get(tiny_server.url + "/metrics").text
    assert 'tandem_tokens_total{kind="completion",model="device:tiny"}' in metrics
    assert 'tandem_http_requests_total{path="/v1/chat/completions",status="200"}' in metrics


def test_unknown_route_is_an_openai_error(tiny_server: LiveServer) -> None:
    r = httpx.get(tiny_server.url + "/v1/nothing", headers=tiny_server.local)  # unknown routes need admin
    assert r.status_code == 404 and "error" in r.json()


def test_embeddings_are_multilingual(tiny_server: LiveServer) -> None:
    texts = ["I would like to order a pizza", "Ich möchte eine Pizza bestellen", "我想订一个披萨",
             "The train to Munich is delayed"]
    out = client(tiny_server).embeddings.create(model="device:e5-small", input=texts)
    vectors = [d.embedding for d in out.data]
    assert len(vectors) == 4 and len(vectors[0]) == 384

    def cos(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cos(vectors[0], vectors[1]) > cos(vectors[0], vectors[3])
    assert cos(vectors[0], vectors[2]) > cos(vectors[0], vectors[3])


def test_embeddings_bad_input(tiny_server: LiveServer) -> None:
    r = httpx.post(tiny_server.url + "/v1/embeddings", json={"model": "device:e5-small", "input": [""]})
    assert r.status_code == 400 and "empty" in r.json()["error"]["message"]
    r = httpx.post(tiny_server.url + "/v1/embeddings", json={"model": "nope", "input": "x"})
    assert r.status_code == 404


def test_api_key_when_configured(tiny_settings: object) -> None:
    from dataclasses import replace

    from tandem.api.app import create_app
    from tandem.models.registry import ModelRegistry

    registry = ModelRegistry(replace(tiny_settings, api_key="s3cret"))  # type: ignore[type-var]
    with LiveServer(create_app(registry)) as server:
        with pytest.raises(openai.AuthenticationError):
            client(server).models.list()
        keyed = openai.OpenAI(base_url=server.url + "/v1", api_key="s3cret", max_retries=0)
        assert TINY in [m.id for m in keyed.models.list()]
        assert httpx.get(server.url + "/healthz").status_code == 200


def test_a_negative_ledger_limit_is_refused(tiny_server: LiveServer) -> None:
    """GET /v1/privacy/ledger?limit=-1 listed every record (SQLite's LIMIT -1), as `tandem privacy ledger --limit -5`
    did before walk3's W3-3; now a 400 naming the parameter (walk4 W4-14)."""
    refused = httpx.get(tiny_server.url + "/v1/privacy/ledger", params={"limit": -1}, headers=tiny_server.local,
                        timeout=60)
    assert refused.status_code == 400 and refused.json()["error"]["type"] == "invalid_request_error", refused.text
    assert "limit" in refused.text
    assert httpx.get(tiny_server.url + "/v1/privacy/ledger", params={"limit": 0}, headers=tiny_server.local,
                     timeout=60).json()["object"] == "list"
