"""Bounded admission of heavy requests (tandem.api.admission) on a real server: while a model answer holds the only
turn and another waits in line, one more gets OpenAI's 429 with a Retry-After and light routes answer; the openai
client waits that long and is served; a request cut off at its deadline keeps its turn until its work ends.

The model is held on an event, so what is under test is who is let in, not how fast anything runs."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai
import pytest

from tandem.api.admission import Gate, busy, kind_of
from tandem.api.app import create_app
from tandem.api.streaming import CloudGivesBack
from tandem.config import load_settings
from tandem.errors import ModelError
from tandem.models.base import ModelInfo
from tandem.models.fallback import FallbackModel
from tandem.models.registry import ModelRegistry
from tandem.privacy.detect import CompositeDetector, Remembered
from tandem.privacy.ledger import Ledger
from tandem.privacy.ner import LlmDetector
from tandem.privacy.patterns import PatternDetector
from tandem.router.decide import Mode
from tandem.router.guard import CloudSite, PrivateCloud
from tandem.router.hybrid import HybridModel
from tandem.types import Capabilities, ChatChunk, ChatRequest, Message, Usage
from tests.api.held import ASK, HELD, Held, until
from tests.conftest import LiveServer


@dataclass
class Served:
    server: LiveServer
    model: Held
    gate: Gate  # the chat completions' kind


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with _serve(tmp_path, max_running=1, max_waiting=1) as served:
        yield served


@contextmanager
def _serve(home: Path, **settings: Any) -> Iterator[Served]:
    registry = ModelRegistry(load_settings(home=home, **settings))
    model = Held()
    registry.register(model)
    app = create_app(registry)
    try:
        with LiveServer(app) as server:
            yield Served(server, model, app.state.gates["model"])
    finally:
        model.release.set()  # a failed test leaves no server thread held


def _in_background(url: str, answers: list[httpx.Response]) -> threading.Thread:
    thread = threading.Thread(target=lambda: answers.append(httpx.post(url, json=ASK, timeout=60)))
    thread.start()
    return thread


def test_a_heavy_request_beyond_the_line_gets_429_while_light_routes_answer(served: Served) -> None:
    url, answers = served.server.url + "/v1/chat/completions", []
    first = _in_background(url, answers)
    assert served.model.entered.acquire(timeout=10)  # the turn is taken
    second = _in_background(url, answers)
    until(lambda: served.gate.admitted == 2)  # the line is full
    refused = httpx.post(url, json=ASK, timeout=10)
    assert refused.status_code == 429, refused.text
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
    wait = int(refused.headers["retry-after-ms"])
    assert 100 <= wait <= 60_000 and int(refused.headers["retry-after"]) == -(-wait // 1000)  # the same, rounded up
    for light in ("/healthz", "/v1/models", "/metrics"):
        assert httpx.get(served.server.url + light, timeout=10).status_code == 200, light
    now = httpx.get(served.server.url + "/metrics", timeout=10).text
    for state in ("running", "waiting"):
        assert f'tandem_admitted{{kind="model",state="{state}"}} 1.0' in now, now
    served.model.release.set()
    first.join(30)
    second.join(30)
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["choices"][0]["message"]["content"] for a in answers] == ["done", "done"]
    until(lambda: served.gate.admitted == 0)
    metrics = httpx.get(served.server.url + "/metrics", timeout=10).text
    assert re.search(r'tandem_http_refused_total\{reason="busy"\} 1\.0', metrics), metrics


def test_the_openai_client_waits_as_told_and_is_served(tmp_path: Path) -> None:
    """The openai package retries a 429 after its Retry-After (max_retries, 2 by default): a client that came when
    every turn was taken gets its answer, not an error."""
    with _serve(tmp_path, max_running=1, max_waiting=0) as served:
        url, answers = served.server.url + "/v1/chat/completions", []
        first = _in_background(url, answers)
        assert served.model.entered.acquire(timeout=10)

        def release_once_refused() -> None:
            until(lambda: 'reason="busy"' in httpx.get(served.server.url + "/metrics", timeout=10).text)
            served.model.release.set()

        releaser = threading.Thread(target=release_once_refused)
        releaser.start()
        client = openai.OpenAI(base_url=served.server.url + "/v1", api_key="unused", max_retries=2)
        answer = client.chat.completions.create(model=HELD, messages=[{"role": "user", "content": "hi"}])
        assert answer.choices[0].message.content == "done"
        releaser.join(30)
        first.join(30)
        assert [a.status_code for a in answers] == [200]


def test_a_request_whose_deadline_passes_in_line_is_told_the_server_was_busy(tmp_path: Path) -> None:
    with _serve(tmp_path, max_running=1, max_waiting=1, request_timeout_s=1.0) as served:
        url, answers = served.server.url + "/v1/chat/completions", []
        first = _in_background(url, answers)
        assert served.model.entered.acquire(timeout=10)
        waited = httpx.post(url, json=ASK, timeout=30)
        assert waited.status_code == 504
        assert "busy with other model requests" in waited.json()["error"]["message"]
        until(lambda: served.gate.admitted == 1)  # it left the line
        served.model.release.set()
        first.join(30)
        assert "busy" not in answers[0].json()["error"]["message"]  # cut off at work, not in line


def test_the_line_keeps_a_bounded_weight_of_bodies(tmp_path: Path) -> None:
    """review N24-3: a request waits with its whole body read, so a line of 32 places could keep ~1 GiB over the kinds.
    Past the line's byte budget one more gets the 429 of a full line, though places are free; a small body still
    gets in, and a large body finding the line empty always does."""
    with _serve(tmp_path, max_running=1, max_waiting=8) as served:
        served.gate.line_bytes = 3000
        url, answers = served.server.url + "/v1/chat/completions", []
        large = {**ASK, "user": "x" * 2000}  # ~2.1 kB
        first = _in_background(url, answers)
        assert served.model.entered.acquire(timeout=10)  # the turn is taken
        waiting = [threading.Thread(target=lambda: answers.append(httpx.post(url, json=large, timeout=60)))]
        waiting[0].start()  # a large body finds the line empty: in
        until(lambda: served.gate.admitted == 2)
        assert served.gate.kept > 2000
        refused = httpx.post(url, json=large, timeout=10)
        assert refused.status_code == 429, refused.text
        error = refused.json()["error"]
        assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
        assert "of request bodies" in error["message"] and int(refused.headers["retry-after"]) >= 1
        waiting.append(_in_background(url, answers))  # a small one fits beside it
        until(lambda: served.gate.admitted == 3)
        served.model.release.set()
        for thread in [first, *waiting]:
            thread.join(30)
        assert [a.status_code for a in answers] == [200, 200, 200]
        until(lambda: served.gate.admitted == 0)
        assert served.gate.kept == 0


class Begun(Held):
    """Its first chunk at once, the rest once ``release`` is set."""

    info = ModelInfo(id="test:begun", location="device", capabilities=Capabilities(context_length=8192))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        self.entered.release()
        yield ChatChunk(text="from the cloud ")
        self.release.wait(30)
        yield ChatChunk(text="done")
        yield ChatChunk(finish_reason="stop", usage=Usage(1, 1))


class Cloud(Begun):
    info = ModelInfo(id="test:cloud", location="cloud", capabilities=Capabilities(context_length=8192))


def _said(answer: httpx.Response, streamed: bool) -> str:
    if not streamed:
        return str(answer.json()["choices"][0]["message"]["content"])
    events = [json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {")]
    return "".join(event["choices"][0]["delta"].get("content") or "" for event in events if event["choices"])


def _routed(cloud: Cloud, device: Held | Begun, home: Path, mode: Mode) -> HybridModel:
    """``tandem:auto`` over ``device`` and ``cloud`` (behind the egress guard), as ``test:<mode>``."""
    guard = PrivateCloud(cloud, CloudSite("http://127.0.0.1:9/v1", "DE", "test"), PatternDetector(),
                         Ledger.at_home(home), user_region="DE")
    return HybridModel(device, guard, PatternDetector(), estimator=None, mode=mode, model_id=f"test:{mode}",
                       user_region="DE")


def _asking(cloud: Cloud, home: Path) -> PrivateCloud:
    """``cloud`` behind an egress guard that also asks the device's model (``llm_ner``), so a request naming it waits in
    the device's line (tandem.api.clouds), as ``test:cloud``; English text is not sent to the on-device NER."""
    ner = LlmDetector(lambda prompt, schema: '{"entities": []}')
    detector = Remembered(CompositeDetector([PatternDetector(), ner]))
    return PrivateCloud(cloud, CloudSite("http://127.0.0.1:9/v1", "DE", "test"), detector, Ledger.at_home(home),
                        user_region="DE")


