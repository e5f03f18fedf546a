"""A hostile caller against every route of the app: bodies that are not JSON, JSON of every wrong shape, each field of
the model endpoints' bodies set to every wrong type, deep nesting, huge numbers, lone surrogates and control
characters. Every answer is a 4xx (or 200) with an OpenAI error body: never a 500, a traceback or a hang.

The routes are read from the app itself, so a route added later is fuzzed too; the chat model is scripted."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tandem.api import app as app_module
from tandem.api import bodies, limits, schemas
from tandem.errors import InvalidRequest
from tandem.keys import read_local_token
from tests.test_api_shapes import SCRIPTED, scripted_api

# bodies no route can read as what it expects
RAW = [b"", b"{", b"not json", b"[]", b"null", b"1", b'"text"', b"\xff\xfe\x00", b'{"a": "\\ud800"}',
       b"[" * 100_000 + b"]" * 100_000, b'{"model": 1e400}', b'{"model": ' + b"9" * 5000 + b"}",
       json.dumps({"\u0000": "\u202e\ufeff", "model": "\udfff"}).encode()]
# values of a wrong type, or right but hostile, for any one field, as JSON text: NaN and Infinity are no JSON, but
# Python's parser reads them, and an answer that echoed one could not be written
VALUES = ["true", "-1", str(2**70), "1e308", '""', json.dumps("\u0000\u202e\ufeff\U0010ffff"), '"' + "x" * 70_000 + '"',
          "[null]", '{"": {"": [[[[[[[[1]]]]]]]]}}', "NaN", "-Infinity", '{"x": [NaN]}']
# a turn's text runs the assistant, whose own tests (tests/agent, tests/walk) read every kind of text
TURNS = re.compile(r"^/(v1/assistant|api/ui)/")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = tmp_path_factory.mktemp("home")
    with scripted_api(home, default_model=SCRIPTED) as client:
        # the local token: every scope, so that every route reads the body rather than refuse the caller
        client.headers["Authorization"] = f"Bearer {read_local_token(home)}"
        yield client


def _routes(api: TestClient) -> list[tuple[str, str, list[str]]]:
    """(method, path with its parameters filled in, the fields of its JSON body) of every route the app documents."""
    schema = api.app.openapi()  # type: ignore[attr-defined]
    out = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").removeprefix("#/components/schemas/")
            fields = list(schema["components"]["schemas"][ref].get("properties", {})) if ref else []
            out.append((method.upper(), re.sub(r"\{[^}]+\}", "nothing", path), fields))
    return out


def _check(answer: Any, what: str) -> None:
    assert answer.status_code < 500 or answer.status_code == 501, f"{what}: {answer.status_code} {answer.text[:300]}"
    assert "Traceback" not in answer.text, what
    if answer.status_code >= 400 and answer.headers.get("content-type", "").startswith("application/json"):
        assert isinstance(answer.json().get("error", {}).get("message"), str), f"{what}: {answer.text[:300]}"


def test_every_route_answers_bodies_it_cannot_read_with_a_4xx(api: TestClient) -> None:
    routes = _routes(api)
    assert len(routes) > 40
    for method, path, fields in routes:
        if method == "GET":
            _check(api.get(path, params={"limit": "-1", "q": "\u0000"}), f"GET {path}")
        for raw in RAW if fields else RAW[:2]:  # a route without a JSON body reads none
            _check(api.request(method, path, content=raw, headers={"content-type": "application/json"}),
                   f"{method} {path} {raw[:30]!r}")


# a valid value of each field that some route requires, so that each other field's value is what is refused
VALID = {"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}], "input": "hi", "prompt": "hi",
         "text": "hi"}
EACH = 4  # values tried per field, taken in turn from VALUES: every value reaches fields of every route


def test_each_field_of_each_body_takes_wrong_values_without_a_500(api: TestClient) -> None:
    fuzzed = 0
    for method, path, fields in _routes(api):
        base = json.dumps({k: v for k, v in VALID.items() if k in fields})
        for name in fields:
            start, fuzzed = fuzzed, fuzzed + EACH
            for value in (VALUES[(start + i) % len(VALUES)] for i in range(EACH)):
                if name == "text" and value.startswith('"') and TURNS.match(path):
                    continue
                body = base[:-1] + (", " if base != "{}" else "") + f'"{name}": {value}}}'
                answer = api.request(method, path, content=body.encode(), headers={"content-type": "application/json"})
                _check(answer, f"{method} {path} {name}={value[:40]}")
    assert fuzzed > 300


def test_numbers_json_does_not_have_are_a_400_wherever_they_are(api: TestClient) -> None:
    """NaN and Infinity: an answer that echoed one (a Response echoes ``text``, ``tools``) was a 500 it could not
    write; deeper in a tool's schema or a message they are refused the same way, and the 400 names where."""
    for path, body, where in [
            ("/v1/responses", '{"model": "%s", "input": "hi", "text": {"x": NaN}}', "text.x"),
            ("/v1/responses", '{"model": "%s", "input": "hi", "tools": [{"type": "function", "name": "f", '
                              '"parameters": {"type": "object", "maximum": Infinity}}]}',
             "tools[0].parameters.maximum"),
            ("/v1/chat/completions", '{"model": "%s", "messages": [{"role": "user", "content": "hi"}], '
                                     '"temperature": -Infinity}', "temperature")]:
        answer = api.post(path, content=(body % SCRIPTED).encode(), headers={"content-type": "application/json"})
        assert answer.status_code == 400, answer.text
        assert "a number JSON does not have" in answer.json()["error"]["message"]
        assert answer.json()["error"]["param"] == where


