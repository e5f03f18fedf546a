"""A tool call or a schema-bound answer stops when its request is cancelled, as a plain answer does (walkthrough A1:
one tool-call request with a schema asking for 1000 items held the device model for everyone for over 20 minutes,
past its 504 and its client's hang-up, because the grammar-bound paths never looked at the request's cancel event)."""

from __future__ import annotations

import threading

import pytest

from tandem.models.base import Model, complete
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message, ResponseFormat, Tool
from tests.conftest import TINY

NUMBERS = {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}, "minItems": 150}},
           "required": ["a"]}


@pytest.fixture
def tiny(tiny_registry: ModelRegistry) -> Model:
    return tiny_registry.get(TINY)


@pytest.mark.parametrize("how", ["tool call", "json schema"])
def test_a_cancelled_grammar_bound_answer_stops(tiny: Model, how: str) -> None:
    request = ChatRequest(messages=(Message("user", "numbers"),), max_tokens=280, seed=1,
                          **({"tools": (Tool("f", "", NUMBERS),), "tool_choice": "required"} if how == "tool call" else
                             {"response_format": ResponseFormat("json_schema", NUMBERS)}))
    cancel = threading.Event()
    cancel.set()  # the client hung up, or its deadline passed (the API sets it then)
    out = complete(tiny, request, cancel)
    assert out.finish_reason == "cancelled" and not out.message.tool_calls
    assert out.usage.completion_tokens <= 1


def test_a_tool_call_cut_by_max_tokens_ends_with_length_not_an_error(tiny: Model) -> None:
    """Walkthrough A4: tool_choice "required" with max_tokens 3 was HTTP 500 tool_call_failed; OpenAI says "length"."""
    request = ChatRequest(messages=(Message("user", "numbers"),), max_tokens=3, seed=1,
                          tools=(Tool("f", "", NUMBERS),), tool_choice="required")
    out = complete(tiny, request)
    assert out.finish_reason == "length" and not out.message.tool_calls
