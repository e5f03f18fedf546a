"""A request naming a cloud model needs no turn of the device (tandem.api.clouds): it does not wait in the device's
line but in one of its own, as bounded. The cloud is a real second server (tandem.testing.RecordingCloud) behind the
egress guard; the device model is held on an event, so what is under test is who is let in, not how fast."""

from __future__ import annotations

import gc
import json
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai
import pytest

import tandem.api.app as app_module
from tandem.api.app import create_app
from tandem.api.clouds import cloud_reader, device_free
from tandem.config import load_settings
from tandem.models.endpoints import CloudEndpoint
from tandem.models.fallback import FallbackModel
from tandem.models.openai_compat import OpenAICompatModel
from tandem.models.registry import ModelRegistry
from tandem.privacy.detect import CompositeDetector, Remembered
from tandem.privacy.ledger import Ledger
from tandem.privacy.ner import LlmDetector
from tandem.privacy.patterns import PatternDetector
from tandem.router.guard import CloudSite, PrivateCloud
from tandem.testing import LiveServer, RecordingCloud
from tests.api.held import ASK, HELD, Held, until

CLOUD = "cloud:test"


class _Gated:
    """ASGI: the cloud's app, each request held until ``release`` is set (``entered`` counts those begun)."""

    def __init__(self, app: Any) -> None:
        self.app, self.release, self.entered = app, threading.Event(), threading.Semaphore(0)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.entered.release()
            await anyio.to_thread.run_sync(self.release.wait, 30)
        await self.app(scope, receive, send)


@dataclass
class Tandem:
    url: str
    device: Held
    cloud: _Gated
    gates: dict[str, Any]


def _guard(url: str, home: Path, *, llm_ner: bool = False) -> PrivateCloud:
    endpoint = CloudEndpoint(name="test", url=url + "/v1", model="qwen-test", region="DE",
                             api_key_env="TANDEM_TEST_CLOUD_KEY", timeout=30, context_length=32768)
    detector: Any = PatternDetector()
    if llm_ner:  # as register_routing builds it with llm_ner on: the on-device model reads the request too
        detector = Remembered(CompositeDetector([detector, LlmDetector(lambda prompt, schema: '{"entities": []}')]))
    return PrivateCloud(OpenAICompatModel(endpoint), CloudSite(url + "/v1", "DE", "qwen-test"), detector,
                        Ledger.at_home(home), user_region="DE")


@contextmanager
def _tandem(home: Path, *, llm_ner: bool = False, **settings: Any) -> Iterator[Tandem]:
    cloud = _Gated(RecordingCloud().app())
    device = Held()
    with LiveServer(cloud) as cloud_server:
        registry = ModelRegistry(load_settings(home=home, **{"max_running": 1, "max_waiting": 1, **settings}))
        registry.register(device)
        registry.register(_guard(cloud_server.url, home, llm_ner=llm_ner))
        app = create_app(registry)
        try:
            with LiveServer(app) as server:
                yield Tandem(server.url, device, cloud, app.state.gates)
        finally:
            device.release.set()
            cloud.release.set()


def _said(answer: httpx.Response) -> str:
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        events = [json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {")]
        return "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"])
    return str(answer.json()["choices"][0]["message"]["content"])


def _holds(gate: Any, count: int) -> Callable[[], bool]:
    return lambda: bool(gate.admitted == count)


def _post(url: str, body: dict[str, Any], answers: list[httpx.Response]) -> threading.Thread:
    thread = threading.Thread(target=lambda: answers.append(httpx.post(url, json=body, timeout=60)))
    thread.start()
    return thread


# what the messages say and the body's "user": more than 10,000 values or 1 MiB is read without parsing it
_LARGE = {"small": ("hi", None), "many values": ("hi, " * 10_001, None), "long": ("hi", "u" * (1 << 20)),
          "JSON text": (json.dumps(["a"] * 10_001), None)}  # 20,002 escaped quotes, as in tool outputs


def _utf16(asked: dict[str, Any]) -> bytes:
    """``asked`` for the device model in UTF-16 (json.loads reads it), its text of characters whose bytes spell
    ``"model": "<the cloud>"`` as UTF-8 would read them (reread27 M1)."""
    spelled = b'"]} , "model" : "' + CLOUD.encode() + b'" , "x" : ["'
    text = (spelled + b" " * (len(spelled) % 2)).decode("utf-16-le") + "y" * 600_000
    return json.dumps({**asked, "model": HELD, "messages": [{"role": "user", "content": text}]},
                      ensure_ascii=False).encode("utf-16-le")