@pytest.mark.parametrize(("model", "stream"), [("test:cloud", False), ("test:cloud", True), ("test:cloud", None),
                                               ("test:cloud-allowed", False), ("test:cloud-allowed", None)])
def test_a_request_answered_by_the_cloud_gives_its_turn_to_the_device(tmp_path: Path, model: str,
                                                                       stream: bool | None) -> None:
    """The only model turn is taken by a request a cloud model answers (named, its egress check asking the device, or
    chosen by the router): once the cloud's first chunk has come, the device's model is not needed, and a device
    request waiting in line is served while the cloud still answers. (A named cloud model whose check needs no device
    waits in a line of its own: tests/test_api_clouds.py; reread26 M1: these cases must run in the device's line.)"""
    registry = ModelRegistry(load_settings(home=tmp_path, max_running=1, max_waiting=1))
    cloud, device = Cloud(), Held()
    for each in (_asking(cloud, tmp_path), device, _routed(cloud, device, tmp_path, "cloud-allowed")):
        registry.register(each)
    device.release.set()
    app = create_app(registry)
    gate, answers = app.state.gates["model"], []
    try:
        with LiveServer(app) as server:
            url = server.url + "/v1/chat/completions"
            asked: dict[str, Any] = {**ASK, "model": model, "stream": stream}
            if stream is None:  # the Responses API
                asked, url = {"model": model, "input": "hi"}, server.url + "/v1/responses"
            clouded = threading.Thread(target=lambda: answers.append(httpx.post(url, json=asked, timeout=60)))
            clouded.start()
            assert cloud.entered.acquire(timeout=10)
            # it took the device's turn (held, or given back at the first chunk: then counted as streaming)
            assert app.state.gates["cloud"].admitted == 0 and gate.admitted + gate.streaming == 1
            mine = httpx.post(server.url + "/v1/chat/completions", json=ASK, timeout=30)  # in line until given back
            assert mine.status_code == 200 and mine.json()["choices"][0]["message"]["content"] == "done"
            assert clouded.is_alive() and not answers  # the cloud's answer is still coming
            cloud.release.set()
            clouded.join(30)
            said = (answers[0].json()["output"][0]["content"][0]["text"] if stream is None
                    else _said(answers[0], stream))
            assert answers[0].status_code == 200 and said == "from the cloud done"
            until(lambda: gate.admitted == 0)
            assert gate.active == 0  # the turn given back early is not freed twice
    finally:
        cloud.release.set()


