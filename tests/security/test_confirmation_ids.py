"""Confirmation ids are capabilities: with the ``confirm`` scope and the conversation, the id is what buys. They
had 32 random bits (``c-1a2b3c4d``); now 128, like task ids. A short form of one, or a guess of that length,
confirms nothing. A real server with the reference partners."""

from __future__ import annotations

import re

import httpx

from tests.conftest import LiveServer
from tests.security.conftest import pending_purchase


def test_a_guessed_short_confirmation_id_confirms_nothing(server: LiveServer) -> None:
    food, _ = pending_purchase(server)
    full = food["confirmation_id"]
    assert re.fullmatch(r"c-[0-9a-f]{32}", full), full
    with httpx.Client(base_url=server.url, timeout=120, headers=server.local) as http:  # every scope
        for guess in (full[:10], full[:-1], full.upper()):  # its first 32 bits, one digit short, another spelling
            refused = http.post(f"/v1/assistant/confirmations/{guess}/confirm")
            assert refused.status_code == 404, (guess, refused.text)
        assert http.get(f"/v1/assistant/tasks/{food['id']}").json()["state"] == "awaiting-confirmation"
        done = http.post(f"/v1/assistant/confirmations/{full}/confirm")
        assert done.status_code == 200 and done.json()["state"] == "done", done.text
