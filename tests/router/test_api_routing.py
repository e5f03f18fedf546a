"""The API with routing wired in: ``tandem:auto`` over HTTP, the X-Tandem-Route header, cloud:* models that
are private, and the ledger endpoints. Two real servers on loopback: Tandem, and the recording cloud."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.router.wiring import register_routing
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud

PII = "Write to Daniel Okafor at daniel.okafor@example.org and call (503) 555-0147."


@pytest.fixture
def tandem(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
           monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv("TANDEM_CLOUD_URL", cloud[1].url + "/v1")
    monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
    register_routing(tiny_registry, TINY)
    with LiveServer(create_app(tiny_registry)) as server:
        yield server


def _client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_models_list_routing_ids(tandem: LiveServer) -> None:
    ids = {m.id for m in _client(tandem).models.list()}
    assert {"tandem:auto", "tandem:device-only", "tandem:cloud-allowed", "cloud:default", TINY} <= ids


def test_route_header_on_whole_and_streamed_answers(tandem: LiveServer,
                                                    cloud: tuple[RecordingCloud, LiveServer]) -> None:
    body = {"model": "tandem:auto", "messages": [{"role": "user", "content": "What's the weather tomorrow?"}],
            "max_tokens": 4}
    whole = httpx.post(tandem.url + "/v1/chat/completions", json=body, timeout=60)
    assert whole.status_code == 200 and whole.headers["x-tandem-route"].startswith("device; difficulty=")
    with httpx.stream("POST", tandem.url + "/v1/chat/completions", json={**body, "stream": True},
                      timeout=60) as streamed:
        assert streamed.headers["x-tandem-route"].startswith("device; difficulty=")
        assert "data: [DONE]" in streamed.read().decode()
    plain = httpx.post(tandem.url + "/v1/chat/completions", json={**body, "model": TINY}, timeout=60)
    assert "x-tandem-route" not in plain.headers
    assert cloud[0].received == []


def test_cloud_allowed_streams_restored_text_and_fills_the_ledger(tandem: LiveServer,
                                                                  cloud: tuple[RecordingCloud, LiveServer]) -> None:
    stream = _client(tandem).chat.completions.create(
        model="tandem:cloud-allowed", messages=[{"role": "user", "content": PII}], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == f"You said: {PII}"
    sent = cloud[0].received[0].body.decode()
    assert "Okafor" not in sent and "555-0147" not in sent and "example.org" not in sent
    ledger = httpx.get(tandem.url + "/v1/privacy/ledger", timeout=10, headers=tandem.local).json()["data"]
    assert len(ledger) == 1 and ledger[0]["status"] == "ok"
    assert ledger[0]["categories"] == ["EMAIL", "PERSON", "PHONE"]
    export = httpx.get(tandem.url + "/v1/privacy/export", timeout=10, headers=tandem.local).json()
    assert export["format"] == "tandem-egress-ledger/1" and len(export["entries"]) == 1
    erased = httpx.delete(tandem.url + "/v1/privacy/data", timeout=10, headers=tandem.local).json()
    assert erased["ledger_rows"] == 1
    assert httpx.get(tandem.url + "/v1/privacy/ledger", timeout=10, headers=tandem.local).json()["data"] == []


def test_direct_cloud_model_is_private_too(tandem: LiveServer, cloud: tuple[RecordingCloud, LiveServer]) -> None:
    out = _client(tandem).chat.completions.create(model="cloud:default", messages=[{"role": "user", "content": PII}])
    assert out.choices[0].message.content == f"You said: {PII}"
    assert "Okafor" not in cloud[0].received[0].body.decode()


def test_refused_request_is_a_403(tandem: LiveServer) -> None:
    long_text = "Summarise: " + "The quarterly numbers look fine. " * 80
    response = httpx.post(tandem.url + "/v1/chat/completions", timeout=60, json={
        "model": "tandem:device-only", "messages": [{"role": "user", "content": long_text}]})
    assert response.status_code == 403 and response.json()["error"]["code"] == "policy_denied"