class Down(Cloud):
    info = ModelInfo(id="test:down", location="cloud", capabilities=Capabilities(context_length=8192))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        raise ModelError("the cloud is down")


@pytest.mark.parametrize(("chain", "given"), [((Down, Begun), False), ((Cloud,), True), ((Down, Cloud), True)])
def test_a_fallback_chain_gives_its_turn_back_only_when_no_part_is_on_the_device(chain: tuple[type[Held], ...],
                                                                                  given: bool) -> None:
    """review R25-2: the image route's FallbackModel(cloud, device) is "cloud" by its first model; when the cloud fails
    before its first chunk the device answers, and that answer must keep its turn."""
    models = [kind() for kind in chain]
    for model in models:
        model.release.set()
    handed: list[bool] = []
    state = type("State", (), {"give_back": staticmethod(lambda: handed.append(True))})
    model = CloudGivesBack(FallbackModel(models), state)
    said = "".join(chunk.text for chunk in model.stream(ChatRequest(messages=(Message("user", "hi"),))))
    assert said == "from the cloud done" and bool(handed) == given


def test_a_request_the_router_keeps_on_the_device_keeps_its_turn(tmp_path: Path) -> None:
    """A request kept on the device holds its turn after its first chunk (here: streamed to the client): the next
    one waits in line."""
    registry = ModelRegistry(load_settings(home=tmp_path, max_running=1, max_waiting=1))
    cloud, device = Cloud(), Begun()
    registry.register(_routed(cloud, device, tmp_path, "device-only"))
    registry.register(cloud)
    app = create_app(registry)
    gate, answers, begun = app.state.gates["model"], [], threading.Event()
    try:
        with LiveServer(app) as server:
            url = server.url + "/v1/chat/completions"

            def streamed() -> None:
                with httpx.stream("POST", url, json={**ASK, "model": "test:device-only", "stream": True},
                                  timeout=60) as answer:
                    for line in answer.iter_lines():
                        if "from the cloud" in line:  # Begun's first words, said on the device
                            begun.set()
                    answers.append(answer)

            first = threading.Thread(target=streamed)
            first.start()
            assert begun.wait(10)
            second = threading.Thread(target=lambda: answers.append(
                httpx.post(url, json={**ASK, "model": "test:device-only"}, timeout=60)))  # a named cloud has its own
            second.start()
            until(lambda: gate.kept > 0)  # it waits in line (its body kept there)
            device.release.set()
            cloud.release.set()
            for thread in (first, second):
                thread.join(30)
            assert sorted(a.status_code for a in answers) == [200, 200]
    finally:
        device.release.set()
        cloud.release.set()


