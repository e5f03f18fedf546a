"""Every answer of the OpenAI-compatible routes, whole and streamed, read by the openai package's own pydantic types:
required fields present, enum values valid, and no field those types do not know (an unknown field is where a
Tandem shape drifted from OpenAI's, or a Tandem extension, which must then be named in ``EXTENSIONS``).

The model is scripted (text in pieces with log probabilities, or two tool calls), so what is under test is the
wire format alone; each request is one a client library sends."""

from __future__ import annotations

import functools
import io
import json
import math
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openai.types as o
import pydantic
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openai.types import audio, chat, responses

from tandem.api.agent import assistant_response
from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.base import ModelInfo
from tandem.models.registry import ModelRegistry
from tandem.models.toolcalls import make_call
from tandem.speech.base import Segment, Transcript, Word
from tandem.types import Capabilities, ChatChunk, ChatRequest, TokenLogprob, Usage

SCRIPTED = "test:scripted"
PIECES = ("Hello", " wörld", " 你好")
TOOL = {"type": "function", "function": {"name": "book", "description": "Book seats", "parameters": {
    "type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]}}}
RESPONSES_TOOL = {"type": "function", **TOOL["function"]}  # type: ignore[dict-item]
# Fields the openai types lack though OpenAI sends them, as paths (after the event type for a streamed event); any
# other unknown field fails the test. A Response's ``store``; verbose_json's ``task`` (whisper-1 sends it); the
# ``name`` of a call's arguments.done event, which older openai types required (openai-agents' fake model sends it);
# Tandem's own: tandem:assistant's ``metadata`` (its conversation, in the body as OpenAI clients drop headers).
EXTENSIONS = {".store", ".task", ".metadata", "response.created.response.store", "response.in_progress.response.store",
              "response.completed.response.store", "response.function_call_arguments.done.name"}


def _scored(text: str, top: int) -> tuple[TokenLogprob, ...]:
    token = TokenLogprob(text, -0.25, tuple(text.encode()))
    return (TokenLogprob(text, -0.25, tuple(text.encode()), (token,) * top),)


class Scripted:
    """Calls ``book`` twice when it has tools and no tool result yet; otherwise answers in three pieces, cut short
    (finish "length") when ``max_tokens`` is below three, or breaks after the first when asked to "fail"."""

    info = ModelInfo(id=SCRIPTED, location="device", capabilities=Capabilities(context_length=8192))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        if request.tools and request.messages[-1].role != "tool" and request.tool_choice != "none":
            calls = (make_call("book", {"count": 2}), make_call("book", {"count": 1}))
            yield ChatChunk(tool_calls=calls[:1] if not request.parallel_tool_calls else calls,
                            finish_reason="tool_calls", usage=Usage(30, 12))
            return
        short = request.max_tokens is not None and request.max_tokens < len(PIECES)
        pieces = PIECES[:request.max_tokens] if short else PIECES
        for piece in pieces:
            logprobs = _scored(piece, request.logprobs) if request.logprobs is not None else ()
            yield ChatChunk(text=piece, logprobs=logprobs)
            if "fail" in str(request.messages[-1].content):  # a model that breaks mid-answer
                raise RuntimeError("the model broke")
        yield ChatChunk(finish_reason="length" if short else "stop", usage=Usage(20, len(pieces)))


class Embedder:
    id, dimensions = "device:e5-small", 384

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[1 / math.sqrt(384)] * 384 for _ in texts]


@contextmanager
def scripted_api(home: Path, **settings: Any) -> Iterator[TestClient]:
    """The app over the scripted model and a fake embedder, called from this device (loopback)."""
    registry = ModelRegistry(load_settings(home=home, **settings))
    registry.register(Scripted())
    registry.embedder(Embedder)  # type: ignore[arg-type]
    with TestClient(create_app(registry), base_url="http://127.0.0.1", client=("127.0.0.1", 50000),
                    raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with scripted_api(tmp_path_factory.mktemp("home")) as client:
        yield client


def unknown_fields(value: Any, where: str = "") -> list[str]:
    """The paths of fields the openai types kept as extras (their models allow any), anywhere in ``value``."""
    if isinstance(value, pydantic.BaseModel):
        found = [f"{where}.{k}" for k in value.model_extra or {}]
        for name in type(value).model_fields:
            found += unknown_fields(getattr(value, name), f"{where}.{name}")
        return found
    if isinstance(value, list | tuple):
        return [f for i, v in enumerate(value) for f in unknown_fields(v, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in unknown_fields(v, f"{where}.{k}")]
    return []


@functools.cache
def _adapter(kind: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(kind)


def strictly(kind: Any, data: Any) -> Any:
    """``data`` read as ``kind`` (a model or a union): fails on a missing field, a wrong value or an unknown field."""
    value = _adapter(kind).validate_python(data)
    kind_of = str(data.get("type", "")) if isinstance(data, dict) else ""
    unknown = [f for f in unknown_fields(value) if f not in EXTENSIONS and kind_of + f not in EXTENSIONS]
    assert not unknown, f"fields openai's {getattr(kind, '__name__', kind)} does not know: {unknown}\n{data}"
    return value


def events(response: Any) -> list[tuple[str | None, Any]]:
    """(event name, data) of a server-sent event stream, without the closing ``[DONE]``."""
    out, name = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: ") and line != "data: [DONE]":
            out.append((name, json.loads(line.removeprefix("data: "))))
            name = None
    return out


def user(text: str = "hi") -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


CHAT = [
    ("plain", {"messages": user()}),
    ("length", {"messages": user(), "max_tokens": 1}),
    ("logprobs", {"messages": user(), "logprobs": True, "top_logprobs": 2}),
    ("tools", {"messages": user("book"), "tools": [TOOL]}),
    ("one tool", {"messages": user("book"), "tools": [TOOL], "parallel_tool_calls": False}),
    ("legacy functions", {"messages": user("book"), "functions": [TOOL["function"]]}),
    ("tool result", {"messages": [*user("book"), {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "book", "arguments": "{\"count\": 2}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"}], "tools": [TOOL]}),
    ("json", {"messages": user(), "response_format": {"type": "json_object"}}),
]


@pytest.mark.parametrize(("name", "body"), CHAT, ids=[c[0] for c in CHAT])
def test_chat_completion(api: TestClient, name: str, body: dict[str, Any]) -> None:
    answer = api.post("/v1/chat/completions", json={"model": SCRIPTED, **body})
    assert answer.status_code == 200, answer.text
    strictly(chat.ChatCompletion, answer.json())


@pytest.mark.parametrize(("name", "body"), CHAT, ids=[c[0] for c in CHAT])
def test_chat_completion_stream(api: TestClient, name: str, body: dict[str, Any]) -> None:
    request = {"model": SCRIPTED, **body, "stream": True, "stream_options": {"include_usage": True}}
    with api.stream("POST", "/v1/chat/completions", json=request) as answer:
        assert answer.status_code == 200
        chunks = [strictly(chat.ChatCompletionChunk, data) for _, data in events(answer)]
    assert chunks[-1].usage is not None and not chunks[-1].choices
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] != []


COMPLETIONS = [
    ("plain", {"prompt": "Once"}),
    ("two prompts", {"prompt": ["Once", "Twice"]}),
    ("echo", {"prompt": "Once", "echo": True}),
    ("logprobs", {"prompt": "Once", "logprobs": 2}),
    ("length", {"prompt": "Once", "max_tokens": 1}),
]


@pytest.mark.parametrize(("name", "body"), COMPLETIONS, ids=[c[0] for c in COMPLETIONS])
def test_completion(api: TestClient, name: str, body: dict[str, Any]) -> None:
    answer = api.post("/v1/completions", json={"model": SCRIPTED, **body})
    assert answer.status_code == 200, answer.text
    strictly(o.Completion, answer.json())
    if len(body["prompt"]) == 2:
        return
    request = {"model": SCRIPTED, **body, "stream": True, "stream_options": {"include_usage": True}}
    with api.stream("POST", "/v1/completions", json=request) as streamed:
        chunks = [data for _, data in events(streamed)]
    assert chunks[-2]["choices"][0]["finish_reason"] in ("stop", "length")
    assert chunks[-1]["choices"] == [] and strictly(o.Completion, chunks[-1]).usage is not None  # as the chat stream's
    for data in chunks[:-1]:  # OpenAI's chunks before the last have finish_reason null, which its type does not allow
        choice = data["choices"][0]
        strictly(o.Completion, {**data, "choices": [{**choice, "finish_reason": choice["finish_reason"] or "stop"}]})


RESPONSES = [
    ("plain", {"input": "hi"}),
    ("instructions", {"input": user(), "instructions": "Be brief.", "max_output_tokens": 1}),
    ("logprobs", {"input": "hi", "include": ["message.output_text.logprobs"], "top_logprobs": 2}),
    ("tools", {"input": "book", "tools": [RESPONSES_TOOL]}),
    ("tool result", {"input": [*user("book"), {"type": "function_call", "call_id": "call_1", "name": "book",
                                                "arguments": "{\"count\": 2}"},
                               {"type": "function_call_output", "call_id": "call_1", "output": "ok"}],
                     "tools": [RESPONSES_TOOL]}),
    ("json schema", {"input": "hi", "store": False, "metadata": {"k": "v"}, "text": {"format": {
        "type": "json_schema", "name": "answer", "schema": {"type": "object", "properties": {}}}}}),
]


@pytest.mark.parametrize(("name", "body"), RESPONSES, ids=[c[0] for c in RESPONSES])
def test_response(api: TestClient, name: str, body: dict[str, Any]) -> None:
    answer = api.post("/v1/responses", json={"model": SCRIPTED, **body})
    assert answer.status_code == 200, answer.text
    document = strictly(responses.Response, answer.json())
    if document.store:
        strictly(responses.Response, api.get(f"/v1/responses/{document.id}").json())
        strictly(o.responses.ResponseDeleted if hasattr(o.responses, "ResponseDeleted") else dict,
                 api.delete(f"/v1/responses/{document.id}").json())
    with api.stream("POST", "/v1/responses", json={"model": SCRIPTED, **body, "stream": True}) as streamed:
        for name_, data in events(streamed):
            assert name_ == data["type"]
            strictly(responses.ResponseStreamEvent, data)


def test_embeddings(api: TestClient) -> None:
    for fmt in ("float", "base64"):
        answer = api.post("/v1/embeddings", json={"model": "text-embedding-3-small", "input": ["a", "b"],
                                                  "encoding_format": fmt})
        assert answer.status_code == 200, answer.text
        if fmt == "float":  # openai's type reads the float list; base64 it decodes itself
            strictly(o.CreateEmbeddingResponse, answer.json())


def test_models(api: TestClient) -> None:
    listed = api.get("/v1/models").json()
    assert listed["object"] == "list"
    for card in listed["data"]:
        strictly(o.Model, card)
    strictly(o.Model, api.get(f"/v1/models/{SCRIPTED}").json())


ERRORS = [
    ("POST", "/v1/chat/completions", {"model": SCRIPTED, "messages": []}),
    ("POST", "/v1/chat/completions", {"model": "device:nothing", "messages": user()}),
    ("POST", "/v1/chat/completions", {"model": SCRIPTED, "messages": user(), "n": 2}),
    ("POST", "/v1/completions", {"model": SCRIPTED, "prompt": [1, 2]}),
    ("POST", "/v1/responses", {"model": SCRIPTED, "input": "hi", "previous_response_id": "resp_nothing"}),
    ("POST", "/v1/embeddings", {"model": "nothing", "input": "a"}),
    ("GET", "/v1/models/nothing", None),
    ("POST", "/v1/assistants", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ERRORS, ids=[f"{m} {p}" for m, p, _ in ERRORS])
def test_error(api: TestClient, method: str, path: str, body: Any) -> None:
    answer = api.request(method, path, json=body)
    assert 400 <= answer.status_code < 500, answer.text
    assert set(answer.json()) == {"error"}, answer.text
    strictly(o.ErrorObject, answer.json()["error"])


BROKEN = [("/v1/chat/completions", {"messages": user("fail")}), ("/v1/completions", {"prompt": "fail"}),
          ("/v1/responses", {"input": "fail"})]


@pytest.mark.parametrize(("path", "body"), BROKEN, ids=[p for p, _ in BROKEN])
def test_error_in_a_stream(api: TestClient, path: str, body: dict[str, Any]) -> None:
    """A model that breaks after its first piece: the stream ends with an error event in the route's own shape."""
    with api.stream("POST", path, json={"model": SCRIPTED, **body, "stream": True}) as streamed:
        last = events(streamed)[-1][1]
    if path == "/v1/responses":
        strictly(responses.ResponseErrorEvent, last)
    else:
        assert set(last) == {"error"}, last
        strictly(o.ErrorObject, last["error"])


class Transcriber:
    def transcribe(self, audio: Any, **_: Any) -> Iterator[Segment | Transcript]:
        words = (Word(" Hello", 0.0, 0.4, 0.9), Word(" there", 0.4, 0.8, 0.9))
        segment = Segment(0, 0.0, 0.8, " Hello there", -0.2, 0.01, 1.1, 0.0, (1, 2), words)
        yield segment
        yield Transcript("Hello there", "en", 1.0, (segment,))


class Speech:
    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def transcriber(self, model_id: str) -> Transcriber:
        return Transcriber()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(int(8000 * math.sin(i / 8)).to_bytes(2, "little", signed=True) for i in range(16000)))
    return out.getvalue()


AUDIO = [("transcriptions", "json", audio.Transcription),
         ("transcriptions", "verbose_json", audio.TranscriptionVerbose),
         ("translations", "json", audio.Translation), ("translations", "verbose_json", audio.TranslationVerbose)]


@pytest.mark.parametrize(("route", "fmt", "kind"), AUDIO, ids=[f"{r} {f}" for r, f, _ in AUDIO])
def test_audio(api: TestClient, route: str, fmt: str, kind: Any) -> None:
    api.app.state.speech = Speech(api.app.state.registry.settings)  # type: ignore[attr-defined]
    form = {"model": "whisper-1", "response_format": fmt, "timestamp_granularities[]": ["word", "segment"]}
    answer = api.post(f"/v1/audio/{route}", data=form, files={"file": ("a.wav", _wav(), "audio/wav")})
    assert answer.status_code == 200, answer.text
    strictly(kind, answer.json())
    if route == "transcriptions" and fmt == "json":
        with api.stream("POST", f"/v1/audio/{route}", data={**form, "stream": "true"},
                        files={"file": ("a.wav", _wav(), "audio/wav")}) as streamed:
            for _, data in events(streamed):
                strictly(audio.TranscriptionStreamEvent, data)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_assistant_answer(stream: bool) -> None:
    """tandem:assistant's own answer about tasks (not the chat model's), whole and streamed."""
    app = FastAPI()
    reply = SimpleNamespace(conversation_id="c-1", text="Booked: [t-1] two tickets for Dune.")
    app.add_api_route("/", lambda: assistant_response(reply, stream), methods=["GET"])  # type: ignore[arg-type]
    answer = TestClient(app).get("/")
    if not stream:
        strictly(chat.ChatCompletion, answer.json())
        return
    chunks = [strictly(chat.ChatCompletionChunk, data) for _, data in events(answer)]
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == reply.text
