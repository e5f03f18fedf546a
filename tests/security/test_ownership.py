"""Conversations are their client's on every route (issue 13): the web app's /api/ui endpoints show and
decide only the caller's own tasks, as /v1/assistant does; a key without ``confirm`` cannot buy by
sending "yes" as a conversation message; a web session ends when its key is revoked. Keys against a real
server with the reference partners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.security.conftest import SENTENCE
from tests.security.test_keys import bearer, create_key
from tests.test_cli import tandem

UI = {"X-Tandem-UI": "1"}


def _pending(live: LiveServer, key: str) -> dict[str, Any]:
    reply = httpx.post(f"{live.url}/v1/assistant/conversations", json={"text": SENTENCE}, headers=bearer(key),
                       timeout=120)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    assert [t["state"] for t in body["tasks"]] == ["awaiting-confirmation"] * 2
    return body


def test_web_routes_serve_only_the_callers_own_tasks(server: LiveServer, home: Path) -> None:
    phone, laptop = create_key(home, "phone", "assistant,confirm"), create_key(home, "laptop", "assistant,confirm")
    mine = _pending(server, phone)
    task, conversation = mine["tasks"][0], mine["conversation_id"]
    with httpx.Client(base_url=server.url, timeout=120) as http:
        other = {**bearer(laptop), **UI}
        assert http.get("/api/ui/tasks", headers=other).json()["tasks"] == []
        assert http.get("/api/ui/tasks", params={"conversation_id": conversation}, headers=other).status_code == 404
        for path in (f"/api/ui/confirmations/{task['confirmation_id']}/confirm",
                     f"/api/ui/confirmations/{task['confirmation_id']}/decline",
                     f"/api/ui/tasks/{task['id']}/cancel"):
            assert http.post(path, headers=other).status_code == 404, path
        assert http.post(f"/api/ui/tasks/{task['id']}/answer", json={"text": "ja"}, headers=other).status_code == 404
        turn = http.post("/api/ui/turn", json={"text": "ja", "conversation_id": conversation}, headers=other)
        assert turn.status_code == 404
        assert {t["state"] for t in http.get("/api/ui/tasks", headers={**bearer(phone), **UI}).json()["tasks"]} == {
            "awaiting-confirmation"}
        done = http.post(f"/api/ui/confirmations/{task['confirmation_id']}/confirm", headers={**bearer(phone), **UI})
        assert done.status_code == 200 and done.json()["task"]["state"] == "done", done.text


def test_a_key_without_confirm_cannot_say_yes(server: LiveServer, home: Path) -> None:
    asker = create_key(home, "asker", "assistant")
    with httpx.Client(base_url=server.url, timeout=120) as http:
        opened = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=bearer(asker))
        assert opened.status_code == 200, opened.text
        conversation = opened.json()["conversation_id"]
        yes = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "ja"},
                        headers=bearer(asker))
        assert yes.status_code == 200, yes.text  # a turn like any other, but its "ja" answers nothing
        assert "darf keine Käufe bestätigen" in yes.json()["text"]
        states = {t["state"] for t in http.get("/v1/assistant/tasks", headers=bearer(asker)).json()["data"]}
        assert states == {"awaiting-confirmation"}



def test_a_web_session_ends_with_its_key(server: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as page:
        assert page.post("/api/ui/session", json={}, headers=UI).status_code == 200  # this device, no key yet
        assert page.get("/api/ui/tasks").status_code == 200
        key = create_key(home, "laptop", "assistant,confirm")
        create_key(home, "phone", "assistant,confirm")  # still a key after the laptop's is revoked
        assert page.get("/api/ui/tasks").status_code == 401  # a key exists now: the keyless session is over
        assert page.post("/api/ui/session", json={"key": key}, headers=UI).status_code == 200
        assert page.get("/api/ui/tasks").status_code == 200
        assert tandem("keys", "revoke", "laptop", home=home).returncode == 0
        assert page.get("/api/ui/tasks").status_code == 401
