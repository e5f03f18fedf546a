"""Agent frameworks over Tandem: each runs its ordinary tool loop to a final answer, and the booking
tool (a side effect) runs exactly once per request."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tests.clients.conftest import REQUEST, SMALL, Bookings


class Film(BaseModel):
    title: str
    year: int


# langchain-openai -----------------------------------------------------------------------------------------

def _chat_openai(base_url: str, **kw: Any) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=SMALL, base_url=base_url, api_key="unused", max_retries=0, timeout=600,  # type: ignore[arg-type]
                      max_tokens=150, **kw)


@pytest.mark.compat("langchain-openai", "chat")
def test_langchain_chat_and_stream(base_url: str) -> None:
    llm = _chat_openai(base_url)
    assert llm.invoke("Say hello.").content
    assert "".join(str(c.content) for c in llm.stream("Count to three."))


@pytest.mark.compat("langchain-openai", "tool loop")
def test_langchain_tool_loop(base_url: str, bookings: Bookings) -> None:
    from langchain_core.messages import HumanMessage, ToolMessage
    from langchain_core.tools import tool

    book = tool(bookings.tool())
    llm = _chat_openai(base_url).bind_tools([book])
    messages: list[Any] = [HumanMessage(REQUEST)]
    for _ in range(5):
        reply = llm.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            messages.append(ToolMessage(book.invoke(call["args"]), tool_call_id=call["id"]))
    bookings.check_once(str(reply.content))


@pytest.mark.compat("langchain-openai", "responses")
def test_langchain_responses_api(base_url: str) -> None:
    llm = _chat_openai(base_url, use_responses_api=True)
    assert llm.invoke("Say hello.").text


@pytest.mark.compat("langchain-openai", "structured output")
def test_langchain_structured_output(base_url: str) -> None:
    film = _chat_openai(base_url).with_structured_output(Film, method="json_schema").invoke(
        "The film Dune (2021) as JSON.")
    assert isinstance(film, Film) and film.title


@pytest.mark.compat("langchain-openai", "embeddings")
def test_langchain_embeddings(base_url: str) -> None:
    from langchain_openai import OpenAIEmbeddings

    # check_embedding_ctx_length=False: by default LangChain sends tiktoken ids, which need its BPE download
    embeddings = OpenAIEmbeddings(model="device:e5-small", base_url=base_url, api_key="unused",  # type: ignore[arg-type]
                                  check_embedding_ctx_length=False)
    assert len(embeddings.embed_query("Kino")) == 384


# pydantic-ai ----------------------------------------------------------------------------------------------

def pydantic_model(base_url: str, responses: bool, model: str = SMALL) -> Any:
    from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel
    from pydantic_ai.providers.openai import OpenAIProvider

    provider = OpenAIProvider(base_url=base_url, api_key="unused")
    return (OpenAIResponsesModel if responses else OpenAIChatModel)(model, provider=provider)


@pytest.mark.parametrize("responses", [False, True], ids=["chat", "responses"])
@pytest.mark.compat("pydantic-ai", "tool loop")
def test_pydantic_ai_tool_loop(base_url: str, bookings: Bookings, responses: bool) -> None:
    from pydantic_ai import Agent

    agent = Agent(pydantic_model(base_url, responses), tools=[bookings.tool()])
    result = agent.run_sync(REQUEST, model_settings={"max_tokens": 150})
    bookings.check_once(result.output)


@pytest.mark.parametrize("responses", [False, True], ids=["chat", "responses"])
@pytest.mark.compat("pydantic-ai", "retry after a tool error")
def test_pydantic_ai_retries_after_a_tool_error(base_url: str, bookings: Bookings, responses: bool) -> None:
    """The tool asks for a retry (pydantic-ai sends "<why>\n\nFix the errors and try again." as its
    result): the call is made again and books once."""
    from pydantic_ai import Agent, ModelRetry

    bookings.failures.append(ModelRetry("The booking service was busy and booked nothing."))
    agent = Agent(pydantic_model(base_url, responses), tools=[bookings.tool()])
    result = agent.run_sync(REQUEST, model_settings={"max_tokens": 150})
    bookings.check_once(result.output)
    assert bookings.tried == 2


@pytest.mark.compat("pydantic-ai", "structured output")
def test_pydantic_ai_output_type(base_url: str) -> None:
    from pydantic_ai import Agent

    result = Agent(pydantic_model(base_url, False), output_type=Film).run_sync(
        "The film Dune (2021).", model_settings={"max_tokens": 150})
    assert isinstance(result.output, Film) and result.output.title


# openai-agents --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("responses", [True, False], ids=["responses", "chat"])
@pytest.mark.compat("openai-agents", "tool loop")
def test_openai_agents_tool_loop(base_url: str, bookings: Bookings, responses: bool) -> None:
    from agents import (
        Agent,
        ModelSettings,
        OpenAIChatCompletionsModel,
        OpenAIResponsesModel,
        Runner,
        function_tool,
        set_tracing_disabled,
    )
    from openai import AsyncOpenAI

    set_tracing_disabled(True)  # traces would go to OpenAI's servers
    client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=600)
    model = (OpenAIResponsesModel if responses else OpenAIChatCompletionsModel)(model=SMALL, openai_client=client)
    agent = Agent(name="booker", instructions="You book cinema tickets.", model=model,
                  tools=[function_tool(bookings.tool())], model_settings=ModelSettings(max_tokens=150))
    result = asyncio.run(Runner.run(agent, REQUEST, max_turns=5))
    bookings.check_once(str(result.final_output))


@pytest.mark.compat("openai-agents", "retry after a tool error")
def test_openai_agents_retries_after_a_tool_error(base_url: str, bookings: Bookings) -> None:
    """The tool raises once; openai-agents sends "An error occurred while running the tool. Please try
    again. Error: ..." as its result: the call is made again and books once. (Until the device model was
    told after the result that the call failed and may be called again, the 0.5B answered instead.)"""
    from agents import Agent, ModelSettings, OpenAIResponsesModel, Runner, function_tool, set_tracing_disabled
    from openai import AsyncOpenAI

    set_tracing_disabled(True)
    bookings.failures.append(RuntimeError("booking service busy"))
    client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=600)
    agent = Agent(name="booker", instructions="You book cinema tickets.",
                  model=OpenAIResponsesModel(model=SMALL, openai_client=client),
                  tools=[function_tool(bookings.tool())], model_settings=ModelSettings(max_tokens=150))
    result = asyncio.run(Runner.run(agent, REQUEST, max_turns=5))
    bookings.check_once(str(result.final_output))
    assert bookings.tried == 2


# llm ------------------------------------------------------------------------------------------------------

@pytest.fixture
def llm_models(base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    import llm

    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "extra-openai-models.yaml").write_text(json.dumps([
        {"model_id": "tandem", "model_name": SMALL, "api_base": base_url, "supports_tools": True},
        {"model_id": "tandem-completion", "model_name": SMALL, "api_base": base_url, "completion": True},
    ]))
    return llm


@pytest.mark.compat("llm", "chat")
def test_llm_prompt(llm_models: Any) -> None:
    assert llm_models.get_model("tandem").prompt("Say hello.", max_tokens=20).text()
    assert llm_models.get_model("tandem-completion").prompt("The capital of France is", max_tokens=5).text()


@pytest.mark.compat("llm", "tool loop")
def test_llm_tool_chain(llm_models: Any, bookings: Bookings) -> None:
    chain = llm_models.get_model("tandem").chain(REQUEST, tools=[bookings.tool()], options={"max_tokens": 150})
    bookings.check_once(chain.text())
