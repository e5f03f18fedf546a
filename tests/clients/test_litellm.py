"""litellm (its ``openai/`` provider pointed at Tandem): chat, streaming, the tool loop, structured output,
embeddings, the Responses API, speech, and Tandem's errors raised as litellm's own exception types.

litellm fetches a model cost map from GitHub when it is imported unless ``LITELLM_LOCAL_MODEL_COST_MAP`` is
set, and reads bundled tiktoken files to count tokens; every test here fails if anything in the process looked
up or connected to a host other than loopback while it ran."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from tests.clients.conftest import BOOK_SCHEMA, REQUEST, SMALL, Bookings

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is first imported

MODEL = f"openai/{SMALL}"  # litellm's generic OpenAI-compatible provider, as its docs set up a local server
BOOK = {"type": "function", "function": {"name": "book_tickets", "description": "Book cinema tickets for a film",
                                         "parameters": BOOK_SCHEMA}}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_seen: list[str] = []  # hosts other than loopback looked up or connected to while ``_watching`` is on
_watching: list[bool] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _watching:
        return
    if event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
    elif event == "socket.connect" and isinstance(args[1], tuple):
        host = str(args[1][0])
    else:
        return
    if host not in _LOOPBACK:
        _seen.append(f"{event} {host}")


sys.addaudithook(_audit)  # an audit hook cannot be removed: it records only while a test here runs


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    _seen.clear()
    _watching.append(True)
    try:
        yield
    finally:
        _watching.clear()
    assert not _seen, f"litellm reached outside the machine: {_seen}"


@pytest.fixture
def litellm(base_url: str) -> Any:
    import litellm

    litellm.suppress_debug_info = True  # its "Provider List" banner for a model name it has no price for
    return litellm


@pytest.fixture
def at(base_url: str) -> dict[str, str]:
    return {"api_base": base_url, "api_key": "unused"}


def test_importing_litellm_as_these_tests_do_fetches_nothing() -> None:
    """The cost map comes from the package with ``LITELLM_LOCAL_MODEL_COST_MAP`` (set above): checked in a
    fresh interpreter, since this one may have imported litellm already."""
    probe = ("import sys\nseen = []\n"
             "sys.addaudithook(lambda e, a: seen.append(str(a[0])) if e == 'socket.getaddrinfo' else None)\n"
             "import litellm\nprint(seen)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=True,
                         env={**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    assert out.stdout.strip() == "[]", out.stdout


@pytest.mark.compat("litellm", "chat")
def test_chat(litellm: Any, at: dict[str, str]) -> None:
    out = litellm.completion(model=MODEL, messages=[{"role": "user", "content": "Say hello."}], max_tokens=20, **at)
    assert out.choices[0].message.content and out.usage.completion_tokens > 0


@pytest.mark.compat("litellm", "stream")
def test_stream_with_usage(litellm: Any, at: dict[str, str]) -> None:
    chunks = list(litellm.completion(model=MODEL, messages=[{"role": "user", "content": "Count to five."}],
                                     max_tokens=30, stream=True, stream_options={"include_usage": True}, **at))
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) > 3
    whole = litellm.stream_chunk_builder(chunks)
    assert whole.choices[0].message.content == "".join(pieces) and whole.usage.completion_tokens > 0


@pytest.mark.compat("litellm", "async")
def test_async_chat_and_stream(litellm: Any, at: dict[str, str]) -> None:
    async def both() -> tuple[str, str]:
        said = await litellm.acompletion(model=MODEL, messages=[{"role": "user", "content": "Say hello."}],
                                         max_tokens=20, **at)
        stream = await litellm.acompletion(model=MODEL, messages=[{"role": "user", "content": "Say hello."}],
                                           max_tokens=20, stream=True, **at)
        pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        return said.choices[0].message.content, "".join(pieces)

    said, streamed = asyncio.run(both())
    assert said and streamed


def _tool_loop(litellm: Any, at: dict[str, str], bookings: Bookings, stream: bool) -> None:
    book = bookings.tool()
    messages: list[Any] = [{"role": "user", "content": REQUEST}]
    for _ in range(5):
        if stream:  # the chunks put together by litellm's own helper, as its docs show for tool calls
            chunks = list(litellm.completion(model=MODEL, messages=messages, tools=[BOOK], max_tokens=150,
                                             stream=True, **at))
            out = litellm.stream_chunk_builder(chunks, messages=messages)
        else:
            out = litellm.completion(model=MODEL, messages=messages, tools=[BOOK], max_tokens=150, **at)
        message = out.choices[0].message
        if not message.tool_calls:
            break
        messages.append(message.model_dump(exclude_none=True))
        for call in message.tool_calls:
            messages.append({"role": "tool", "tool_call_id": call.id,
                             "content": book(**json.loads(call.function.arguments))})
    bookings.check_once(message.content)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.compat("litellm", "tool loop")
def test_tool_loop_ends_after_one_booking(litellm: Any, at: dict[str, str], bookings: Bookings,
                                          stream: bool) -> None:
    _tool_loop(litellm, at, bookings, stream)


class Film(BaseModel):
    title: str
    year: int


@pytest.mark.compat("litellm", "structured output")
def test_structured_output(litellm: Any, at: dict[str, str]) -> None:
    out = litellm.completion(model=MODEL, response_format=Film, max_tokens=60, **at,
                             messages=[{"role": "user", "content": "The film Dune (2021) as JSON."}])
    film = Film.model_validate_json(out.choices[0].message.content)
    assert film.title


@pytest.mark.compat("litellm", "embeddings")
def test_embeddings(litellm: Any, at: dict[str, str]) -> None:
    out = litellm.embedding(model="openai/device:e5-small", input=["Kino", "cinema"], **at)
    assert [len(d["embedding"]) for d in out.data] == [384, 384]


@pytest.mark.compat("litellm", "responses")
def test_responses(litellm: Any, at: dict[str, str]) -> None:
    out = litellm.responses(model=MODEL, input="Say hello.", max_output_tokens=20, **at)
    said = [part.text for item in out.output if item.type == "message" for part in item.content]
    assert "".join(said).strip()


@pytest.mark.compat("litellm", "completions")
def test_text_completion(litellm: Any, at: dict[str, str]) -> None:
    out = litellm.text_completion(model=f"text-completion-openai/{SMALL}", prompt="The capital of France is",
                                  max_tokens=5, temperature=0, **at)
    assert "paris" in out.choices[0].text.lower()


@pytest.mark.compat("litellm", "audio")
def test_speech(litellm: Any, at: dict[str, str]) -> None:
    spoken = litellm.speech(model="openai/tts-1", voice="alloy", input="Two tickets for Dune, please.",
                            response_format="wav", **at)
    assert spoken.content[:4] == b"RIFF"


@pytest.mark.compat("litellm", "errors")
def test_errors_are_litellms_exception_types(litellm: Any, at: dict[str, str]) -> None:
    """litellm maps a provider's error to its own type by the status and by OpenAI's words: an overflow must
    read as ``ContextWindowExceededError`` (its Router's context-window fallbacks catch that type)."""
    too_long = [{"role": "user", "content": "word " * 9000}]
    with pytest.raises(litellm.ContextWindowExceededError):
        litellm.completion(model=MODEL, messages=too_long, max_tokens=5, **at)
    with pytest.raises(litellm.ContextWindowExceededError):
        list(litellm.completion(model=MODEL, messages=too_long, max_tokens=5, stream=True, **at))
    with pytest.raises(litellm.NotFoundError):
        litellm.completion(model="openai/no-such-model", messages=[{"role": "user", "content": "hi"}], **at)
    with pytest.raises(litellm.BadRequestError) as bad:
        litellm.completion(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=0, **at)
    assert not isinstance(bad.value, litellm.ContextWindowExceededError) and "max_tokens" in str(bad.value)
