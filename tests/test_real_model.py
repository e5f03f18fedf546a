"""The real Qwen2.5-Coder-0.5B through the API and the official client: languages, tools, JSON schemas.

These check the bars of the core issue on the small model (the default 1.5B is better still)."""

from __future__ import annotations

import json

import jsonschema
import openai
import pytest

from tests.conftest import LiveServer

pytestmark = pytest.mark.model
SMALL = "device:qwen2.5-0.5b"

BOOK = {"type": "function", "function": {
    "name": "book_tickets", "description": "Book cinema tickets for a film",
    "parameters": {"type": "object",
                   "properties": {"title": {"type": "string", "description": "film title"},
                                  "count": {"type": "integer", "minimum": 1, "description": "number of tickets"},
                                  "date": {"type": "string", "description": "date, e.g. 2026-11-29"}},
                   "required": ["title", "count", "date"], "additionalProperties": False}}}


def client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=120)


@pytest.mark.parametrize(("question", "answers"), [
    ("What is the capital of France? Answer in one short sentence.", ["Paris"]),
    ("Was ist die Hauptstadt von Frankreich? Antworte in einem kurzen Satz auf Deutsch.", ["Paris"]),
    ("法国的首都是哪里？请用一句中文回答。", ["巴黎"]),
])
def test_streamed_answer_in_three_languages(small_server: LiveServer, question: str, answers: list[str]) -> None:
    stream = client(small_server).chat.completions.create(
        model=SMALL, messages=[{"role": "user", "content": question}], max_tokens=40, temperature=0.2,
        seed=1, stream=True)
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    text = "".join(pieces)
    assert sum(1 for p in pieces if p) > 2, "the answer was not streamed"
    assert any(a in text for a in answers), text


def test_german_answer_is_german(small_server: LiveServer) -> None:
    out = client(small_server).chat.completions.create(
        model=SMALL, max_tokens=60, temperature=0.2, seed=3,
        messages=[{"role": "user", "content": "Erkläre in zwei Sätzen auf Deutsch, was ein Kino ist."}])
    text = (out.choices[0].message.content or "").lower()
    assert sum(w in text.split() for w in ("ein", "eine", "der", "die", "das", "und", "ist", "wo")) >= 2, text


def test_tool_call_is_schema_valid_over_20_seeds(small_server: LiveServer) -> None:
    schema = BOOK["function"]["parameters"]  # type: ignore[index]
    for seed in range(20):
        out = client(small_server).chat.completions.create(
            model=SMALL, seed=seed, temperature=0.7, max_tokens=120, tools=[BOOK],
            messages=[{"role": "user", "content": "book two tickets for Dune tonight"}])
        calls = out.choices[0].message.tool_calls
        assert calls, f"seed {seed}: no tool call: {out.choices[0].message.content!r}"
        assert calls[0].function.name == "book_tickets"
        args = json.loads(calls[0].function.arguments)
        jsonschema.validate(args, schema)
        assert args["count"] == 2, f"seed {seed}: {args}"


def test_no_tool_call_for_small_talk(small_server: LiveServer) -> None:
    out = client(small_server).chat.completions.create(
        model=SMALL, seed=0, max_tokens=30, tools=[BOOK],
        messages=[{"role": "user", "content": "Hi! How are you today?"}])
    assert out.choices[0].message.tool_calls is None
    assert out.choices[0].message.content


def test_json_schema_output_always_validates(small_server: LiveServer) -> None:
    schema = {"type": "object", "additionalProperties": False, "required": ["city", "country", "population"],
              "properties": {"city": {"type": "string"}, "country": {"type": "string"},
                             "population": {"type": "integer", "minimum": 0},
                             "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3}}}
    for seed in range(5):
        out = client(small_server).chat.completions.create(
            model=SMALL, seed=seed, max_tokens=150,
            messages=[{"role": "user", "content": "Describe Munich as JSON."}],
            response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": schema}})
        jsonschema.validate(json.loads(out.choices[0].message.content or ""), schema)