def test_a_body_sent_as_a_form_is_told_to_be_json(api: TestClient) -> None:
    """``curl -d '{...}'`` sends JSON as a form: the 400 says what to send rather than pydantic's words."""
    body = json.dumps({"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}]})
    for headers in ({"content-type": "application/x-www-form-urlencoded"}, {}):
        answer = api.post("/v1/chat/completions", content=body.encode(), headers=headers)
        assert answer.status_code == 400, answer.text
        assert "Content-Type: application/json" in answer.json()["error"]["message"]


def _tools(count: int, properties: int) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": f"f{i}", "parameters": {
        "type": "object", "properties": {f"p{j}": {"type": "string"} for j in range(properties)}}}}
        for i in range(count)]


@pytest.mark.parametrize(("tools", "param"), [(_tools(129, 1), "tools"), (_tools(2, 2501), "tools")],
                         ids=["129 functions", "5002 properties"])
def test_what_checking_tools_costs_is_bounded(api: TestClient, tools: list[dict[str, Any]], param: str) -> None:
    """OpenAI's bounds: 128 functions, 5,000 properties. Each schema is checked and compiled before the model runs:
    40 functions of 300 properties (4 MB) held a core for over a minute."""
    chat = api.post("/v1/chat/completions", json={"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}],
                                                  "tools": tools})
    flat = [{"type": "function", **t["function"]} for t in tools]
    responses = api.post("/v1/responses", json={"model": SCRIPTED, "input": "hi", "tools": flat})
    for answer in (chat, responses):
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["param"] == param


def test_checking_a_request_s_schemas_leaves_the_server_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request's schemas are checked off the event loop: while one is checked, the server answers others (it
    answered nothing until the check ended)."""
    body = {"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}], "tools": _tools(1, 1)}
    _answers_while_held(tmp_path, monkeypatch, schemas, "check_parameters", body)


def _answers_while_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str,
                        body: dict[str, Any]) -> None:
    """``owner.name``, held until ``/healthz`` has answered while a chat completion of ``body`` waits for it."""
    checking, released, order = threading.Event(), threading.Event(), []
    real = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        checking.set()
        released.wait(10)
        order.append("checked")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    with scripted_api(tmp_path) as api:
        heavy = threading.Thread(target=api.post, args=("/v1/chat/completions",), kwargs={"json": body})
        heavy.start()
        assert checking.wait(10)
        assert api.get("/healthz").status_code == 200
        order.append("healthz")
        released.set()
        heavy.join()
    assert order == ["healthz", "checked"]


def test_a_function_checked_once_is_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients send the same tools with every turn; checking one costs up to seconds (R23-5). Another schema, or the
    same one under another name, is checked."""
    checked: list[str] = []
    monkeypatch.setattr(schemas, "check_schema", lambda schema, param: checked.append(param))
    schema = {"type": "object", "properties": {"nonce": {"type": "string", "description": str(id(checked))}}}
    for _ in range(3):
        schemas.check_parameters(schema, "f", "tools[0].function.parameters")
    schemas.check_parameters(schema, "g", "tools[1].function.parameters")
    assert checked == ["tools[0].function.parameters", "tools[1].function.parameters"]


