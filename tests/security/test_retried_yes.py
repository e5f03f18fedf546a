"""An ``Idempotency-Key`` names one request: a retry of ``POST /v1/assistant/conversations`` (the same text, the
same key) answers with the conversation the first made, but a "yes" sent with that key is another request and
opens a conversation of its own, so it confirms nothing. Before the keys were bound to the text (issue 13),
the "yes" landed in the first conversation as a turn there; confirming it then hung on the caller's scope."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from tandem.keys import read_local_token
from tests.conftest import LiveServer
from tests.security.test_keys import bearer
from tests.web.test_browser import SENTENCE


def _states(http: httpx.Client, conversation: str, **headers: str) -> list[str]:
    listed = http.get("/v1/assistant/tasks", params={"conversation_id": conversation}, headers=headers)
    return [t["state"] for t in listed.json()["data"]]


def test_a_yes_under_the_key_of_a_first_turn_buys_nothing(server: LiveServer, home: Path) -> None:
    token = read_local_token(home)
    assert token is not None
    with httpx.Client(base_url=server.url, timeout=120) as http:
        for who in ({}, bearer(token)):  # a caller without a credential, and the user's own client
            key = {"Idempotency-Key": str(uuid.uuid4()), **who}  # random: a keyless caller's must be (R16)
            first = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
            assert first.status_code == 200, first.text
            conversation = first.json()["conversation_id"]
            retry = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
            assert retry.json()["conversation_id"] == conversation  # a lost answer, asked again
            assert [t["id"] for t in retry.json()["tasks"]] == [t["id"] for t in first.json()["tasks"]]
            yes = http.post("/v1/assistant/conversations", json={"text": "yes"}, headers=key)
            assert yes.status_code == 200, yes.text
            assert yes.json()["conversation_id"] != conversation and yes.json()["tasks"] == []
            assert _states(http, conversation, **who) == ["awaiting-confirmation"] * 2
