"""`tandem:assistant` over /v1/chat/completions answers what it finds nothing to do in (a question, small talk) with
the chat model, as the web app and `tandem ask` do (walk2 W2-10). Before, an OpenAI client got "Sorry, I did not get
that." for every question, whole or streamed, while the same words in the web app were answered."""

from __future__ import annotations

import json

import httpx

from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer

SORRY = "Sorry, I did not get that."
ASK = {"model": "tandem:assistant", "max_tokens": 8,
       "messages": [{"role": "user", "content": "What is the capital of France?"}]}


def test_a_question_is_answered_by_the_chat_model(tiny_server: LiveServer, tiny_registry: ModelRegistry) -> None:
    server = tiny_server  # the app closes its assistant when the server stops (its lifespan)
    chat_model = tiny_registry.settings.default_model  # no routed model is configured here
    whole = httpx.post(f"{server.url}/v1/chat/completions", json=ASK, timeout=120)
    assert whole.status_code == 200, whole.text
    assert whole.json()["model"] == chat_model and whole.json()["choices"][0]["message"]["content"] != SORRY
    assert whole.headers["x-tandem-conversation"].startswith("conv-")
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", json={**ASK, "stream": True}, timeout=120) as sse:
        chunks = [json.loads(line[6:]) for line in sse.iter_lines() if line.startswith("data: {")]
    assert sse.status_code == 200 and {c["model"] for c in chunks} == {chat_model}
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"]) != SORRY