def test_checking_a_body_s_values_leaves_the_server_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON body is checked for values no answer could hold (limits.check_json) before any route runs; a 4 MB
    body holds millions of values, and that walk ran on the event loop: 7 s for 2 million numbers, the whole server
    held. Now it runs in the threadpool, so other requests are answered meanwhile."""
    body = {"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}]}
    _answers_while_held(tmp_path, monkeypatch, app_module, "check_json", body)


def test_a_body_without_a_bad_value_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a body json's C encoder refuses (a NaN, a lone surrogate) is walked in Python to name the place."""
    walked: list[Any] = []
    real = limits._bad_scalar
    monkeypatch.setattr(limits, "_bad_scalar", lambda value: walked.append(value) or real(value))
    limits.check_json({"x": list(range(limits.MAX_ENTRIES)), "y": ["é" * 10] * 1000, "z": 1.5}, 2048)
    assert walked == []
    with pytest.raises(InvalidRequest) as refused:
        limits.check_json({"x": [0, 1, {"y": [float("nan")]}]}, 2048)
    assert refused.value.param == "x[2].y[0]"
    assert walked


# bodies parsed in steps (tandem.api.bodies) as json.loads parses them: values, duplicate keys, escapes, constants,
# a BOM and UTF-16, and every kind of error
PARSED = [b'{"a": [1, 2.5, -3e10, true, false, null, "x\\u00e9\\ud800"], "a": {"b": NaN}, "c": -Infinity}', b" [ ] ",
          b"{}", b'"s"', b"12", b"\xef\xbb\xbf{\"bom\": 1}", '{"u": ["\u00e9", {"v": {}}]}'.encode("utf-16"),
          b"[" + b'[1,{"k":[2,3]},"a,b]"],' * 50 + b"[]]", b"[" * 300 + b"]" * 300, b"[" * 3000 + b"]" * 3000,
          b"", b"[1,]", b'{"a" 1}', b"[1] x", b'{"a":1,}', b"[" + b"[]," * 50 + b"[]", b"[1,,2]", b"\xff\xfe\xfd",
          b"[" + b"1" * 5000 + b"]", b"[" + b'{"a":[1,2]},' * 50 + b'{"a":[1,2}]', b"[NaNx]", b'["a\x01"]', b"[1, ]"]


def _parsed(parse: Any, body: bytes) -> tuple[str, str]:
    try:
        return "value", json.dumps(parse(body))
    except (ValueError, RecursionError) as exc:
        return "error", type(exc).__name__


@pytest.mark.parametrize("body", PARSED)
def test_a_body_parsed_in_steps_is_what_json_parses(monkeypatch: pytest.MonkeyPatch, body: bytes) -> None:
    """Every container longer than 8 characters is parsed by json's Python steps: the value, or the kind of error
    (the route's 400), is json.loads's."""
    monkeypatch.setattr(bodies, "_WINDOWS", (8,))
    assert _parsed(bodies.loads, body) == _parsed(json.loads, body)