@pytest.mark.parametrize(("stream", "said"), [(False, "small"), (True, "small"), (False, "many values"),
                                              (True, "long"), (False, "JSON text")])
def test_a_request_naming_a_cloud_model_does_not_wait_in_the_device_line(tmp_path: Path, stream: bool,
                                                                          said: str) -> None:
    """The device's only turn is taken and its line is full: a request for the device gets 429, one naming the cloud
    model is answered by the cloud (before, it waited in the same line, here a full one: 429), small or large (a body
    of more than 10,000 values or 1 MiB waited in the device's line until session 27)."""
    with _tandem(tmp_path) as tandem:
        tandem.cloud.release.set()
        url, held = tandem.url + "/v1/chat/completions", []
        threads = [_post(url, ASK, held)]
        assert tandem.device.entered.acquire(timeout=10)
        threads.append(_post(url, ASK, held))
        until(lambda: tandem.gates["model"].admitted == 2)
        assert httpx.post(url, json=ASK, timeout=30).status_code == 429  # the device's line is full
        text, user = _LARGE[said]
        asked = {"model": CLOUD, "stream": stream, "messages": [{"role": "user", "content": text}], "user": user}
        clouded = httpx.post(url, json=asked, timeout=30)
        assert clouded.status_code == 200, clouded.text
        assert _said(clouded) == "You said: " + text
        pictured = {**asked, "messages": [{"role": "user", "content": [
            {"type": "text", "text": text}, {"type": "image_url", "image_url": {"url": "data:,"}}]}]}
        assert httpx.post(url, json=pictured, timeout=30).status_code == 429  # OCR first: the device's full line
        decoy = json.dumps(asked)[:-1] + ', "model"' + " " * 300 + f': "{HELD}"}}'  # review27 R27-1: the last one
        assert json.loads(decoy)["model"] == HELD
        assert httpx.post(url, content=decoy, headers={"content-type": "application/json"},
                          timeout=30).status_code == 429  # the device model's: its full line
        assert httpx.post(url, content=_utf16(asked), headers={"content-type": "application/json"},
                          timeout=30).status_code == 429  # reread27 M1: UTF-16 names the device model too
        assert not held and tandem.gates["model"].admitted == 2  # the device's requests are still where they were
        tandem.device.release.set()
        for thread in threads:
            thread.join(30)
        assert [a.status_code for a in held] == [200, 200]
        until(lambda: tandem.gates["cloud"].admitted == 0 and tandem.gates["model"].admitted == 0)


def test_cloud_requests_have_a_bounded_line_of_their_own(tmp_path: Path) -> None:
    """A page cannot start cloud calls without bound: one runs and one waits (the settings' bounds), the next gets the
    same 429 as a full device line; the device's line is not theirs, so a device request is served meanwhile."""
    with _tandem(tmp_path) as tandem:
        tandem.device.release.set()
        url, answers = tandem.url + "/v1/chat/completions", []
        cloud_ask = {**ASK, "model": CLOUD}
        threads = [_post(url, cloud_ask, answers)]
        assert tandem.cloud.entered.acquire(timeout=10)  # at the cloud, held there
        threads.append(_post(url, cloud_ask, answers))
        until(lambda: tandem.gates["cloud"].admitted == 2)
        refused = httpx.post(url, json=cloud_ask, timeout=30)
        assert refused.status_code == 429, refused.text
        error = refused.json()["error"]
        assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
        assert "cloud requests are running" in error["message"] and int(refused.headers["retry-after"]) >= 1
        mine = httpx.post(url, json=ASK, timeout=30)
        assert mine.status_code == 200 and _said(mine) == "done"
        assert not answers  # the cloud's answers are still coming: their turns are held for the whole answer
        tandem.cloud.release.set()
        for thread in threads:
            thread.join(30)
        assert [(a.status_code, _said(a)) for a in answers] == [(200, "You said: hi")] * 2
        until(lambda: tandem.gates["cloud"].admitted == 0)
        assert tandem.gates["cloud"].active == 0


