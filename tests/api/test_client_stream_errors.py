"""A streamed tool loop whose answer breaks after the tool ran, read by the real clients (openai, langchain-openai,
litellm) against a real server: the tool call arrives whole, and the answer's break is an error each client raises as
its own type, after the text that came before it, never a quiet end that reads as a finished answer.

The model is scripted (it calls ``book`` until a tool result is in the conversation, then answers in three pieces and
breaks after the first when the last message says "fail"): what crosses the wire is what is tested."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tests.conftest import LiveServer
from tests.test_api_shapes import PIECES, SCRIPTED, TOOL, Scripted

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is first imported
ASKED = [{"role": "user", "content": "book two seats"}]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    registry = ModelRegistry(load_settings(home=tmp_path_factory.mktemp("home")))
    registry.register(Scripted())
    with LiveServer(create_app(registry)) as live:
        yield f"{live.url}/v1"


def _after_the_tool(call_id: str, arguments: str) -> list[dict[str, Any]]:
    """The conversation once the client ran the call: its result says the booking failed (the model then breaks)."""
    call = {"id": call_id, "type": "function", "function": {"name": "book", "arguments": arguments}}
    return [*ASKED, {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": call_id, "content": "payment failed"}]


def test_openai(base_url: str) -> None:
    client: Any = openai.OpenAI(base_url=base_url, api_key="local", max_retries=0)  # the dict forms of the types
    calls: dict[int, dict[str, str]] = {}
    for chunk in client.chat.completions.create(model=SCRIPTED, messages=ASKED, tools=[TOOL], stream=True,
                                                parallel_tool_calls=False):
        for delta in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            got = calls.setdefault(delta.index, {"id": "", "arguments": ""})
            got["id"] += delta.id or ""
            got["arguments"] += delta.function.arguments or "" if delta.function else ""
    assert len(calls) == 1 and json.loads(calls[0]["arguments"]) == {"count": 2}
    text = ""
    with pytest.raises(openai.APIError) as broke:
        for chunk in client.chat.completions.create(model=SCRIPTED, tools=[TOOL], stream=True,
                                                    messages=_after_the_tool(calls[0]["id"], calls[0]["arguments"])):
            text += "".join(c.delta.content or "" for c in chunk.choices)
    assert text == PIECES[0]
    assert isinstance(broke.value.body, dict) and broke.value.body.get("type") == "server_error", broke.value.body


def test_langchain(base_url: str) -> None:
    from langchain_core.messages import AIMessageChunk, ToolMessage
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(model=SCRIPTED, base_url=base_url, api_key="local", max_retries=0,  # type: ignore[arg-type]
                      stream_usage=True).bind_tools([TOOL], parallel_tool_calls=False)
    first: Any = None
    for piece in chat.stream(ASKED):
        first = piece if first is None else first + piece
    assert isinstance(first, AIMessageChunk) and [c["args"] for c in first.tool_calls] == [{"count": 2}]
    history: list[Any] = [*ASKED, first, ToolMessage("payment failed", tool_call_id=first.tool_calls[0]["id"])]
    text = ""
    with pytest.raises(openai.APIError):  # langchain-openai lets the openai client's error through
        for piece in chat.stream(history):
            text += str(piece.content)
    assert text == PIECES[0]


def test_litellm(base_url: str) -> None:
    import litellm

    at = {"api_base": base_url, "api_key": "local", "max_retries": 0}
    calls: dict[int, dict[str, str]] = {}
    for chunk in litellm.completion(model=f"openai/{SCRIPTED}", messages=ASKED, tools=[TOOL], stream=True,
                                    parallel_tool_calls=False, **at):
        for delta in chunk.choices[0].delta.tool_calls or []:
            got = calls.setdefault(delta.index, {"id": "", "arguments": ""})
            got["id"] += delta.id or ""
            got["arguments"] += delta.function.arguments or ""
    assert len(calls) == 1 and json.loads(calls[0]["arguments"]) == {"count": 2}
    text = ""
    with pytest.raises(litellm.exceptions.MidStreamFallbackError):  # its Router falls back on this type
        for chunk in litellm.completion(model=f"openai/{SCRIPTED}", tools=[TOOL], stream=True, **at,
                                        messages=_after_the_tool(calls[0]["id"], calls[0]["arguments"])):
            text += chunk.choices[0].delta.content or ""
    assert text == PIECES[0]
