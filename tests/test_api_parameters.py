"""Every parameter of OpenAI's request types is decided on: served, refused with OpenAI's own 400 for a model without
the feature (``unsupported_parameter`` / ``unsupported_value``, naming it), or read and typed but not used because the
answer is the same without it (billing, caching, keeping). None is silently dropped: a parameter the openai package
adds later fails ``test_every_openai_parameter_is_decided`` until it is decided here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openai.types import completion_create_params as legacy
from openai.types.chat import completion_create_params as chat
from openai.types.responses import response_create_params as responses

from tandem.api.completions import CompletionsBody
from tandem.api.responses import ResponsesBody
from tandem.api.schemas import ChatBody
from tandem.api.unserved import CHAT, RESPONSES
from tests.test_api_shapes import SCRIPTED, scripted_api, user


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with scripted_api(tmp_path_factory.mktemp("home")) as client:
        yield client


def _names(params: type) -> set[str]:
    return {name for kind in params.__mro__ for name in getattr(kind, "__annotations__", {})}


@pytest.mark.parametrize(("params", "body", "refused"), [
    (chat.CompletionCreateParamsBase, ChatBody, CHAT),
    (responses.ResponseCreateParamsBase, ResponsesBody, RESPONSES),
    (legacy.CompletionCreateParamsBase, CompletionsBody, {}),
], ids=["chat", "responses", "completions"])
def test_every_openai_parameter_is_decided(params: type, body: type, refused: dict[str, Any]) -> None:
    decided = set(body.model_fields) | {path.split(".")[0] for path in refused}  # type: ignore[attr-defined]
    assert not _names(params) - decided, "parameters read by nothing: decide on them in tandem.api.unserved"


CHAT_CALL = {"model": SCRIPTED, "messages": user()}
RESPONSES_CALL = {"model": SCRIPTED, "input": "hi"}
REFUSED = [
    ("/v1/chat/completions", CHAT_CALL, {"reasoning_effort": "low"}, "reasoning_effort", "unsupported_value"),
    ("/v1/chat/completions", CHAT_CALL, {"verbosity": "high"}, "verbosity", "unsupported_value"),
    ("/v1/chat/completions", CHAT_CALL, {"web_search_options": {}}, "web_search_options", "unsupported_parameter"),
    ("/v1/chat/completions", CHAT_CALL, {"moderation": {"model": "omni-moderation-latest"}}, "moderation",
     "unsupported_parameter"),
    ("/v1/responses", RESPONSES_CALL, {"reasoning": {"effort": "high"}}, "reasoning.effort", "unsupported_value"),
    ("/v1/responses", RESPONSES_CALL, {"reasoning": {"summary": "auto"}}, "reasoning.summary",
     "unsupported_parameter"),
    ("/v1/responses", RESPONSES_CALL, {"text": {"verbosity": "low"}}, "text.verbosity", "unsupported_value"),
    ("/v1/responses", RESPONSES_CALL, {"background": True}, "background", "unsupported_value"),
    ("/v1/responses", RESPONSES_CALL, {"conversation": "conv_1"}, "conversation", "unsupported_parameter"),
    ("/v1/responses", RESPONSES_CALL, {"prompt": {"id": "pmpt_1"}}, "prompt", "unsupported_parameter"),
    ("/v1/responses", RESPONSES_CALL, {"context_management": [{"type": "compaction"}]}, "context_management",
     "unsupported_parameter"),
]


@pytest.mark.parametrize(("path", "call", "extra", "param", "code"), REFUSED, ids=[r[3] for r in REFUSED])
def test_a_feature_no_model_here_has_is_refused_as_openai_refuses_it(api: TestClient, path: str, call: dict[str, Any],
                                                                     extra: dict[str, Any], param: str,
                                                                     code: str) -> None:
    for stream in (False, True):
        answer = api.post(path, json={**call, **extra, "stream": stream})
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error"), error
        assert error["message"].startswith("Unsupported ") and param in error["message"]


SERVED = [
    ("/v1/chat/completions", CHAT_CALL, {
        "reasoning_effort": "none", "verbosity": "medium", "web_search_options": None, "service_tier": "flex",
        "store": True, "metadata": {"run": "7"}, "user": "u-1", "safety_identifier": "s", "prompt_cache_key": "k",
        "prompt_cache_retention": "24h", "prediction": {"type": "content", "content": "Hello"},
        "prompt_cache_options": {}}),
    ("/v1/responses", RESPONSES_CALL, {
        "reasoning": {"effort": "none"}, "text": {"verbosity": "medium"}, "background": False, "service_tier": "auto",
        "user": "u-1", "truncation": "auto", "max_tool_calls": 3, "metadata": {"run": "7"}, "store": False}),
    ("/v1/completions", {"model": SCRIPTED, "prompt": "Once"}, {"best_of": 1, "user": "u-1"}),
]


@pytest.mark.parametrize(("path", "call", "extra"), SERVED, ids=[s[0] for s in SERVED])
def test_what_changes_only_openais_billing_or_keeping_is_accepted(api: TestClient, path: str, call: dict[str, Any],
                                                                 extra: dict[str, Any]) -> None:
    """The values that ask for nothing missing here, and the parameters the answer does not depend on."""
    answer = api.post(path, json={**call, **extra})
    assert answer.status_code == 200, answer.text


MISTYPED = [
    ("/v1/chat/completions", CHAT_CALL, {"service_tier": "cheapest"}, "service_tier"),
    ("/v1/chat/completions", CHAT_CALL, {"store": "sure"}, "store"),
    ("/v1/chat/completions", CHAT_CALL, {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
    ("/v1/chat/completions", CHAT_CALL, {"metadata": {"k": "v" * 513}}, "metadata"),
    ("/v1/chat/completions", CHAT_CALL, {"metadata": {"k": {"nested": 1}}}, "metadata.k"),
    ("/v1/chat/completions", CHAT_CALL, {"user": 5}, "user"),
    ("/v1/chat/completions", CHAT_CALL, {"prediction": {"type": "diff", "content": "x"}}, "prediction.type"),
    ("/v1/responses", RESPONSES_CALL, {"truncation": "middle"}, "truncation"),
    ("/v1/responses", RESPONSES_CALL, {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
    ("/v1/completions", {"model": SCRIPTED, "prompt": "Once"}, {"best_of": 3}, "best_of"),
]


@pytest.mark.parametrize(("path", "call", "extra", "param"), MISTYPED, ids=[f"{m[3]} {m[0]}" for m in MISTYPED])
def test_a_wrong_value_of_an_unused_parameter_is_still_a_400(api: TestClient, path: str, call: dict[str, Any],
                                                              extra: dict[str, Any], param: str) -> None:
    answer = api.post(path, json={**call, **extra})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] == param, answer.text
