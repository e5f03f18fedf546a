"""The OpenAI API's corners that clients use: legacy functions, logprobs, schemas with refs, embeddings
options, unknown names; through a real server and the official client, on the tiny model."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import TINY, LiveServer

BOOK = {"name": "book", "description": "Book seats",
        "parameters": {"type": "object", "properties": {"count": {"type": "integer", "enum": [1, 2]}},
                       "required": ["count"], "additionalProperties": False}}


def client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=120)


def post(server: LiveServer, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=120)


def test_legacy_functions_get_a_function_call(tiny_server: LiveServer) -> None:
    out = post(tiny_server, "/v1/chat/completions", {
        "model": TINY, "max_tokens": 120, "seed": 1, "functions": [BOOK], "function_call": {"name": "book"},
        "messages": [{"role": "user", "content": "book one"}]}).json()
    choice = out["choices"][0]
    assert choice["finish_reason"] == "function_call", out
    assert choice["message"]["function_call"]["name"] == "book"
    assert json.loads(choice["message"]["function_call"]["arguments"])["count"] in (1, 2)
    assert "tool_calls" not in choice["message"]
    # the result goes back as a "function" message and the conversation goes on
    follow = post(tiny_server, "/v1/chat/completions", {
        "model": TINY, "max_tokens": 5, "functions": [BOOK], "function_call": "none",
        "messages": [{"role": "user", "content": "book one"},
                     {"role": "assistant", "content": None, "function_call": choice["message"]["function_call"]},
                     {"role": "function", "name": "book", "content": '{"ok": true}'}]})
    assert follow.status_code == 200, follow.text
    assert follow.json()["choices"][0]["finish_reason"] in ("stop", "length")


def _check_tokens(entries: list[Any], text: str, top: int) -> None:
    """Log probabilities are <= 0, alternatives best first and as many as asked, and the tokens spell the text."""
    assert entries, "no token logprobs"
    for e in entries:
        assert e.logprob <= 0 and len(e.top_logprobs) == top
        alternatives = [t.logprob for t in e.top_logprobs]
        assert alternatives == sorted(alternatives, reverse=True) and all(lp <= 0 for lp in alternatives)
        assert e.bytes is not None and e.token == bytes(e.bytes).decode("utf-8", "replace")
        # the chosen token is among the alternatives when it is likely enough, with the same value
        assert all(t.logprob == e.logprob for t in e.top_logprobs if t.bytes == e.bytes)
    assert b"".join(bytes(e.bytes) for e in entries).decode("utf-8", "replace") == text


def test_chat_logprobs_whole_and_streamed(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    ask: dict[str, Any] = {"model": TINY, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 6}
    greedy = c.chat.completions.create(**ask, temperature=0, logprobs=True, top_logprobs=3)
    choice = greedy.choices[0]
    assert choice.logprobs is not None and choice.logprobs.content is not None
    _check_tokens(choice.logprobs.content, choice.message.content or "", 3)
    assert choice.finish_reason == "stop" or len(choice.logprobs.content) == 6  # one entry per generated token
    # greedy decoding takes the likeliest token every time: it is each position's first alternative
    assert all(e.logprob == e.top_logprobs[0].logprob for e in choice.logprobs.content)
    pieces = list(c.chat.completions.create(**ask, temperature=0, logprobs=True, top_logprobs=3, stream=True))
    streamed = [e for p in pieces if p.choices and p.choices[0].logprobs for e in p.choices[0].logprobs.content or []]
    assert [e.token for e in streamed] == [e.token for e in choice.logprobs.content]
    # the same values (a prompt read from the cache or anew differs in the last float digits)
    assert [e.logprob for e in streamed] == pytest.approx([e.logprob for e in choice.logprobs.content], abs=1e-3)
    sampled = c.chat.completions.create(**ask, temperature=1.0, seed=4, logprobs=True).choices[0]
    assert sampled.logprobs is not None and sampled.logprobs.content is not None
    _check_tokens(sampled.logprobs.content, sampled.message.content or "", 0)
    plain = c.chat.completions.create(**ask)
    assert plain.choices[0].logprobs is None


def test_logprobs_of_a_json_answer_spell_it(tiny_server: LiveServer) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2, 3]}}, "required": ["n"],
              "additionalProperties": False}
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "pick"}], logprobs=True, top_logprobs=2, max_tokens=20,
        response_format={"type": "json_schema", "json_schema": {"name": "n", "schema": schema}}).choices[0]
    assert json.loads(out.message.content or "")["n"] in (1, 2, 3)
    assert out.logprobs is not None and out.logprobs.content is not None
    _check_tokens(out.logprobs.content, out.message.content or "", 2)


def test_logprobs_bad_input_is_400(tiny_server: LiveServer) -> None:
    ask = {"model": TINY, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}
    for extra, param in (({"top_logprobs": 2}, "top_logprobs"), ({"logprobs": True, "top_logprobs": 21}, None)):
        r = post(tiny_server, "/v1/chat/completions", {**ask, **extra})
        assert r.status_code == 400, r.text
        assert param is None or r.json()["error"]["param"] == param
    r = post(tiny_server, "/v1/completions", {"model": TINY, "prompt": "a", "logprobs": 2, "echo": True})
    assert r.status_code == 400 and r.json()["error"]["param"] == "echo"


@pytest.mark.parametrize("schema", [
    {"$defs": {"N": {"type": "object", "properties": {"next": {"$ref": "#/$defs/N"}}}}, "$ref": "#/$defs/N"},
    {"type": "object", "properties": {"a": {"$ref": "http://169.254.169.254/latest/meta-data"}}},
])
def test_unusable_refs_are_400_in_tools_and_response_format(tiny_server: LiveServer,
                                                            schema: dict[str, Any]) -> None:
    tool = post(tiny_server, "/v1/chat/completions", {
        "model": TINY, "messages": [{"role": "user", "content": "x"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": schema}}]})
    assert tool.status_code == 400, tool.text
    assert tool.json()["error"]["param"] == "tools[0].function.parameters"
    fmt = post(tiny_server, "/v1/chat/completions", {
        "model": TINY, "messages": [{"role": "user", "content": "x"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}})
    assert fmt.status_code == 400, fmt.text
    assert fmt.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize(("parameters", "fmt"), [
    ({"type": "array", "items": {"type": "string"}}, None),  # a function's arguments are an object
    ({"type": "string"}, None),
    ({"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=a).*$"}}, "required": ["a"]},
     {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=a).*$"}}, "required": ["a"]}),
])
def test_a_schema_no_grammar_can_enforce_is_400_not_500(tiny_server: LiveServer, parameters: dict[str, Any],
                                                         fmt: dict[str, Any] | None) -> None:
    """Found by the walkthrough: both were HTTP 500 after a model run (the grammar builder's AssertionError on a
    lookahead pattern also dropped the keep-alive connection), in chat tools, Responses tools and formats."""
    ask = {"model": TINY, "messages": [{"role": "user", "content": "x"}], "max_tokens": 20}
    tool = post(tiny_server, "/v1/chat/completions", {
        **ask, "tools": [{"type": "function", "function": {"name": "f", "parameters": parameters}}],
        "tool_choice": "required"})
    assert tool.status_code == 400, tool.text
    assert tool.json()["error"]["param"] == "tools[0].function.parameters"
    responses = post(tiny_server, "/v1/responses", {
        "model": TINY, "input": "x", "max_output_tokens": 20, "tool_choice": "required",
        "tools": [{"type": "function", "name": "f", "parameters": parameters}]})
    assert responses.status_code == 400, responses.text
    assert responses.json()["error"]["param"] == "tools[0].parameters"
    if fmt is not None:
        chat = post(tiny_server, "/v1/chat/completions", {
            **ask, "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": fmt}}})
        assert chat.status_code == 400 and chat.json()["error"]["param"] == "response_format.json_schema.schema"
        text = post(tiny_server, "/v1/responses", {
            "model": TINY, "input": "x", "text": {"format": {"type": "json_schema", "name": "x", "schema": fmt}}})
        assert text.status_code == 400 and text.json()["error"]["param"] == "text.format.schema"


def test_nested_model_tool_through_the_client(tiny_server: LiveServer) -> None:
    params = {"$defs": {"Seat": {"type": "object", "properties": {"row": {"type": "string", "maxLength": 1}},
                                 "required": ["row"], "additionalProperties": False}},
              "type": "object", "properties": {"seats": {"type": "array", "items": {"$ref": "#/$defs/Seat"},
                                                         "minItems": 1, "maxItems": 2}},
              "required": ["seats"], "additionalProperties": False}
    out = client(tiny_server).chat.completions.create(
        model=TINY, messages=[{"role": "user", "content": "seats"}], max_tokens=150, seed=2,
        tools=[{"type": "function", "function": {"name": "pick", "parameters": params}}], tool_choice="required")
    calls = out.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "pick"  # type: ignore[union-attr]
    assert all(set(s) == {"row"} for s in json.loads(calls[0].function.arguments)["seats"])  # type: ignore[union-attr]


def test_unknown_route_is_named(tiny_server: LiveServer) -> None:
    r = httpx.post(tiny_server.url + "/v1/assistants", json={})
    assert r.status_code == 404 and "POST /v1/assistants" in r.json()["error"]["message"]


def test_unvalidated_json_is_an_error_not_a_stop(tiny_server: LiveServer) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer", "enum": [1]}}, "required": ["a"],
              "not": {"required": ["a"]}}  # no answer can validate
    r = post(tiny_server, "/v1/chat/completions", {
        "model": TINY, "max_tokens": 30, "messages": [{"role": "user", "content": "x"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}})
    assert r.status_code == 500 and r.json()["error"]["code"] == "invalid_model_output", r.text


def test_parallel_tool_calls_false_gives_one_call(tiny_server: LiveServer) -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2, 3]}}, "required": ["n"]}}}

    def calls(seed: int, parallel: bool) -> list[tuple[str, str]]:
        out = client(tiny_server).chat.completions.create(
            model=TINY, messages=[{"role": "user", "content": "go"}], tools=[tool],  # type: ignore[list-item]
            tool_choice="required", seed=seed, max_tokens=200, parallel_tool_calls=parallel)
        return [(c.function.name, c.function.arguments) for c in out.choices[0].message.tool_calls or []]

    several = 0
    for seed in range(8):
        each = calls(seed, True)
        several += len(each) > 1
        assert calls(seed, False) == each[:1]  # the same sampling: only the first call is kept
    assert several, "no seed gave several calls: the test shows nothing"


def test_unknown_previous_response_is_openais_400(tiny_server: LiveServer) -> None:
    """OpenAI answers an unknown ``previous_response_id`` with 400 ``previous_response_not_found`` (clients
    such as Codex then send the whole conversation), streamed or not; reading that id is still a 404."""
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as caught:
            client(tiny_server).responses.create(model=TINY, input="go on", previous_response_id="resp_never",
                                                 max_output_tokens=3, stream=stream)
        error = caught.value.body
        assert isinstance(error, dict) and error["code"] == "previous_response_not_found", error
        assert error["param"] == "previous_response_id" and "resp_never" in error["message"]
    with pytest.raises(openai.NotFoundError):
        client(tiny_server).responses.retrieve("resp_never")


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}], "tool_choice": "required"}),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}],
                              "tool_choice": {"type": "function", "function": {"name": "book"}}}),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}], "function_call": {"name": "book"}}),
    ("/v1/responses", {"input": "hi", "tool_choice": "required"}),
    ("/v1/responses", {"input": "hi", "tool_choice": {"type": "function", "name": "book"}}),
])
def test_a_demanded_call_without_tools_is_400(tiny_server: LiveServer, path: str, body: dict[str, Any]) -> None:
    """A tool_choice that demands a call (walk2) while the request sends no tools is OpenAI's 400, not an answer that
    ignores the demand; "auto" and "none" without tools stay answers."""
    refused = post(tiny_server, path, {**body, "model": TINY, "max_tokens": 4} if "messages" in body
                   else {**body, "model": TINY, "max_output_tokens": 4})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["param"] in ("tool_choice", "function_call"), refused.text
    answered = post(tiny_server, "/v1/chat/completions", {"model": TINY, "max_tokens": 4, "tool_choice": "none",
                                                         "messages": [{"role": "user", "content": "hi"}]})
    assert answered.status_code == 200, answered.text


def test_a_validation_error_names_the_parameter_as_openai_writes_it(tiny_server: LiveServer) -> None:
    # walk5: pydantic's union members leaked into param ("tool_choice.literal['auto','none','required']",
    # "messages.1.content.str"), and list items were dotted where the API's own errors write [i]
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    cases = [({"tools": [tool], "tool_choice": {"type": "allowed_tools"}}, "tool_choice"),
             ({"messages": [{"role": "user", "content": "hi"}, {"role": "tool", "content": {"a": 1}}]},
              "messages[1].content"),
             ({"tools": [{"type": "custom", "custom": {"name": "x"}}]}, "tools[0].type")]
    for extra, param in cases:
        r = post(tiny_server, "/v1/chat/completions",
                 {"model": TINY, "messages": [{"role": "user", "content": "hi"}], **extra})
        assert r.status_code == 400 and r.json()["error"]["param"] == param, r.text
        assert r.json()["error"]["message"].startswith(param + ": "), r.text