def test_each_line_says_when_it_has_room_and_the_openai_client_waits_for_its_own(tmp_path: Path) -> None:
    """With both lines full, a request naming the cloud is told the cloud line's wait, not the device's (it was the
    device's 429 before); the openai client waits that long, sends it again and is answered by the cloud."""
    with _tandem(tmp_path, max_waiting=0) as tandem:
        url, answers = tandem.url + "/v1/chat/completions", []
        cloud_ask = {**ASK, "model": CLOUD}
        threads = [_post(url, ASK, answers), _post(url, cloud_ask, answers)]
        assert tandem.device.entered.acquire(timeout=10) and tandem.cloud.entered.acquire(timeout=10)
        tandem.gates["model"].held, tandem.gates["cloud"].held = 59.0, 1.0  # turns of each line, on average
        device, cloud = (httpx.post(url, json=asked, timeout=30) for asked in (ASK, cloud_ask))
        assert (device.status_code, device.headers["retry-after"], device.headers["retry-after-ms"]) == \
               (429, "59", "59000"), device.text
        assert (cloud.status_code, cloud.headers["retry-after"], cloud.headers["retry-after-ms"]) == \
               (429, "1", "1000"), cloud.text
        assert "cloud requests are running" in cloud.json()["error"]["message"]

        def release_once_refused() -> None:
            until(lambda: 'reason="busy"} 3.0' in httpx.get(tandem.url + "/metrics", timeout=10).text)
            tandem.cloud.release.set()

        releaser = threading.Thread(target=release_once_refused)
        releaser.start()
        client = openai.OpenAI(base_url=tandem.url + "/v1", api_key="unused", max_retries=2)
        answer = client.chat.completions.create(model=CLOUD, messages=[{"role": "user", "content": "hi"}])
        assert answer.choices[0].message.content == "You said: hi"
        releaser.join(30)
        tandem.device.release.set()
        for thread in threads:
            thread.join(30)
        assert sorted(_said(a) for a in answers) == ["You said: hi", "done"]


def test_a_cloud_model_whose_egress_check_asks_the_device_waits_in_the_device_line(tmp_path: Path) -> None:
    """With the on-device NER model in the egress guard (llm_ner), a cloud request needs the device: it waits in the
    device's line behind the device's answer, and is answered once that one is done."""
    with _tandem(tmp_path, llm_ner=True) as tandem:
        tandem.cloud.release.set()
        url, answers = tandem.url + "/v1/chat/completions", []
        threads = [_post(url, ASK, answers)]
        assert tandem.device.entered.acquire(timeout=10)
        threads.append(_post(url, {**ASK, "model": CLOUD}, answers))
        until(lambda: tandem.gates["model"].admitted == 2)
        assert tandem.gates["cloud"].admitted == 0 and not answers
        tandem.device.release.set()
        for thread in threads:
            thread.join(30)
        assert sorted(_said(a) for a in answers) == ["You said: hi", "done"]


def test_what_is_read_before_admission(tmp_path: Path) -> None:
    """Only a body naming a device-free cloud model, with no image, is sent to the cloud's line; a small body parsed
    for it is handed on (not parsed twice), a large one is read without parsing it (tandem.api.named)."""
    registry = ModelRegistry(load_settings(home=tmp_path))
    guard, device = _guard("http://127.0.0.1:9", tmp_path), Held()
    for model in (guard, device):
        registry.register(model)
    read = cloud_reader(registry)
    ask = {"model": CLOUD, "messages": [{"role": "user", "content": "hi"}]}
    assert read("/v1/chat/completions", json.dumps(ask).encode()) == (True, ask)
    assert read("/v1/responses", json.dumps({"model": CLOUD, "input": "hi"}).encode())[0]
    image = {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}]}
    assert not read("/v1/chat/completions", json.dumps({**ask, "messages": [image]}).encode())[0]  # OCR first
    assert not read("/v1/chat/completions", json.dumps({**ask, "model": device.info.id}).encode())[0]
    named_inside = {**ask, "model": device.info.id, "user": CLOUD}  # the name elsewhere in the body is not the model
    assert read("/v1/chat/completions", json.dumps(named_inside).encode()) == (False, named_inside)
    for named in ([CLOUD], {"id": CLOUD}):  # review26 R26-1: a 500 (unhashable) before
        odd = {**ask, "model": named}
        assert read("/v1/chat/completions", json.dumps(odd).encode()) == (False, odd)
    assert read("/v1/embeddings", json.dumps({"model": CLOUD, "input": "hi"}).encode()) == (False, None)
    assert read("/v1/chat/completions", b'{"model": "cloud:test", ') == (False, None)  # the route answers 400
    many, long = {**ask, "user": [0] * 10_001}, {**ask, "user": "x" * (1 << 20)}  # read, not parsed, on the loop
    assert read("/v1/chat/completions", json.dumps(many).encode()) == (True, None)
    assert read("/v1/chat/completions", json.dumps(long).encode()) == (True, None)
    strings = {**ask, "user": [""] * 10_001}  # more quotes than are read before admission: the device's line
    assert read("/v1/chat/completions", json.dumps(strings).encode()) == (False, None)
    for large in ({}, long):  # every route's image parts, small bodies and large ones
        assert not read("/v1/chat/completions", json.dumps({**ask, **large, "messages": [image]}).encode())[0]
        for given in ([{"type": "input_image", "image_url": "data:image/png;base64,AA"}],
                      [{"role": "user", "content": [{"type": "input_image", "image_url": "data:,"}]}]):
            pictured = {"model": CLOUD, "input": given, **large}
            assert not read("/v1/responses", json.dumps(pictured).encode())[0]
    assert device_free(FallbackModel([guard, guard])) and not device_free(FallbackModel([guard, device]))
    assert not device_free(_guard("http://127.0.0.1:9", tmp_path, llm_ner=True))