def _every_route(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        yield route
        yield from _every_route(getattr(getattr(route, "original_router", None), "routes", []))


def test_every_route_that_takes_a_body_parses_it_off_the_loop(api: TestClient) -> None:
    """A router made without ``route_class=ParsedRoute`` would parse its bodies on the event loop again."""
    taking = [route for route in _every_route(api.app.routes)  # type: ignore[attr-defined]
              if isinstance(route, APIRoute) and route.methods & {"POST", "PUT", "PATCH"}]
    assert len(taking) > 20
    assert [route.path for route in taking if not isinstance(route, bodies.ParsedRoute)] == []


def test_parsing_a_body_of_many_values_leaves_the_server_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FastAPI parsed every JSON body on the event loop: a 4 MB body of 1.3 million empty lists held the whole server
    0.8 s (bench/api_bodies.py). Now a body of many values (here: any) is parsed on a worker thread, in steps."""
    monkeypatch.setattr(bodies, "_FEW", 0)
    body = {"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}]}
    _answers_while_held(tmp_path, monkeypatch, bodies, "loads", body)


def test_a_body_of_many_values_is_checked_in_steps_with_the_same_answer() -> None:
    """Such a body's check walks it in Python (the C encoder would hold the loop): the same places are named."""
    for data in ({"x": [0, 1, {"y": [float("nan")]}]}, {"m": ["ok", {"k": "\ud800"}]}, [[1e400]]):
        answers = []
        for stepwise in (False, True):
            with pytest.raises(InvalidRequest) as refused:
                limits.check_json(data, 2048, stepwise)
            answers.append((str(refused.value), refused.value.param))
        assert answers[0] == answers[1]
    limits.check_json({"x": list(range(1000)), "y": ["é"] * 10}, 2048, True)


def test_too_many_inputs_are_refused_before_they_are_validated(api: TestClient) -> None:
    """Each member of embeddings' input union (text, texts, token ids, lists of them) was tried on every item: a 4 MB
    body of 1.3 million empty lists held the event loop ~10 s in validation. More inputs than a request may hold are
    now refused first, with the answer they got after validation (token ids; too long)."""
    from tandem.api.embeddings import MAX_INPUTS

    for items, said in (([{}] * (MAX_INPUTS + 1), "input holds token ids"),
                        (list(range(MAX_INPUTS + 1)), "input holds token ids"),  # one input as token ids (R25-7)
                        (["Kino"] * (MAX_INPUTS + 1), f"(this request: {MAX_INPUTS + 1} texts, the longest 4)")):
        answer = api.post("/v1/embeddings", json={"model": "device:e5-small", "input": items})
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error["param"] == "input" and said in error["message"]


def test_a_long_prompt_list_that_is_not_texts_is_refused_before_it_is_validated(api: TestClient) -> None:
    """The same for /v1/completions' prompt: refused with the answer token ids get, before the union tries them."""
    answer = api.post("/v1/completions", json={"model": SCRIPTED, "prompt": [{}] * 3000})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["param"] == "prompt" and "token ids are not accepted" in error["message"]


@pytest.mark.parametrize("body", [{"model": SCRIPTED, "messages": [{"role": "user", "content": [[]] * 10_001}]},
                                  {"model": SCRIPTED, "messages": [{"role": "user", "content": "hi"}],
                                   "stop": [[]] * 10_001}])
def test_a_list_longer_than_any_request_holds_is_refused_before_validation(api: TestClient,
                                                                           body: dict[str, Any]) -> None:
    """Validation (on the event loop) tries each member of a union on every entry: 300,000 empty lists as a message's
    content took 1.9 s. A list or object of more entries than any request of the API holds is refused first."""
    answer = api.post("/v1/chat/completions", json=body)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["message"] == f"a list or object in the request holds 10001 entries; at most {limits.MAX_ENTRIES}"
    assert error["param"] in ("messages[0].content", "stop")


def test_a_body_that_fails_to_parse_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A route's dependency and the route itself both ask for the JSON: a bad body of many values costs one parse."""
    monkeypatch.setattr(bodies, "_FEW", 0)
    parsed: list[bytes] = []
    real = bodies.loads
    monkeypatch.setattr(bodies, "loads", lambda body: parsed.append(body) or real(body))

    async def main() -> list[str]:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"[1, 2,", "more_body": False}

        request = bodies.ParsedRequest({"type": "http", "method": "POST", "headers": []}, receive)
        errors = []
        for _ in range(2):
            with pytest.raises(json.JSONDecodeError) as failed:
                await request.json()
            errors.append(failed.value.msg)
        return errors

    assert anyio.run(main) == ["Expecting value"] * 2 and parsed == [b"[1, 2,"]