def test_a_body_still_coming_holds_no_turn(tmp_path: Path) -> None:
    """A request takes its place once its body has come: a client sending its body slowly (or never) keeps no one
    else from the model."""
    with _serve(tmp_path, max_running=1, max_waiting=0) as served:
        served.model.release.set()
        with socket.create_connection(("127.0.0.1", served.server.port)) as slow:
            slow.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\": ")
            # answered after the slow request's headers were read: its task has run up to waiting for the body
            assert httpx.get(served.server.url + "/healthz", timeout=10).status_code == 200
            assert served.gate.admitted == 0
            answer = httpx.post(served.server.url + "/v1/chat/completions", json=ASK, timeout=30)
            assert answer.status_code == 200, answer.text


def test_a_client_that_leaves_the_line_frees_its_place_and_costs_no_answer(tmp_path: Path) -> None:
    """review R24-3: a client that timed out in line kept its place (the next one got 429) and its answer was made
    for no one once a turn came. Now it leaves the line when it goes away."""
    with _serve(tmp_path, max_running=1, max_waiting=1) as served:
        url, answers = served.server.url + "/v1/chat/completions", []
        first = _in_background(url, answers)
        assert served.model.entered.acquire(timeout=10)  # the turn is taken
        with pytest.raises(httpx.TimeoutException):
            httpx.post(url, json=ASK, timeout=1.0)  # waits in line, then goes away
        until(lambda: served.gate.admitted == 1)  # its place is free again
        third = _in_background(url, answers)
        until(lambda: served.gate.admitted == 2)
        served.model.release.set()
        first.join(30)
        third.join(30)
        assert [a.status_code for a in answers] == [200, 200]
        assert served.model.entered.acquire(timeout=10)  # the third's answer
        assert not served.model.entered.acquire(timeout=1)  # and none for the client that left


def test_a_request_past_its_deadline_keeps_its_turn_until_its_work_ends(tmp_path: Path) -> None:
    """The 504 is sent at the deadline, but the model's thread cannot be stopped: the turn stays taken until it is
    free, so requests cut off at their deadline cannot pile up work beyond the bound."""
    with _serve(tmp_path, request_timeout_s=1.0) as served:
        answer = httpx.post(served.server.url + "/v1/chat/completions", json=ASK, timeout=30)
        assert answer.status_code == 504, answer.text
        assert served.gate.active == 1  # still at work
        served.model.release.set()
        until(lambda: served.gate.admitted == 0)


def test_a_client_gone_as_its_turn_comes_is_not_served() -> None:
    """The client goes and the turn frees in one step of the loop (reread24 L1): the turn passes on, no work is done
    for the one that left, and the gate is empty after."""
    async def main() -> None:
        gate, served = Gate("model", running=1, waiting=5), []
        release, gone = anyio.Event(), anyio.Event()

        async def first() -> None:
            async with gate.turn():
                await release.wait()

        async def second() -> None:
            async with gate.turn(gone.wait) as taken:
                served.append(taken)

        async with anyio.create_task_group() as group:
            group.start_soon(first)
            await anyio.wait_all_tasks_blocked()
            group.start_soon(second)
            await anyio.wait_all_tasks_blocked()
            gone.set()
            release.set()
        assert served == [False] and (gate.active, gate.admitted) == (0, 0)

    anyio.run(main)


