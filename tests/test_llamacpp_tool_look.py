"""Whether the model means to call a tool is a greedy look at the prompt's first tokens (``_wants_tool``): the same
prompt and tools get the same decision, so a request asked again with another seed or temperature (a client's retry,
a test's seeds) does not look again; another prompt, other tools or an erasure do. On the tiny random Qwen2 GGUF
through the real loader; the look is counted on the real llama.cpp object (temperature 0, at most 16 tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tandem.forget import forget_all
from tandem.models.base import Model, complete
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message, Tool
from tests.conftest import TINY

BOOK = Tool("book_tickets", "Book cinema tickets", {
    "type": "object", "properties": {"title": {"type": "string", "maxLength": 12}}, "required": ["title"],
    "additionalProperties": False})
RIDE = Tool("book_ride", "Send a taxi", {"type": "object", "properties": {"to": {"type": "string", "maxLength": 12}},
                                         "required": ["to"], "additionalProperties": False})


class _Looks:
    """Counts the greedy looks the model's llama.cpp object is asked for, passing every call through."""

    def __init__(self, model: Any) -> None:
        self.count, self._llm = 0, model._llm
        self._real = self._llm.create_completion
        self._llm.create_completion = self

    def __call__(self, *args: Any, **kw: Any) -> Any:
        self.count += int(kw.get("temperature") == 0.0 and kw.get("max_tokens") == 16)
        return self._real(*args, **kw)

    def close(self) -> None:
        self._llm.create_completion = self._real


@pytest.fixture
def tiny(tiny_registry: ModelRegistry) -> Model:
    return tiny_registry.get(TINY)


@pytest.fixture
def looks(tiny: Model) -> Iterator[_Looks]:
    counted = _Looks(tiny)
    yield counted
    counted.close()


def ask(text: str, tools: tuple[Tool, ...], seed: int, temperature: float = 0.7) -> ChatRequest:
    return ChatRequest(messages=(Message("user", text),), tools=tools, seed=seed, temperature=temperature,
                       max_tokens=6)


def test_the_same_prompt_is_looked_at_once_whatever_the_seed(tiny: Model, looks: _Looks) -> None:
    answers = [complete(tiny, ask("book two tickets for Dune", (BOOK,), seed)) for seed in range(4)]
    assert looks.count == 1
    assert all(a.finish_reason in ("stop", "length", "tool_calls") for a in answers)
    complete(tiny, ask("book two tickets for Dune", (BOOK,), 9, temperature=1.2))
    assert looks.count == 1


def test_a_request_asked_again_gets_the_same_answer_without_a_look(tiny: Model, looks: _Looks) -> None:
    first, again = (complete(tiny, ask("book two tickets for Dune", (BOOK,), 5)) for _ in range(2))
    assert looks.count == 1
    assert (again.message.content, again.message.tool_calls, again.finish_reason) == \
        (first.message.content, first.message.tool_calls, first.finish_reason)


def test_another_prompt_or_other_tools_are_looked_at_again(tiny: Model, looks: _Looks) -> None:
    complete(tiny, ask("book two tickets for Dune", (BOOK,), 1))
    complete(tiny, ask("book three tickets for Dune", (BOOK,), 1))
    complete(tiny, ask("book two tickets for Dune", (BOOK, RIDE), 1))
    assert looks.count == 3


def test_an_erasure_forgets_the_decisions(tiny: Model, looks: _Looks) -> None:
    """What the model remembers of a prompt goes with every erasure, as its prefix states and KV memory do."""
    complete(tiny, ask("book two tickets for Dune", (BOOK,), 1))
    assert forget_all() >= 1
    complete(tiny, ask("book two tickets for Dune", (BOOK,), 2))
    assert looks.count == 2