def test_a_lower_line_budget_refuses_sooner_with_the_same_429(tmp_path: Path) -> None:
    """The ``line_bytes`` setting: with the default a second ~2 kB body waits in line beside the first; with 3000
    bytes it gets the 429 a full line gets (same status, type, code and headers), while a small body still fits."""
    large = {**ASK, "user": "x" * 2000}
    refusals: list[httpx.Response] = []
    for budget, settings in (("default", {}), ("low", {"line_bytes": 3000})):
        with _tandem(tmp_path / budget, max_waiting=3, **settings) as tandem:
            url, answers, gate = tandem.url + "/v1/chat/completions", [], tandem.gates["model"]
            threads = [_post(url, ASK, answers)]
            assert tandem.device.entered.acquire(timeout=10)
            threads.append(_post(url, large, answers))
            until(_holds(gate, 2))
            if budget == "default":
                threads.append(_post(url, large, answers))
                until(_holds(gate, 3))  # 4.2 kB of 32 MiB: it waits
                threads.append(_post(url, ASK, answers))
                until(_holds(gate, 4))
                refusals.append(httpx.post(url, json=ASK, timeout=30))  # every place taken
            else:
                refusals.append(httpx.post(url, json=large, timeout=30))  # places free, bytes not
                assert "of request bodies" in refusals[-1].json()["error"]["message"]
                threads.append(_post(url, ASK, answers))
                until(_holds(gate, 3))
            tandem.device.release.set()
            for thread in threads:
                thread.join(30)
            assert [a.status_code for a in answers] == [200] * len(threads)
    full, low = refusals
    assert full.status_code == low.status_code == 429
    assert {k: v for k, v in full.json()["error"].items() if k != "message"} == \
           {k: v for k, v in low.json()["error"].items() if k != "message"}
    assert {"retry-after", "retry-after-ms"} <= set(full.headers) & set(low.headers)


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/completions", "/v1/responses"])
def test_a_model_that_is_no_name_is_the_route_s_400(tmp_path: Path, path: str) -> None:
    """review26 R26-1: the cloud's name in a list or object as "model" was a 500 from admission."""
    with _tandem(tmp_path) as tandem:
        tandem.cloud.release.set()
        for named in ([CLOUD], {"id": CLOUD}):
            answer = httpx.post(tandem.url + path, json={**ASK, "prompt": "hi", "input": "hi", "model": named},
                                timeout=30)
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["type"] == "invalid_request_error"


class _Body(dict[str, Any]):
    """A parsed body that can be watched (a weak reference)."""


def test_a_request_waiting_in_line_keeps_no_parsed_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """reread26 M3: the body parsed before admission stayed alive while its request waited (~30x its bytes, outside
    line_bytes). The one that runs at once is handed on; the one that waits keeps its raw bytes only."""
    parsed: list[weakref.ref[_Body]] = []

    def watched(registry: ModelRegistry) -> Callable[[str, bytes], tuple[bool, Any]]:
        read = cloud_reader(registry)

        def reading(path: str, body: bytes) -> tuple[bool, Any]:
            clouded, data = read(path, body)
            data = _Body(data)
            parsed.append(weakref.ref(data))
            return clouded, data
        return reading

    monkeypatch.setattr(app_module, "cloud_reader", watched)
    with _tandem(tmp_path) as tandem:
        url, answers = tandem.url + "/v1/chat/completions", []
        threads = [_post(url, {**ASK, "model": CLOUD}, answers)]
        assert tandem.cloud.entered.acquire(timeout=10)
        threads.append(_post(url, {**ASK, "model": CLOUD, "user": "second"}, answers))
        until(lambda: tandem.gates["cloud"].admitted == 2)
        gc.collect()
        assert parsed[0]() is not None and parsed[1]() is None  # the running one's, handed on; none in line
        tandem.cloud.release.set()
        for thread in threads:
            thread.join(30)
        assert [a.status_code for a in answers] == [200, 200]
