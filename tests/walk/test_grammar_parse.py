"""A schema part nothing satisfies (``"enum": []``, ``"anyOf": []``, ``"type": []``) is a 400, and the server lives
(walkthrough: one such tool, sent without a credential, killed ``tandem serve``: llama.cpp rejected the grammar and
the null sampler was used)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TINY, LiveServer


@pytest.mark.parametrize("part", [{"enum": []}, {"anyOf": []}, {"type": []}])
def test_a_schema_part_with_no_value_is_400_and_the_server_lives(tiny_server: LiveServer,
                                                                 part: dict[str, object]) -> None:
    schema = {"type": "object", "properties": {"a": part}, "required": ["a"]}
    ask = {"model": TINY, "messages": [{"role": "user", "content": "x"}], "max_tokens": 20}
    tools = [{"type": "function", "function": {"name": "f", "parameters": schema}}]
    tool = httpx.post(tiny_server.url + "/v1/chat/completions", timeout=60,
                      json={**ask, "tool_choice": "required", "tools": tools})
    assert tool.status_code == 400, tool.text
    fmt = httpx.post(tiny_server.url + "/v1/chat/completions", timeout=60, json={
        **ask, "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}})
    assert fmt.status_code == 400, fmt.text
    alive = httpx.post(tiny_server.url + "/v1/chat/completions", timeout=60, json={**ask, "max_tokens": 2})
    assert alive.status_code == 200
