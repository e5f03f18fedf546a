"""Schema checks at the API's edge (review R46, R49 of the walkthrough's 657d5bf): a schema only llama.cpp's grammar
cannot take is refused only where a device model runs it, never for a cloud model that enforces it itself; and a
boolean schema as a function's parameters is a 400, not a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.router.wiring import register_routing
from tandem.testing import LiveServer, RecordingCloud
from tests.conftest import TINY

LOOKAHEAD = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=a).*$"}}, "required": ["a"]}


@pytest.fixture
def tandem(tiny_registry: ModelRegistry,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LiveServer, RecordingCloud]]:
    cloud = RecordingCloud()
    with LiveServer(cloud.app()) as cloud_server:
        monkeypatch.setenv("TANDEM_CLOUD_URL", cloud_server.url + "/v1")
        monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
        register_routing(tiny_registry, TINY)
        with LiveServer(create_app(tiny_registry)) as server:
            yield server, cloud


def test_a_cloud_model_gets_a_schema_the_device_grammar_cannot_take(tandem: tuple[LiveServer, RecordingCloud]) -> None:
    server, cloud = tandem
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": LOOKAHEAD}}
    ask = {"messages": [{"role": "user", "content": "hello"}], "max_tokens": 20, "response_format": fmt}
    sent = httpx.post(server.url + "/v1/chat/completions", json={**ask, "model": "cloud:default"}, timeout=60)
    assert sent.status_code == 200, sent.text
    assert len(cloud.received) == 1 and b"(?=a)" in cloud.received[0].body
    device = httpx.post(server.url + "/v1/chat/completions", json={**ask, "model": TINY}, timeout=60)
    assert device.status_code == 400 and device.json()["error"]["param"] == "response_format.json_schema.schema"


@pytest.mark.parametrize("parameters", [True, False, "object"])
def test_a_function_whose_parameters_are_no_object_schema_is_400(tandem: tuple[LiveServer, RecordingCloud],
                                                                   parameters: object) -> None:
    server, _ = tandem
    r = httpx.post(server.url + "/v1/responses", timeout=60, json={
        "model": TINY, "input": "x", "max_output_tokens": 5,
        "tools": [{"type": "function", "name": "f", "parameters": parameters}]})
    assert r.status_code == 400 and r.json()["error"]["param"] == "tools[0].parameters", r.text


def test_a_length_bound_no_device_answer_holds_is_400_before_any_grammar_is_built(
        tandem: tuple[LiveServer, RecordingCloud]) -> None:
    """Review R50: the grammar builder writes a rule per unit of a bound (minLength 2e7: 9.8 s and 0.8 GB; 1e9 would
    take the server down); the answer names the field and carries no foreign exception text."""
    server, _ = tandem
    huge = {"type": "object", "properties": {"a": {"type": "string", "minLength": 10**9}}, "required": ["a"]}
    ask = {"model": TINY, "messages": [{"role": "user", "content": "x"}], "max_tokens": 5}
    fmt = httpx.post(server.url + "/v1/chat/completions", timeout=60, json={
        **ask, "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": huge}}})
    tool = httpx.post(server.url + "/v1/chat/completions", timeout=60, json={
        **ask, "tools": [{"type": "function", "function": {"name": "f", "parameters": huge}}]})
    for r in (fmt, tool):
        assert r.status_code == 400 and "minLength 1000000000" in r.json()["error"]["message"], r.text
    odd = httpx.post(server.url + "/v1/chat/completions", timeout=60, json={
        **ask, "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": LOOKAHEAD}}})
    assert odd.status_code == 400 and "Unsupported pattern syntax" not in odd.text, odd.text


def test_bounds_that_add_up_past_what_a_device_answer_holds_are_400(tandem: tuple[LiveServer, RecordingCloud]) -> None:
    """Review R50's rest: each bound under the cap, 100 of them together (1.6 M units) are still refused at once."""
    server, _ = tandem
    many = {"type": "object", "properties": {f"p{n}": {"type": "string", "minLength": 16_384} for n in range(100)}}
    r = httpx.post(server.url + "/v1/chat/completions", timeout=60, json={
        "model": TINY, "messages": [{"role": "user", "content": "x"}], "max_tokens": 5,
        "tools": [{"type": "function", "function": {"name": "f", "parameters": many}}]})
    assert r.status_code == 400 and "add up" in r.json()["error"]["message"], r.text
