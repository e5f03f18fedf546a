"""/v1/responses, /v1/completions and /v1/embeddings as the official client calls them, on the tiny model
(its words are noise; the shapes, events, tool items and errors are what is tested)."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.conftest import TINY, LiveServer

BOOK = {"type": "function", "name": "book", "description": "Book seats",
        "parameters": {"type": "object", "properties": {"count": {"type": "integer", "enum": [1, 2]}},
                       "required": ["count"], "additionalProperties": False}}


def client(server: LiveServer, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0, timeout=120)


def test_responses_text_whole_and_streamed(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    whole = c.responses.create(model=TINY, input="hello", instructions="Be brief.", max_output_tokens=8)
    assert whole.object == "response" and whole.status in ("completed", "incomplete")
    assert whole.output_text and whole.usage and whole.usage.output_tokens > 0
    events = list(c.responses.create(model=TINY, input=[{"role": "user", "content": "hi"}], max_output_tokens=8,
                                     stream=True))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"] and kinds[-1] == "response.completed"
    assert "response.output_text.delta" in kinds and "response.output_text.done" in kinds
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert events[-1].response.output_text == deltas  # type: ignore[union-attr]


def test_responses_function_call_round_trip(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    first = c.responses.create(model=TINY, input="book one", tools=[BOOK],  # type: ignore[list-item]
                               tool_choice={"type": "function", "name": "book"}, max_output_tokens=120)
    calls = [item for item in first.output if item.type == "function_call"]
    assert calls and calls[0].name == "book" and json.loads(calls[0].arguments)["count"] in (1, 2)
    follow = c.responses.create(
        model=TINY, tools=[BOOK], tool_choice="none", max_output_tokens=5,  # type: ignore[list-item]
        input=[{"role": "user", "content": "book one"}, calls[0].model_dump(exclude_none=True),
               {"type": "function_call_output", "call_id": calls[0].call_id, "output": '{"ok": true}'}])
    assert follow.status in ("completed", "incomplete") and not [i for i in follow.output if i.type != "message"]
    streamed = list(c.responses.create(model=TINY, input="book one", tools=[BOOK],  # type: ignore[list-item]
                                       tool_choice="required", max_output_tokens=120, stream=True))
    kinds = [e.type for e in streamed]
    assert "response.function_call_arguments.done" in kinds and kinds[-1] == "response.completed"


def test_responses_json_schema_and_refusals(tiny_server: LiveServer) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2, 3]}}, "required": ["n"],
              "additionalProperties": False}
    out = client(tiny_server).responses.create(
        model=TINY, input="a number", max_output_tokens=30,
        text={"format": {"type": "json_schema", "name": "n", "schema": schema, "strict": True}})
    assert json.loads(out.output_text)["n"] in (1, 2, 3)
    with pytest.raises(openai.BadRequestError):
        client(tiny_server).responses.create(model=TINY, input="hi", tools=[{"type": "web_search"}])


def test_legacy_completions(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    out = c.completions.create(model=TINY, prompt=["Once upon", "a time"], max_tokens=5, seed=1)
    assert out.object == "text_completion" and [ch.index for ch in out.choices] == [0, 1]
    assert all(ch.finish_reason in ("stop", "length") for ch in out.choices)
    assert out.usage and out.usage.completion_tokens > 0
    pieces = list(c.completions.create(model=TINY, prompt="Once upon", max_tokens=6, stream=True))
    assert "".join(p.choices[0].text for p in pieces) and pieces[-1].choices[0].finish_reason


def test_legacy_completions_logprobs(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    choice = c.completions.create(model=TINY, prompt="Once upon", max_tokens=5, temperature=0,
                                  logprobs=2).choices[0]
    scored = choice.logprobs
    assert scored is not None and scored.tokens and scored.token_logprobs and scored.top_logprobs
    assert len(scored.tokens) == len(scored.token_logprobs) == len(scored.top_logprobs) == 5
    assert all(lp is not None and lp <= 0 for lp in scored.token_logprobs)
    for top, lp in zip(scored.top_logprobs, scored.token_logprobs, strict=True):
        assert len(top) <= 2 and max(top.values()) == lp  # greedy: the likeliest token was taken
    assert scored.text_offset == [sum(len(t) for t in scored.tokens[:i]) for i in range(5)]
    streamed = [t for p in c.completions.create(model=TINY, prompt="Once upon", max_tokens=5, temperature=0,
                                                logprobs=2, stream=True)
                if p.choices[0].logprobs for t in p.choices[0].logprobs.token_logprobs or []]
    assert streamed == pytest.approx(scored.token_logprobs, abs=1e-3)
    with pytest.raises(openai.BadRequestError):
        c.completions.create(model=TINY, prompt=[[1, 2, 3]], max_tokens=3)


def test_embeddings_options(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    with pytest.raises(openai.BadRequestError) as ids:
        c.embeddings.create(model="device:e5-small", input=[[15339, 1917]])
    assert ids.value.body["param"] == "input"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError) as dims:
        c.embeddings.create(model="device:e5-small", input="x", dimensions=256)
    assert "384" in str(dims.value.body["message"])  # type: ignore[index]
    with pytest.raises(openai.NotFoundError):
        c.embeddings.create(model="text-embedding-3-large", input="x")
    out = c.embeddings.create(model="device:e5-small", input="Kino", dimensions=384)
    assert len(out.data[0].embedding) == 384 and out.usage.prompt_tokens >= 3  # e5 counts its specials


def test_unknown_model_names_every_model(tiny_server: LiveServer) -> None:
    r = httpx.post(tiny_server.url + "/v1/chat/completions", timeout=30,
                   json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 404
    listed = {m["id"] for m in httpx.get(tiny_server.url + "/v1/models").json()["data"]}
    chat_ids = listed - {"device:e5-small"}
    assert chat_ids and all(i in r.json()["error"]["message"] for i in chat_ids), r.json()


def test_previous_response_id_continues_a_stored_response(tiny_server: LiveServer) -> None:
    c = client(tiny_server, "key-a")
    first = c.responses.create(model=TINY, input="My name is Ada.", instructions="Be brief.", max_output_tokens=4)
    assert first.store is True and c.responses.retrieve(first.id).output_text == first.output_text
    follow = c.responses.create(model=TINY, input="What is my name?", previous_response_id=first.id,
                                max_output_tokens=4)
    alone = c.responses.create(model=TINY, input="What is my name?", max_output_tokens=4, store=False)
    assert follow.previous_response_id == first.id and follow.usage and first.usage and alone.usage
    # the follow-up's prompt holds the first exchange (not its instructions) before the new question
    assert follow.usage.input_tokens > alone.usage.input_tokens + first.usage.output_tokens
    streamed = list(c.responses.create(model=TINY, input="And again?", previous_response_id=follow.id,
                                       max_output_tokens=4, stream=True))
    done = streamed[-1].response  # type: ignore[union-attr]
    assert done.previous_response_id == follow.id and done.usage.input_tokens > follow.usage.input_tokens
    assert c.responses.retrieve(done.id).id == done.id  # a streamed response is stored too


def test_stored_responses_belong_to_their_client(tiny_server: LiveServer) -> None:
    owner, other = client(tiny_server, "key-a"), client(tiny_server, "key-b")
    kept = owner.responses.create(model=TINY, input="secret plans", max_output_tokens=3)
    for attempt in (lambda: other.responses.retrieve(kept.id), lambda: other.responses.delete(kept.id)):
        with pytest.raises(openai.NotFoundError):
            attempt()
    with pytest.raises(openai.BadRequestError):  # previous_response_not_found, as for an id never issued
        other.responses.create(model=TINY, input="go on", previous_response_id=kept.id)
    unstored = owner.responses.create(model=TINY, input="forget this", max_output_tokens=3, store=False)
    assert unstored.store is False
    with pytest.raises(openai.BadRequestError):
        owner.responses.create(model=TINY, input="go on", previous_response_id=unstored.id)
    owner.responses.delete(kept.id)
    with pytest.raises(openai.NotFoundError):
        owner.responses.retrieve(kept.id)


def test_previous_response_id_carries_a_function_call(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    first = c.responses.create(model=TINY, input="book one", tools=[BOOK],  # type: ignore[list-item]
                               tool_choice={"type": "function", "name": "book"}, max_output_tokens=120)
    call = next(item for item in first.output if item.type == "function_call")
    # only the tool's output is sent: the call it answers comes from the stored response
    follow = c.responses.create(model=TINY, previous_response_id=first.id, tools=[BOOK],  # type: ignore[list-item]
                                tool_choice="none", max_output_tokens=4,
                                input=[{"type": "function_call_output", "call_id": call.call_id, "output": "{}"}])
    assert follow.status in ("completed", "incomplete") and follow.output_text


def test_responses_output_text_logprobs(tiny_server: LiveServer) -> None:
    c = client(tiny_server)
    out = c.responses.create(model=TINY, input="hi", max_output_tokens=5, temperature=0, top_logprobs=2,
                             include=["message.output_text.logprobs"], store=False)
    part = out.output[0].content[0]  # type: ignore[union-attr]
    assert part.logprobs and len(part.logprobs) <= 5
    assert all(lp.logprob <= 0 and len(lp.top_logprobs) == 2 for lp in part.logprobs)
    assert all(lp.logprob == lp.top_logprobs[0].logprob for lp in part.logprobs)  # greedy
    r = httpx.post(tiny_server.url + "/v1/responses", json={"model": TINY, "input": "hi", "top_logprobs": 2},
                   timeout=30)
    assert r.status_code == 400 and r.json()["error"]["param"] == "top_logprobs"


def test_embeddings_input_is_bounded_as_openais(tiny_server: LiveServer) -> None:
    """A megabyte held the server's e5 for ~15 minutes (walk4, session 14): a 400 naming input, answered at once."""
    from tandem.api.embeddings import MAX_CHARS, MAX_INPUTS, MAX_TOTAL

    c = client(tiny_server)
    for too_much in ("x " * MAX_CHARS, ["Kino"] * (MAX_INPUTS + 1), ["y" * MAX_CHARS] * (MAX_TOTAL // MAX_CHARS + 1)):
        with pytest.raises(openai.BadRequestError) as refused:
            c.embeddings.create(model="device:e5-small", input=too_much)
        assert refused.value.body["param"] == "input" and "too long" in refused.value.body["message"]  # type: ignore[index]
    assert len(c.embeddings.create(model="device:e5-small", input=["Kino"] * 3).data) == 3


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi", "name": None}], "max_tokens": 4}),
    ("/v1/completions", {"prompt": "hi", "max_tokens": 4}),
    ("/v1/responses", {"input": "hi", "max_output_tokens": 8}),
])
def test_null_parameters_mean_their_defaults(tiny_server: LiveServer, path: str, body: dict[str, object]) -> None:
    # OpenAI's schemas make the optional parameters nullable, and clients that write every field send null
    # (walk5: "temperature": null was a 400 on every endpoint)
    nulls = dict.fromkeys(("temperature", "top_p", "n", "stream", "echo", "store", "stop", "seed", "user"))
    answer = httpx.post(tiny_server.url + path, json={"model": TINY, **body, **nulls}, timeout=120)
    assert answer.status_code == 200, answer.text
    embedded = httpx.post(tiny_server.url + "/v1/embeddings", timeout=120,
                          json={"model": "device:e5-small", "input": "hi", "encoding_format": None, "dimensions": None})
    assert embedded.status_code == 200 and len(embedded.json()["data"][0]["embedding"]) == 384, embedded.text
