"""An agent framework's STREAMED tool loop against the device model itself (the real 0.5B, as test_frameworks' whole
loops): tool call, tool result, final answer, each turn streamed from llama.cpp and read by pydantic-ai's own stream
handler, the booking made once. test_streamed_loops checks the frameworks' handlers (openai-agents' too) against a
scripted model (every wire detail, in a second); here what the device model streams is what one of them reads. One
framework only: a loop costs ~40 s of the 2-core CI box (review27 R27-4, reread27 L2)."""

from __future__ import annotations

import asyncio

import pytest

from tests.clients.conftest import REQUEST, Bookings
from tests.clients.test_frameworks import pydantic_model


@pytest.mark.compat("pydantic-ai", "streamed tool loop (device model)")
def test_pydantic_ai_run_stream_on_the_device_model(base_url: str, bookings: Bookings) -> None:
    from pydantic_ai import Agent

    agent = Agent(pydantic_model(base_url, False), tools=[bookings.tool()])

    async def run() -> str:
        async with agent.run_stream(REQUEST, model_settings={"max_tokens": 150}) as result:
            return "".join([piece async for piece in result.stream_text(delta=True)])

    bookings.check_once(asyncio.run(run()))
