"""The sampling parameters OpenAI clients send reach the device model (presence and frequency penalties,
logit_bias, seed, stop, top_p), and what Tandem cannot honour (n > 1, a token outside the model's vocabulary) is a
400 naming the parameter, rather than being dropped. The tiny GGUF's vocabulary is bytes: token 120 is "x"."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.conftest import TINY, LiveServer

X = "120"  # the tiny model's token for "x"
HELLO = [{"role": "user", "content": "hello there"}]


def _client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_penalties_and_logit_bias_reach_the_device_model(tiny_server: LiveServer) -> None:
    client = _client(tiny_server)

    def said(**kw: Any) -> str | None:
        return client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=6, temperature=0,  # type: ignore[arg-type]
                                              **kw).choices[0].message.content

    greedy = said()
    assert said(frequency_penalty=2.0) != greedy and said(presence_penalty=2.0) != greedy
    assert said(logit_bias={X: 100}) == "x" * 6
    scored = client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=3, temperature=0,  # type: ignore[arg-type]
                                            logit_bias={X: 100}, logprobs=True).choices[0]
    assert [t.token for t in scored.logprobs.content] == ["x"] * 3  # type: ignore[union-attr]
    streamed = client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=3, logit_bias={X: 100},  # type: ignore[arg-type]
                                              stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in streamed if c.choices) == "xxx"
    completed = client.completions.create(model=TINY, prompt="hello", max_tokens=3, logit_bias={X: 100})
    assert completed.choices[0].text == "xxx"


def test_stop_seed_and_top_p_are_applied(tiny_server: LiveServer) -> None:
    client = _client(tiny_server)

    def answer(**kw: Any) -> tuple[str | None, str]:
        choice = client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=6, **kw).choices[0]  # type: ignore[arg-type]
        return choice.message.content, choice.finish_reason

    assert answer(logit_bias={X: 100}, stop=["x"]) == ("", "stop")
    assert answer(temperature=1.5, seed=3) == answer(temperature=1.5, seed=3)
    assert answer(temperature=1.5, top_p=1e-9, seed=5) == answer(temperature=0)  # only the likeliest token is left


@pytest.mark.parametrize(("asked", "param"), [
    ({"n": 2}, "n"),
    ({"logit_bias": {"abc": 1}}, "logit_bias"),
    ({"logit_bias": {"\u00b2": 1}}, "logit_bias"),  # a digit to str.isdigit, no number to int()
    ({"logit_bias": {X: 101}}, "logit_bias"),
    ({"logit_bias": {"262": -100}}, "logit_bias"),  # one past the tiny model's vocabulary
    ({"logit_bias": {str(i): -1 for i in range(1025)}}, "logit_bias"),  # each is added at every token
    ({"presence_penalty": 2.5}, "presence_penalty"),
    ({"frequency_penalty": -3}, "frequency_penalty"),
])
def test_what_cannot_be_honoured_is_refused(tiny_server: LiveServer, asked: dict[str, Any], param: str) -> None:
    client = _client(tiny_server)
    with pytest.raises(openai.BadRequestError) as chat:
        client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=2, **asked)  # type: ignore[arg-type]
    with pytest.raises(openai.BadRequestError) as completion:
        client.completions.create(model=TINY, prompt="hello", max_tokens=2, **asked)
    assert chat.value.param == completion.value.param == param, (chat.value, completion.value)


def test_n_1_and_text_as_clients_send_them_are_one_written_answer(tiny_server: LiveServer) -> None:
    client = _client(tiny_server)
    out = client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=2, n=1, modalities=["text"])  # type: ignore[arg-type]
    assert len(out.choices) == 1
    for asked, param in (({"modalities": ["text", "audio"]}, "modalities"),
                         ({"modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"}}, "audio")):
        with pytest.raises(openai.BadRequestError) as refused:
            client.chat.completions.create(model=TINY, messages=HELLO, max_tokens=2, **asked)  # type: ignore[arg-type]
        assert refused.value.param == param
