"""A retry of ``POST /v1/assistant/conversations`` with the same ``Idempotency-Key`` lands in the
conversation the first request made. Its text is a turn there like any other, so a "yes" in it confirms
only for a caller with the ``confirm`` scope: a loopback caller without a credential buys nothing."""

from __future__ import annotations

from pathlib import Path

import httpx

from tandem.keys import read_local_token
from tests.conftest import LiveServer
from tests.security.test_keys import bearer
from tests.web.test_browser import SENTENCE


def _states(http: httpx.Client, **headers: str) -> list[str]:
    return [t["state"] for t in http.get("/v1/assistant/tasks", headers=headers).json()["data"]]


def test_a_retried_first_turn_saying_yes_buys_only_with_a_credential(server: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        first = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers={"Idempotency-Key": "k1"})
        assert first.status_code == 200, first.text
        assert _states(http) == ["awaiting-confirmation"] * 2
        again = http.post("/v1/assistant/conversations", json={"text": "yes"}, headers={"Idempotency-Key": "k1"})
        assert again.status_code == 200, again.text
        assert again.json()["conversation_id"] == first.json()["conversation_id"]
        assert _states(http) == ["awaiting-confirmation"] * 2

        token = read_local_token(home)
        assert token is not None
        owned = {"Idempotency-Key": "k2", **bearer(token)}
        mine = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=owned)
        assert mine.status_code == 200, mine.text
        yes = http.post("/v1/assistant/conversations", json={"text": "yes"}, headers=owned)
        assert yes.status_code == 200, yes.text
        assert _states(http) == ["awaiting-confirmation"] * 2  # the keyless caller's own tasks only
        assert sorted(_states(http, **owned)) == ["awaiting-confirmation"] * 2 + ["done"] * 2  # the user sees both
