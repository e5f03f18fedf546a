"""The official ``openai`` Python client: the ordinary flows of each API it has."""

from __future__ import annotations

import json
import math
from typing import Any

import openai
import pytest
from pydantic import BaseModel

from tests.clients.conftest import BOOK_SCHEMA, REQUEST, SMALL, Bookings

BOOK = {"type": "function", "function": {"name": "book_tickets", "description": "Book cinema tickets for a film",
                                         "parameters": BOOK_SCHEMA}}


@pytest.fixture
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=600)


@pytest.mark.compat("openai", "chat")
def test_chat(client: openai.OpenAI) -> None:
    out = client.chat.completions.create(model=SMALL, messages=[{"role": "user", "content": "Say hello."}],
                                         max_tokens=20)
    assert out.choices[0].message.content


@pytest.mark.compat("openai", "stream")
def test_stream(client: openai.OpenAI) -> None:
    pieces = [c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model=SMALL, messages=[{"role": "user", "content": "Count to five."}], max_tokens=30, stream=True)
        if c.choices]
    assert len([p for p in pieces if p]) > 3


@pytest.mark.compat("openai", "tool loop")
def test_tool_loop_ends_after_one_booking(client: openai.OpenAI, bookings: Bookings) -> None:
    book = bookings.tool()
    messages: list[Any] = [{"role": "user", "content": REQUEST}]
    for _ in range(5):
        out = client.chat.completions.create(model=SMALL, messages=messages, tools=[BOOK], max_tokens=150)  # type: ignore[list-item]
        message = out.choices[0].message
        if not message.tool_calls:
            break
        messages.append(message.model_dump(exclude_none=True))
        for call in message.tool_calls:
            result = book(**json.loads(call.function.arguments))  # type: ignore[union-attr]
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    bookings.check_once(message.content)


class Film(BaseModel):
    title: str
    year: int


@pytest.mark.compat("openai", "parse")
def test_parse(client: openai.OpenAI) -> None:
    out = client.chat.completions.parse(model=SMALL, response_format=Film, max_tokens=60,
                                        messages=[{"role": "user", "content": "The film Dune (2021) as JSON."}])
    film = out.choices[0].message.parsed
    assert isinstance(film, Film) and film.title


@pytest.mark.compat("openai", "embeddings")
def test_embeddings(client: openai.OpenAI) -> None:
    out = client.embeddings.create(model="device:e5-small", input=["Kino", "cinema"])
    assert [len(d.embedding) for d in out.data] == [384, 384]


@pytest.mark.compat("openai", "responses")
def test_responses_tool_loop(client: openai.OpenAI, bookings: Bookings) -> None:
    book = bookings.tool()
    tool = {"type": "function", "name": "book_tickets", "description": "Book cinema tickets for a film",
            "parameters": BOOK_SCHEMA, "strict": True}
    items: list[Any] = [{"role": "user", "content": REQUEST}]
    for _ in range(5):
        out = client.responses.create(model=SMALL, input=items, tools=[tool], max_output_tokens=150)  # type: ignore[list-item]
        calls = [i for i in out.output if i.type == "function_call"]
        if not calls:
            break
        for call in calls:
            items.append(call.model_dump(exclude_none=True))
            items.append({"type": "function_call_output", "call_id": call.call_id,
                          "output": book(**json.loads(call.arguments))})
    bookings.check_once(out.output_text)


@pytest.mark.compat("openai", "responses stream")
def test_responses_stream(client: openai.OpenAI) -> None:
    with client.responses.stream(model=SMALL, input="Say hello.", max_output_tokens=20) as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert deltas and final.output_text == "".join(deltas)


@pytest.mark.compat("openai", "previous response")
def test_responses_previous_response_id(client: openai.OpenAI) -> None:
    first = client.responses.create(model=SMALL, input="My name is Ada. Reply with OK.", max_output_tokens=10,
                                    temperature=0)
    follow = client.responses.create(model=SMALL, input="What is my name? Answer with the name only.",
                                     previous_response_id=first.id, max_output_tokens=10, temperature=0)
    assert "ada" in follow.output_text.lower()


@pytest.mark.compat("openai", "logprobs")
def test_chat_logprobs(client: openai.OpenAI) -> None:
    out = client.chat.completions.create(model=SMALL, messages=[{"role": "user", "content": "The capital of France?"}],
                                         max_tokens=8, temperature=0, logprobs=True, top_logprobs=3).choices[0]
    assert out.logprobs is not None and out.logprobs.content
    assert "".join(t.token for t in out.logprobs.content) == out.message.content
    for token in out.logprobs.content:
        probabilities = [math.exp(t.logprob) for t in token.top_logprobs]
        assert token.logprob <= 0 and token.logprob == token.top_logprobs[0].logprob  # greedy: the likeliest
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1 + 1e-6


@pytest.mark.compat("openai", "completions")
def test_completions(client: openai.OpenAI) -> None:
    out = client.completions.create(model=SMALL, prompt="The capital of France is", max_tokens=5, temperature=0)
    assert "paris" in out.choices[0].text.lower()


@pytest.mark.compat("openai", "audio")
def test_audio_round_trip(client: openai.OpenAI) -> None:
    spoken = client.audio.speech.create(model="tts-1", voice="alloy", input="Two tickets for Dune, please.",
                                        response_format="wav")
    heard = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", spoken.content, "audio/wav"))
    assert "dune" in heard.text.lower()
