"""Routes whose form FastAPI parses from their parameters (transcriptions, translations, the assistant's voice turn):
a form holds at most the files and fields the route reads (and a few more fields a client may add), so a form of
many parts is a 400 at the first part beyond, not parsed to starlette's own bound of 1,000 each on the event loop;
an upload may be ``max_upload_bytes`` on every route that takes a file, and arrives whole though it is handed on in
pieces. Over a real server and a real HTTP client (httpx, and openai's own client)."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tandem.speech.base import Segment, Transcript
from tests.conftest import LiveServer
from tests.test_api_shapes import Embedder, Scripted

FORMS = ("/v1/audio/transcriptions", "/v1/audio/translations", "/v1/assistant/voice")
BOUNDARY = "b0undary"


class _Heard:
    """Whisper's place: says how many seconds of audio it was given."""

    def transcribe(self, audio: Any, **_: Any) -> Iterator[Segment | Transcript]:
        seconds = audio.seconds
        yield Transcript(f"{seconds:.1f} seconds", "en", seconds, ())


class _Speech:
    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def transcriber(self, model_id: str) -> _Heard:
        return _Heard()


def _wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(bytes(int(32000 * seconds)))
    return out.getvalue()


def _form(fields: int, files: int, data: bytes = b"RIFF") -> bytes:
    parts = [b'Content-Disposition: form-data; name="model"\r\n\r\nwhisper-1'] * fields
    parts += [b'Content-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n' + data] * files
    return b"".join(b"--%s\r\n%s\r\n" % (BOUNDARY.encode(), part) for part in parts) + b"--%s--\r\n" % BOUNDARY.encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    registry = ModelRegistry(load_settings(home=tmp_path_factory.mktemp("home")))
    registry.register(Scripted())
    registry.embedder(Embedder)  # type: ignore[arg-type]
    app = create_app(registry)
    app.state.speech = _Speech(registry.settings)
    with LiveServer(app) as live:
        yield live


def _post(server: LiveServer, path: str, body: bytes) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", content=body, timeout=60,
                      headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})


@pytest.mark.parametrize("path", FORMS)
def test_a_form_of_more_parts_than_the_route_reads_is_a_400(server: LiveServer, path: str) -> None:
    wav = _wav(0.5)
    for (fields, files), said in {(999, 1): "Too many fields", (0, 999): "Too many files",
                                  (1, 2): "Too many files"}.items():
        answer = _post(server, path, _form(fields, files, wav))
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error["type"] == "invalid_request_error" and error["message"].startswith(said), error


@pytest.mark.parametrize("path", FORMS)
def test_a_url_encoded_form_is_refused_before_it_is_parsed(server: LiveServer, path: str) -> None:
    """A file comes only in a multipart form; starlette before 1.3.1 read a URL-encoded one with no bound at all
    (4 MB of 'a=1&' held the event loop 14-18 s), so it is refused unread."""
    answer = httpx.post(f"{server.url}{path}", content=b"a=1&" * (1 << 20), timeout=60,
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and "multipart/form-data" in error["message"], error


def test_what_openais_client_sends_is_within_the_bound(server: LiveServer) -> None:
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="local", max_retries=0)
    heard = client.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", _wav(0.5)), language="en", prompt="tickets", temperature=0,
        response_format="verbose_json", timestamp_granularities=["word", "segment"], include=["logprobs"],
        chunking_strategy="auto", extra_body={"known_speaker_names": ["a", "b", "c", "d"],
                                              "known_speaker_references": ["data:audio/wav;base64,"] * 4})
    assert heard.text == "0.5 seconds"


@pytest.mark.parametrize("path", FORMS)
def test_an_upload_larger_than_a_json_body_may_be_is_read_whole(server: LiveServer, path: str) -> None:
    """Past ``max_body_bytes`` (4 MiB) on every route whose form takes a file (the OpenAPI document's multipart
    bodies): 150 s of audio, 4.8 MB, handed on in pieces of 1 MiB, is heard to its end."""
    schema = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    forms = {p for p, ops in schema.items() for op in ops.values() if "multipart/form-data" in
             op.get("requestBody", {}).get("content", {})}
    assert forms == set(FORMS)
    if path == "/v1/assistant/voice":  # its turn needs the whole voice stack: the size alone is checked here
        answer = _post(server, path, _form(0, 1, bytes(5 << 20)))
        assert answer.status_code != 413, answer.text
        return
    answer = httpx.post(f"{server.url}{path}", files={"file": ("a.wav", _wav(150))}, timeout=60,
                        data={"model": "whisper-1", "response_format": "text"})
    assert (answer.status_code, answer.text) == (200, "150.0 seconds\n")


def test_an_upload_past_max_upload_bytes_is_a_413(tmp_path: Path) -> None:
    registry = ModelRegistry(load_settings(home=tmp_path, max_upload_bytes=1 << 20))
    with LiveServer(create_app(registry)) as live:
        for path in FORMS:
            answer = _post(live, path, _form(1, 1, bytes(1 << 20)))
            assert answer.status_code == 413 and answer.json()["error"]["code"] == "request_too_large", answer.text
