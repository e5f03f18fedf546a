"""Error bodies say what was asked for without echoing it whole: a client's id, model name or path of thousands of
characters comes back cut to its first 100, as the host check cuts a host (tandem.api.security)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tandem.api.app import create_app
from tandem.api.errors import cut_echoes
from tandem.models.registry import ModelRegistry
from tests.conftest import LiveServer

LONG = "x" * 5000
# (method, path, JSON body): each names LONG where it names a thing
ASKED = [
    ("GET", f"/v1/assistant/conversations/{LONG}", None),
    ("POST", f"/v1/assistant/conversations/{LONG}/messages", {"text": "hi"}),
    ("GET", f"/v1/assistant/tasks/{LONG}", None),
    ("POST", f"/v1/assistant/tasks/{LONG}/cancel", None),
    ("POST", f"/v1/assistant/confirmations/{LONG}/decline", None),
    ("GET", f"/v1/models/{LONG}", None),
    ("GET", f"/v1/responses/{LONG}", None),
    ("DELETE", f"/v1/responses/{LONG}", None),
    ("GET", f"/v1/{LONG}", None),
    ("POST", "/v1/chat/completions", {"model": LONG, "messages": [{"role": "user", "content": "hi"}]}),
    ("POST", "/v1/embeddings", {"model": LONG, "input": "hi"}),
    ("POST", "/v1/responses", {"model": "device:tiny", "input": "hi", "previous_response_id": LONG}),
    ("POST", "/v1/chat/completions", {"model": "device:tiny", "messages": [{"role": "user", "content": "hi"}],
                                      "tools": [{"type": "function", "function": {"name": "a"}}],
                                      "tool_choice": {"type": "function", "function": {"name": LONG}}}),
]


@pytest.fixture(scope="module")
def server(tiny_gguf: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from tandem.config import load_settings
    from tests.conftest import register_tiny

    home = tmp_path_factory.mktemp("errors-home")
    register_tiny(home, tiny_gguf)  # type: ignore[arg-type]
    with LiveServer(create_app(ModelRegistry(load_settings(home=home, default_model="device:tiny")))) as live:
        yield live


@pytest.mark.parametrize(("method", "path", "body"), ASKED, ids=[f"{m} {p[:40]} {i}" for i, (m, p, _) in
                                                                 enumerate(ASKED)])
def test_an_error_echoes_at_most_100_characters_of_what_was_asked(server: LiveServer, method: str, path: str,
                                                                   body: dict[str, object] | None) -> None:
    answer = httpx.request(method, server.url + path, json=body, headers=server.local, timeout=30)
    assert 400 <= answer.status_code < 500, answer.text[:300]
    error = answer.json()["error"]
    assert "x" * 90 in error["message"] and "x" * 101 not in error["message"], error["message"][:300]
    assert "…" in error["message"]
    assert len(answer.text) < 1000, answer.text[:300]


def test_only_quoted_values_are_cut() -> None:
    said = "this model's context is 512 tokens; the messages take 600 (shorten the conversation's start)"
    assert cut_echoes(said * 3) == said * 3
    assert cut_echoes(f"no task {'a' * 150!r}") == f"no task '{'a' * 100}…'"
