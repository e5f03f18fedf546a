"""The agent frameworks' STREAMED tool loops against the device model itself (the real 0.5B, as test_frameworks'
whole loops): tool call, tool result, final answer, each turn streamed from llama.cpp and read by the framework's own
stream handler, the booking made once. test_streamed_loops checks the same handlers against a scripted model (every
wire detail, in a second); here what the device model streams is what they read."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.clients.conftest import REQUEST, SMALL, Bookings
from tests.clients.test_frameworks import pydantic_model


@pytest.mark.compat("openai-agents", "streamed tool loop (device model)")
def test_openai_agents_run_streamed_on_the_device_model(base_url: str, bookings: Bookings) -> None:
    import agents
    from openai import AsyncOpenAI

    agents.set_tracing_disabled(True)  # traces would go to OpenAI's servers
    client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=600)
    agent = agents.Agent(name="booker", instructions="You book cinema tickets.",
                         model=agents.OpenAIChatCompletionsModel(SMALL, client),
                         tools=[agents.function_tool(bookings.tool())],
                         model_settings=agents.ModelSettings(max_tokens=150))

    async def run() -> tuple[Any, list[str]]:
        result = agents.Runner.run_streamed(agent, REQUEST, max_turns=5)
        kinds = [event.item.type async for event in result.stream_events() if event.type == "run_item_stream_event"]
        return result, kinds

    result, kinds = asyncio.run(run())
    assert "tool_call_item" in kinds and "tool_call_output_item" in kinds, kinds
    bookings.check_once(str(result.final_output))


@pytest.mark.compat("pydantic-ai", "streamed tool loop (device model)")
def test_pydantic_ai_run_stream_on_the_device_model(base_url: str, bookings: Bookings) -> None:
    from pydantic_ai import Agent

    agent = Agent(pydantic_model(base_url, False), tools=[bookings.tool()])

    async def run() -> str:
        async with agent.run_stream(REQUEST, model_settings={"max_tokens": 150}) as result:
            return "".join([piece async for piece in result.stream_text(delta=True)])

    bookings.check_once(asyncio.run(run()))
