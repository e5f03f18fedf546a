"""The cloud tier against a real OpenAI-compatible engine: ``python -m llama_cpp.server`` (from the same
llama-cpp-python) serving the 0.5B on loopback, reached through Tandem's cloud backend. Covers what a
recording stand-in cannot: a real engine's streaming, tool calls and errors. (In production the cloud
engines are vLLM or DashScope's compatible mode; they speak the same protocol.)"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tandem.errors import ContextOverflow, ModelError, ModelUnavailable, TandemError
from tandem.models.base import complete
from tandem.models.catalog import builtin_catalog, ensure_weights, find_spec
from tandem.models.endpoints import CloudEndpoint
from tandem.models.openai_compat import OpenAICompatModel
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message, Tool
from tests.clients.conftest import BOOK_SCHEMA
from tests.conftest import free_port

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine(small_registry: ModelRegistry) -> Iterator[str]:
    path = ensure_weights(find_spec(builtin_catalog(), "device:qwen2.5-0.5b"), small_registry.settings.models_dir)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias",
                             "qwen-engine", "--n_ctx", "1024", "--n_threads", "1", "--port", str(port),
                             "--chat_format", "chatml-function-calling", "--verbose", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "llama_cpp.server did not start"
            try:
                if httpx.get(url + "/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def cloud(engine: str) -> OpenAICompatModel:
    return OpenAICompatModel(CloudEndpoint(name="engine", url=engine, model="qwen-engine", region="DE",
                                           context_length=1024, timeout=300))


def test_streams_text_with_usage(cloud: OpenAICompatModel) -> None:
    chunks = list(cloud.stream(ChatRequest(messages=(Message("user", "Say hello."),), max_tokens=16,
                                           temperature=0.0)))
    assert sum(1 for c in chunks if c.text) > 2
    assert chunks[-1].finish_reason in ("stop", "length")


def test_named_tool_call_from_a_real_engine(cloud: OpenAICompatModel) -> None:
    request = ChatRequest(messages=(Message("user", "Book two tickets for Dune on 2025-06-01."),),
                          tools=(Tool("book_tickets", "Book cinema tickets for a film", BOOK_SCHEMA),),
                          tool_choice="book_tickets", max_tokens=120, temperature=0.0)
    result = complete(cloud, request)
    assert result.message.tool_calls and result.message.tool_calls[0].name == "book_tickets"
    assert "dune" in str(result.message.tool_calls[0].arguments.get("title", "")).lower()


def test_engine_errors_are_typed(cloud: OpenAICompatModel, engine: str) -> None:
    # llama_cpp.server answers an over-long streamed request with 200 and an empty event stream (its
    # error only reaches the log): Tandem must still see a typed, fallback-able error, not an empty answer.
    too_long = ChatRequest(messages=(Message("user", "word " * 3000),), max_tokens=16)
    with pytest.raises((ContextOverflow, ModelUnavailable)):
        list(cloud.stream(too_long))
    gone = OpenAICompatModel(CloudEndpoint(name="gone", url=engine.replace("/v1", "/nothing"), model="qwen-engine",
                                           region="DE", timeout=30))
    with pytest.raises(TandemError) as caught:
        list(gone.stream(ChatRequest(messages=(Message("user", "hi"),), max_tokens=4)))
    assert isinstance(caught.value, ModelError), repr(caught.value)
