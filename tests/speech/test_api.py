"""The audio API on a real server, driven by the official ``openai`` client where it has a method for it."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace

import httpx
import openai
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.speech.audio import decode_audio
from tandem.speech.registry import SpeechRegistry
from tests.conftest import LiveServer
from tests.speech.conftest import DUNE, wer


@pytest.fixture
def server(tiny_registry: ModelRegistry, speech: SpeechRegistry) -> Iterator[LiveServer]:
    app = create_app(tiny_registry)
    app.state.speech = speech  # the session's warm models
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


def test_openai_client_transcribes_an_upload(client: openai.OpenAI, dune_mp3: bytes) -> None:
    result = client.audio.transcriptions.create(model="whisper-1", file=("dune.mp3", dune_mp3))
    assert wer(DUNE, result.text) <= 0.10, result.text
    english = client.audio.transcriptions.create(model="whisper-1", file=("dune.mp3", dune_mp3), language="en",
                                                 response_format="text")
    assert wer(DUNE, str(english)) <= 0.10, english


def test_verbose_json_has_segments_and_words(client: openai.OpenAI, dune_mp3: bytes) -> None:
    result = client.audio.transcriptions.create(
        model="device:whisper-tiny.en", file=("dune.mp3", dune_mp3), response_format="verbose_json",
        timestamp_granularities=["word", "segment"])
    assert result.language == "english" and 1.0 < result.duration < 4.0
    assert result.segments and result.segments[0].start >= 0 and result.segments[-1].end > 1.0
    assert [w.word.lower().strip(".") for w in result.words or []][:3] == ["book", "two", "tickets"]


@pytest.mark.parametrize(("fmt", "head"), [("srt", r"1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\n"),
                                           ("vtt", r"WEBVTT\n\n00:00:00\.\d{3} --> 00:00:0\d\.\d{3}\n")])
def test_subtitles(server: LiveServer, dune_mp3: bytes, fmt: str, head: str) -> None:
    resp = httpx.post(f"{server.url}/v1/audio/transcriptions", files={"file": ("d.mp3", dune_mp3)},
                      data={"model": "device:whisper-tiny.en", "response_format": fmt}, timeout=60)
    assert resp.status_code == 200 and re.match(head, resp.text) and "tickets" in resp.text.lower(), resp.text


def test_streamed_transcription_sends_deltas_then_done(server: LiveServer, client: openai.OpenAI,
                                                       dune_mp3: bytes) -> None:
    with httpx.stream("POST", f"{server.url}/v1/audio/transcriptions", files={"file": ("d.mp3", dune_mp3)},
                      data={"model": "device:whisper-tiny.en", "stream": "true"}, timeout=60) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(line[6:]) for line in resp.iter_lines() if line.startswith("data: ")]
    assert [e["type"] for e in events][-1] == "transcript.text.done"
    assert events[0]["type"] == "transcript.text.delta"
    assert "".join(e["delta"] for e in events[:-1]).strip() == events[-1]["text"]
    # the official client parses the same stream into its event types
    parsed = list(client.audio.transcriptions.create(model="device:whisper-tiny.en", file=("d.mp3", dune_mp3),
                                                     stream=True))
    assert [e.type for e in parsed] == [e["type"] for e in events] and parsed[-1].text == events[-1]["text"]


@pytest.mark.parametrize(("fmt", "media"), [("mp3", "audio/mpeg"), ("wav", "audio/wav"), ("opus", "audio/ogg"),
                                            ("flac", "audio/flac")])
def test_openai_client_speaks(client: openai.OpenAI, fmt: str, media: str) -> None:
    resp = client.audio.speech.create(model="tts-1", voice="alloy", input=DUNE, response_format=fmt)  # type: ignore[arg-type]
    assert resp.response.headers["content-type"] == media
    assert 1.0 < decode_audio(resp.content).seconds < 4.0


def test_speech_round_trip_through_the_api(client: openai.OpenAI) -> None:
    spoken = client.audio.speech.create(model="tts-1", voice={"id": "joe"}, input=DUNE, response_format="wav",
                                        speed=1.1)
    heard = client.audio.transcriptions.create(model="whisper-1", language="en", file=("s.wav", spoken.content))
    assert wer(DUNE, heard.text) <= 0.10, heard.text


def test_voices_are_listed(server: LiveServer) -> None:
    ids = {v["id"] for v in httpx.get(f"{server.url}/v1/audio/voices").json()["data"]}
    assert {"joe", "baker", "alloy", "espeak-de", "espeak-cmn"} <= ids


def _error(resp: httpx.Response) -> dict[str, object]:
    body = resp.json()
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return dict(body["error"])


@pytest.mark.parametrize(("files", "data", "status", "needle"), [
    ({"file": ("e.mp3", b"")}, {"model": "whisper-1"}, 400, "empty"),
    ({"file": ("x.mp3", os.urandom(3000))}, {"model": "whisper-1"}, 400, "corrupt or an unsupported format"),
    ({"file": ("x.txt", b"hello " * 100)}, {"model": "whisper-1"}, 400, "corrupt or an unsupported format"),
    (None, {"model": "whisper-1"}, 400, "file"),
    ("dune", {"model": "whisper-9"}, 404, "unknown transcription model"),
    ("dune", {"model": "whisper-1", "response_format": "midi"}, 400, "response_format"),
    ("dune", {"model": "device:whisper-tiny.en", "language": "de"}, 400, "only understands English"),
])
def test_bad_transcription_requests(server: LiveServer, dune_mp3: bytes, files: object, data: dict[str, str],
                                    status: int, needle: str) -> None:
    upload = {"file": ("d.mp3", dune_mp3)} if files == "dune" else files
    resp = httpx.post(f"{server.url}/v1/audio/transcriptions", files=upload, data=data, timeout=60)  # type: ignore[arg-type]
    assert resp.status_code == status and needle in str(_error(resp)["message"])
    assert httpx.get(f"{server.url}/healthz").status_code == 200, "the server stays up"


@pytest.mark.parametrize(("body", "status", "needle"), [
    ({"model": "tts-1", "voice": "darth-vader", "input": "hi"}, 400, "unknown voice"),
    ({"model": "tts-9", "voice": "alloy", "input": "hi"}, 404, "unknown speech model"),
    ({"model": "tts-1", "voice": "alloy", "input": ""}, 400, "input"),
    ({"model": "tts-1", "voice": "alloy", "input": "   "}, 400, "nothing to speak"),
    ({"model": "tts-1", "voice": "alloy", "input": "x" * 5000}, 400, "longer than 4096"),
    ({"model": "tts-1", "voice": "alloy", "input": "hi", "response_format": "midi"}, 400, "response_format"),
    ({"model": "tts-1", "voice": "alloy", "input": "hi", "speed": 9}, 400, "speed"),
    ({"model": "tts-1", "voice": {"id": "voice_1234"}, "input": "hi"}, 400, "unknown voice 'voice_1234'"),
    ({"model": "tts-1", "voice": "alloy", "input": "hi", "stream_format": "sse"}, 400, "stream_format"),
])
def test_bad_speech_requests(server: LiveServer, body: dict[str, object], status: int, needle: str) -> None:
    resp = httpx.post(f"{server.url}/v1/audio/speech", json=body, timeout=60)
    assert resp.status_code == status and needle in str(_error(resp)["message"])


def test_too_long_audio_is_refused_before_any_model_loads(tiny_registry: ModelRegistry, speech: SpeechRegistry,
                                                          dune_mp3: bytes) -> None:
    app = create_app(tiny_registry)
    app.state.speech = SpeechRegistry(replace(speech.settings, max_audio_seconds=1))
    with LiveServer(app) as live:
        client = openai.OpenAI(base_url=f"{live.url}/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.BadRequestError, match="longer than the limit of 1 seconds"):
            client.audio.transcriptions.create(model="whisper-1", file=("d.mp3", io.BytesIO(dune_mp3)))
        assert app.state.speech.loaded() == []
