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


STOPWORDS = {
    "en": {"the", "a", "is", "and", "of", "to", "in", "you", "it", "for", "with"},
    "de": {"der", "die", "das", "und", "ist", "ein", "eine", "zu", "mit", "sie", "den", "im", "für"},
}


def language_of(text: str) -> str:
    """A crude but honest check: CJK share for Chinese, stopword counts for English vs German."""
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    if cjk > 0.3 * len(text.replace(" ", "")):
        return "zh"
    words = [w.strip(".,!?;:").lower() for w in text.split()]
    return max(("en", "de"), key=lambda lang: sum(w in STOPWORDS[lang] for w in words))


@pytest.mark.parametrize(("question", "lang"), [
    ("Describe a cinema in two sentences.", "en"),
    ("Beschreibe ein Kino in zwei Sätzen auf Deutsch.", "de"),
    ("请用两句话描述一家电影院。", "zh"),
])
def test_streamed_answer_in_three_languages(small_server: LiveServer, question: str, lang: str) -> None:
    stream = client(small_server).chat.completions.create(
        model=SMALL, messages=[{"role": "user", "content": question}], max_tokens=60, temperature=0.2,
        seed=1, stream=True)
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    text = "".join(pieces)
    assert sum(1 for p in pieces if p) > 5, "the answer was not streamed"
    assert language_of(text) == lang, text


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
