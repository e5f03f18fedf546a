"""The agent frameworks' STREAMED tool loops against a real Tandem server: what crosses the wire (tool call
deltas by index, the finish reason, the usage chunk, tool results in content lists) read by the frameworks'
own stream handlers, each run to its final answer with the booking made once.

The model is scripted (it calls ``book_tickets`` until a tool result is in the conversation, then answers in
pieces), so each loop takes a second: the device model's own streamed call is checked in
tests/test_api.py::test_streamed_tool_call with the tiny GGUF under the call grammar."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tests.clients.booker import ANSWER, ARGUMENTS, BOOK, BOOKER, Booker
from tests.clients.conftest import ORDER, REQUEST, Bookings
from tests.clients.test_frameworks import pydantic_model
from tests.conftest import LiveServer

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is first imported

@pytest.fixture(scope="module")
def booker() -> Booker:
    return Booker()


@pytest.fixture
def base_url(tiny_registry: ModelRegistry, booker: Booker) -> Iterator[str]:
    booker.requests.clear()
    tiny_registry.register(booker)
    with LiveServer(create_app(tiny_registry)) as server:
        yield server.url + "/v1"


def _answered(text: Any) -> None:
    assert "".join(ANSWER) in str(text), text


# openai -----------------------------------------------------------------------------------------------------

@pytest.mark.compat("openai", "streamed tool loop")
def test_openai_streamed_parallel_tool_loop(base_url: str, booker: Booker) -> None:
    """``stream=True`` with two calls at once: each call's delta has its own index, the id and name come once,
    the arguments join to JSON; the stream ends with finish_reason 'tool_calls' and, asked for, a usage chunk."""
    import openai

    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
    messages: list[Any] = [{"role": "user", "content": "Book two tickets for Dune and for Alien on 2025-06-01."}]
    chunks = list(client.chat.completions.create(model=BOOKER, messages=messages, tools=[BOOK], stream=True,  # type: ignore[list-item]
                                                 stream_options={"include_usage": True}))
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks:
        for delta in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            call = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            call["id"] += delta.id or ""
            call["name"] += (delta.function.name or "") if delta.function else ""
            call["arguments"] += (delta.function.arguments or "") if delta.function else ""
    assert sorted(calls) == [0, 1]
    assert [json.loads(c["arguments"])["title"] for c in calls.values()] == ["Dune", "Alien"]
    assert all(c["name"] == "book_tickets" and c["id"].startswith("call_") for c in calls.values())
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["tool_calls"]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 60
    messages.append({"role": "assistant", "tool_calls": [
        {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
        for c in calls.values()]})
    # a tool result as a list of text parts, as the Responses-era clients send it
    messages += [{"role": "tool", "tool_call_id": c["id"], "content": [{"type": "text", "text": json.dumps(ORDER)}]}
                 for c in calls.values()]
    text = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model=BOOKER, messages=messages, tools=[BOOK], stream=True) if c.choices)  # type: ignore[list-item]
    _answered(text)
    assert booker.requests[-1].messages[-1].content == json.dumps(ORDER)


# openai-agents ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("responses", [True, False], ids=["responses", "chat"])
@pytest.mark.compat("openai-agents", "streamed tool loop")
def test_openai_agents_run_streamed(base_url: str, bookings: Bookings, responses: bool) -> None:
    import agents
    from openai import AsyncOpenAI

    agents.set_tracing_disabled(True)  # traces would go to OpenAI's servers
    client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0)
    kind = agents.OpenAIResponsesModel if responses else agents.OpenAIChatCompletionsModel
    agent = agents.Agent(name="booker", instructions="You book cinema tickets.", model=kind(BOOKER, client),
                         tools=[agents.function_tool(bookings.tool())])

    async def run() -> tuple[Any, list[str]]:
        result = agents.Runner.run_streamed(agent, REQUEST, max_turns=4)
        kinds = [event.item.type async for event in result.stream_events() if event.type == "run_item_stream_event"]
        return result, kinds

    result, kinds = asyncio.run(run())
    assert kinds[:2] == ["tool_call_item", "tool_call_output_item"], kinds
    bookings.check_once(str(result.final_output))
    _answered(result.final_output)


# pydantic-ai ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("responses", [False, True], ids=["chat", "responses"])
@pytest.mark.compat("pydantic-ai", "streamed tool loop")
def test_pydantic_ai_run_stream(base_url: str, bookings: Bookings, responses: bool) -> None:
    from pydantic_ai import Agent

    agent = Agent(pydantic_model(base_url, responses, BOOKER), tools=[bookings.tool()])

    async def run() -> str:
        async with agent.run_stream(REQUEST) as result:
            return "".join([piece async for piece in result.stream_text(delta=True)])

    text = asyncio.run(run())
    bookings.check_once(text)
    _answered(text)


@pytest.mark.compat("pydantic-ai", "streamed tool loop (iter)")
def test_pydantic_ai_iter_streams_each_model_request(base_url: str, bookings: Bookings) -> None:
    from pydantic_ai import Agent

    agent = Agent(pydantic_model(base_url, False, BOOKER), tools=[bookings.tool()])

    async def run() -> tuple[list[str], Any]:
        kinds: list[str] = []
        async with agent.iter(REQUEST) as run:
            async for node in run:
                if Agent.is_model_request_node(node):
                    async with node.stream(run.ctx) as stream:
                        kinds += [type(event).__name__ async for event in stream]
        return kinds, run.result

    kinds, result = asyncio.run(run())
    assert "FunctionToolCallEvent" not in kinds and "PartStartEvent" in kinds, kinds
    bookings.check_once(result.output)
    _answered(result.output)


# langchain --------------------------------------------------------------------------------------------------

@pytest.mark.compat("langchain-openai", "streamed tool loop")
def test_langchain_astream_tool_loop(base_url: str, bookings: Bookings) -> None:
    from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage
    from langchain_core.tools import tool
    from langchain_openai import ChatOpenAI

    book = tool(bookings.tool())
    llm = ChatOpenAI(model=BOOKER, base_url=base_url, api_key="unused", max_retries=0,  # type: ignore[arg-type]
                     stream_usage=True).bind_tools([book])

    async def run() -> Any:
        messages: list[Any] = [HumanMessage(REQUEST)]
        for _ in range(4):
            reply: AIMessageChunk | None = None
            async for chunk in llm.astream(messages):
                reply = chunk if reply is None else reply + chunk
            assert reply is not None and reply.usage_metadata and reply.usage_metadata["total_tokens"] > 0
            messages.append(reply)
            if not reply.tool_calls:
                return reply
            assert reply.response_metadata.get("finish_reason") == "tool_calls"
            messages += [ToolMessage(book.invoke(call["args"]), tool_call_id=call["id"]) for call in reply.tool_calls]
        raise AssertionError("the loop did not end")

    reply = asyncio.run(run())
    bookings.check_once(str(reply.content))
    _answered(reply.content)


# litellm ----------------------------------------------------------------------------------------------------

@pytest.mark.compat("litellm", "streamed tool loop")
def test_litellm_streamed_tool_loop(base_url: str, bookings: Bookings) -> None:
    import litellm

    book = bookings.tool()
    messages: list[Any] = [{"role": "user", "content": REQUEST}]
    for _ in range(4):
        chunks = list(litellm.completion(model=f"openai/{BOOKER}", api_base=base_url, api_key="unused",
                                         messages=messages, tools=[BOOK], stream=True,
                                         stream_options={"include_usage": True}))
        message = litellm.stream_chunk_builder(chunks, messages=messages).choices[0].message  # type: ignore[union-attr]
        if not message.tool_calls:
            break
        messages.append(message.model_dump(exclude_none=True))
        messages += [{"role": "tool", "tool_call_id": c.id, "content": book(**json.loads(c.function.arguments))}
                     for c in message.tool_calls]
    bookings.check_once(message.content)
    _answered(message.content)


@pytest.mark.compat("openai", "stream helper with tools")
def test_openai_stream_helper_parses_the_calls(base_url: str) -> None:
    """``client.chat.completions.stream`` (the helper that parses as it goes) with a strict pydantic tool: the
    arguments' done event and the final message's parsed arguments."""
    import openai
    from pydantic import BaseModel

    class BookTickets(BaseModel):
        title: str
        count: int
        date: str

    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
    with client.chat.completions.stream(model=BOOKER, messages=[{"role": "user", "content": REQUEST}],
                                        tools=[openai.pydantic_function_tool(BookTickets, name="book_tickets")]) as s:
        done = [e for e in s if e.type == "tool_calls.function.arguments.done"]
        final = s.get_final_completion()
    assert [e.parsed_arguments for e in done] == [BookTickets(**ARGUMENTS)]  # type: ignore[attr-defined]
    call = final.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert call.function.parsed_arguments == BookTickets(**ARGUMENTS)  # type: ignore[union-attr]
    assert final.choices[0].finish_reason == "tool_calls"


@pytest.mark.compat("llm", "streamed tool loop")
def test_llm_streamed_chain(base_url: str, bookings: Bookings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """llm streams by default: its chain reads the calls from the deltas and books once."""
    import llm

    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path))
    (tmp_path / "extra-openai-models.yaml").write_text(json.dumps([
        {"model_id": "booker", "model_name": BOOKER, "api_base": base_url, "supports_tools": True}]))
    chain = llm.get_model("booker").chain(REQUEST, tools=[bookings.tool()])
    text = "".join(chain)
    bookings.check_once(text)
    _answered(text)


@pytest.mark.compat("openai", "responses stream with tools")
def test_openai_responses_stream_helper_parses_the_call(base_url: str) -> None:
    import openai

    tool = {"type": "function", "name": "book_tickets", "parameters": BOOK["function"]["parameters"], "strict": True}  # type: ignore[index]
    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
    with client.responses.stream(model=BOOKER, input=REQUEST, tools=[tool]) as stream:  # type: ignore[list-item]
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert "response.function_call_arguments.done" in kinds and kinds[-1] == "response.completed", kinds
    call = next(item for item in final.output if item.type == "function_call")
    assert json.loads(call.arguments) == ARGUMENTS and call.name == "book_tickets"
