"""``POST /v1/images/analyze`` and image parts in chat, on a real server."""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterator

import httpx
import openai
import pytest

from tandem.api.app import create_app
from tandem.models.base import ModelInfo
from tandem.models.registry import ModelRegistry
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage
from tandem.vision.registry import VisionRegistry
from tests.conftest import TINY, LiveServer


class EchoModel:
    """Answers with the prompt it was given: here the model's words are not under test, its input is."""

    info = ModelInfo(id="test:echo", location="device", capabilities=Capabilities(context_length=8192))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        prompt = "\n---\n".join(m.content or "" for m in request.messages)
        yield ChatChunk(text=prompt, finish_reason="stop", usage=Usage(len(prompt.split()), 1))


@pytest.fixture
def server(tiny_registry: ModelRegistry, vision: VisionRegistry) -> Iterator[LiveServer]:
    tiny_registry.register(EchoModel())
    app = create_app(tiny_registry)
    app.state.vision = vision  # the session's warm OCR
    with LiveServer(app) as live:
        yield live


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_analyze_multipart_upload(server: LiveServer, poster_png: bytes) -> None:
    resp = httpx.post(f"{server.url}/v1/images/analyze", files={"file": ("poster.png", poster_png)}, timeout=60)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["object"] == "image.analysis" and (body["width"], body["height"]) == (800, 700)
    assert body["text"].splitlines() == [line["text"] for line in body["lines"]]
    assert "DUNE: PART TWO" in body["text"] and "Kino International, Berlin" in body["text"]
    assert len(body["lines"][0]["box"]) == 4 and body["labels"][0]["name"] == "text"


def test_analyze_json_data_url(server: LiveServer, poster_png: bytes) -> None:
    for image_url in (data_url(poster_png), {"url": data_url(poster_png)}):
        resp = httpx.post(f"{server.url}/v1/images/analyze", json={"image_url": image_url}, timeout=60)
        assert resp.status_code == 200 and "14 March 2026" in resp.json()["text"]


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({"files": {"file": ("e.png", b"")}}, "empty"),
    ({"files": {"file": ("x.png", os.urandom(3000))}}, "not an image we can read"),
    ({"files": {"other": ("x.png", b"abc")}}, "no file field"),
    ({"json": {"image_url": "https://example.com/x.png"}}, "remote image URLs are not fetched"),
    ({"json": {"picture": "x"}}, "image_url is required"),
    ({"content": b"\x00\x01", "headers": {"content-type": "application/octet-stream"}}, "multipart/form-data"),
])
def test_analyze_bad_input(server: LiveServer, kwargs: dict[str, object], needle: str) -> None:
    resp = httpx.post(f"{server.url}/v1/images/analyze", timeout=60, **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 400 and needle in resp.json()["error"]["message"], resp.text
    assert httpx.get(f"{server.url}/healthz").status_code == 200


def test_chat_image_parts_reach_the_model_as_ocr_text(server: LiveServer, poster_png: bytes) -> None:
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    reply = client.chat.completions.create(model="test:echo", messages=[{"role": "user", "content": [
        {"type": "text", "text": "Book two tickets for this."},
        {"type": "image_url", "image_url": {"url": data_url(poster_png)}},
    ]}])
    prompt = reply.choices[0].message.content or ""
    assert prompt.startswith("Book two tickets for this.\n[image 1: 800x700 pixels; labels: text")
    assert "> DUNE: PART TWO\n> Saturday 14 March 2026, 20:00\n> Kino International, Berlin\n[end of image 1]" in prompt


def test_chat_with_an_image_on_the_real_loader(server: LiveServer, poster_png: bytes) -> None:
    resp = httpx.post(f"{server.url}/v1/chat/completions", timeout=120, json={
        "model": TINY, "max_tokens": 3, "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": data_url(poster_png)}}]}]})
    assert resp.status_code == 200, resp.text
    assert resp.json()["usage"]["prompt_tokens"] > 30, "the OCR text was in the prompt"


@pytest.mark.parametrize(("part", "needle"), [
    ({"type": "image_url", "image_url": {"url": "https://example.com/p.png"}}, "remote image URLs"),
    ({"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}, "not an image we can read"),
    ({"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}, "'input_audio' is not supported"),
])
def test_chat_bad_image_parts(server: LiveServer, part: dict[str, object], needle: str) -> None:
    resp = httpx.post(f"{server.url}/v1/chat/completions", timeout=60, json={
        "model": "test:echo", "messages": [{"role": "user", "content": [part]}]})
    assert resp.status_code == 400 and needle in resp.json()["error"]["message"], resp.text
    assert resp.json()["error"]["param"].startswith("messages[0].content")