def test_a_request_that_leaves_the_line_frees_its_place() -> None:
    async def main() -> None:
        gate = Gate("model", running=1, waiting=1)
        async with gate.turn():
            assert not gate.full()
            with anyio.move_on_after(0.05):  # its deadline, while in line
                async with gate.turn():
                    raise AssertionError("a second turn while the only one is held")
            assert (gate.admitted, gate.full()) == (1, False)
        assert (gate.active, gate.admitted) == (0, 0)
        async with gate.turn():
            assert gate.active == 1

    anyio.run(main)


def test_a_turn_given_back_frees_its_place_too() -> None:
    """reread25 M2: requests that gave their turns back (cloud answers still streaming) counted as waiting, so with
    running + waiting of them an idle device answered 429. Given back, a request is neither running nor waiting."""
    async def main() -> None:
        gate, states, release = Gate("model", running=1, waiting=1), [{}, {}], anyio.Event()

        async def streaming(state: dict[str, Any]) -> None:
            async with gate.turn(state=state):
                state["give_back"]()
                await release.wait()

        async with anyio.create_task_group() as group:
            for state in states:
                assert not gate.full()
                group.start_soon(streaming, state)
                await anyio.wait_all_tasks_blocked()
                await anyio.sleep(0)  # give_back is called soon on the loop (it may come from a model's thread)
            # neither running nor waiting, but bounded (reread25 M4): running + waiting of them make the gate full
            assert (gate.active, gate.admitted, gate.streaming, gate.full()) == (0, 0, 2, True)
            release.set()
        assert (gate.active, gate.admitted, gate.streaming, gate.full()) == (0, 0, 0, False)
        async with gate.turn():
            assert gate.active == 1

    anyio.run(main)


def test_a_429_says_what_holds_the_places() -> None:
    """Full of cloud answers still streaming, the 429 says so ("0 running and 0 waiting" told nothing: reread25)."""
    gate = Gate("model", running=1, waiting=1)
    assert busy(gate, 2) == "the server is busy: 0 model requests are running and 0 waiting; retry after 2 s"
    gate.streaming = 2
    assert busy(gate, 2) == ("the server is busy: 0 model requests are running and 0 waiting, and 2 cloud answers "
                             "still streaming; retry after 2 s")


@pytest.mark.parametrize(("method", "path", "kind"), [
    ("POST", "/v1/chat/completions", "model"), ("POST", "/v1/responses", "model"), ("POST", "/v1/embeddings", "model"),
    ("POST", "/v1/recommendations", "model"), ("POST", "/v1/recommendations/feedback", "model"),
    ("POST", "/v1/assistant/conversations/c1/messages", "assistant"), ("POST", "/api/ui/turn", "assistant"),
    ("POST", "/v1/audio/transcriptions", "media"), ("GET", "/v1/responses/resp_1", None),
    ("POST", "/v1/assistant/confirmations/c1/confirm", None), ("POST", "/v1/chat/completions/x", None)])
def test_only_heavy_work_waits_for_a_turn(method: str, path: str, kind: str | None) -> None:
    """Confirming a purchase, reading a stored response and light routes are never held or refused."""
    assert kind_of(method, path) == kind


def test_the_openapi_document_says_which_routes_may_be_busy(served: Served) -> None:
    paths = httpx.get(served.server.url + "/openapi.json", timeout=10).json()["paths"]
    assert "429" in paths["/v1/chat/completions"]["post"]["responses"]
    assert "429" in paths["/v1/assistant/conversations/{conversation_id}/messages"]["post"]["responses"]
    assert "429" not in paths["/v1/models"]["get"]["responses"]
    assert "429" not in paths["/v1/assistant/confirmations/{confirmation_id}/confirm"]["post"]["responses"]


def test_the_routes_that_may_be_busy_are_those_that_may_time_out(served: Served) -> None:
    """One list of heavy work (tandem.api.kinds): a route that may wait for a turn (429) is one whose deadline may
    pass and whose model may be missing (504, 503), and no other (review L6: recommendations and the web app's turns
    had 429 without 504)."""
    paths = httpx.get(served.server.url + "/openapi.json", timeout=10).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert ("429" in codes) == ("504" in codes) == ("503" in codes), (method, path, codes)
    for path in ("/v1/recommendations", "/api/ui/turn", "/api/ui/chat", "/v1/audio/speech"):
        assert {"429", "503", "504"} <= set(paths[path]["post"]["responses"]), path
