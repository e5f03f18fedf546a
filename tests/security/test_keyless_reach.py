"""What a caller without a credential (any process on the device, when no key is configured) can reach
(issue 13): it may talk to the assistant, but it cannot read or change what Tandem remembers about the user
(memory items, recommendations: the ``privacy`` scope), and it never sees, cancels or continues the
conversations of the user's own clients (the CLI with the local token, the web app opened with its link).
Its own conversations stay its own, and the user's own clients may act on them (an app without a
credential asks; the user confirms). Before, a keyless caller owned the same conversations as the CLI and
got 200 on every memory route but export and erase. A real server with the reference partners."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx

from tandem.keys import login_code
from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.security.conftest import SENTENCE
from tests.security.test_keys import bearer, create_key
from tests.security.test_local_credential import _refused

UI = {"X-Tandem-UI": "1"}


def _opened(http: httpx.Client, **headers: str) -> dict[str, Any]:
    reply = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=headers)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    assert [t["state"] for t in body["tasks"]] == ["awaiting-confirmation"] * 2
    return body


def test_a_keyless_caller_cannot_read_or_change_memory(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        made = http.post("/v1/memory/items", json={"text": "I love turkish food"}, headers=server.local)
        assert made.status_code == 200, made.text
        item = made.json()["id"]
        before = http.get("/v1/memory/items", headers=server.local).json()["data"]
        for method, path, body in [("GET", "/v1/memory/items", None),
                                   ("POST", "/v1/memory/items", {"key": "cuisine", "value": "kebab"}),
                                   ("PATCH", f"/v1/memory/items/{item}", {"polarity": -1}),
                                   ("DELETE", f"/v1/memory/items/{item}", None),
                                   ("POST", "/v1/recommendations", {"text": "something to eat"}),
                                   ("POST", "/v1/recommendations/feedback", {"item_id": "food:x", "action": "accept"})]:
            _refused(http.request(method, path, json=body, headers={**UI, "X-Tandem-Client": "memory-page"}))
        assert http.get("/v1/memory/items", headers=server.local).json()["data"] == before
        assert [i["id"] for i in before] == [item]


def test_a_keyless_caller_never_reaches_the_users_own_conversations(server: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        mine = _opened(http, **server.local)  # the user's own client
        conversation, task = mine["conversation_id"], mine["tasks"][0]
        for headers in ({}, {"X-Tandem-Client": "anything"}, {"Authorization": "Bearer local"}):
            assert http.get("/v1/assistant/tasks", headers=headers).json()["data"] == []
            assert http.get("/api/ui/tasks", headers=headers).json()["tasks"] == []
            for method, path in [("GET", f"/v1/assistant/conversations/{conversation}"),
                                 ("GET", f"/v1/assistant/tasks/{task['id']}"),
                                 ("GET", f"/v1/assistant/tasks?conversation_id={conversation}"),
                                 ("GET", f"/api/ui/tasks?conversation_id={conversation}"),
                                 ("POST", f"/v1/assistant/tasks/{task['id']}/cancel"),
                                 ("POST", f"/api/ui/tasks/{task['id']}/cancel")]:
                answer = http.request(method, path, headers={**headers, **UI})
                assert answer.status_code == 404, (path, headers, answer.text)
                assert answer.json()["error"]["type"] == "invalid_request_error"
            said = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "nein"},
                             headers=headers)
            assert said.status_code == 404, said.text
            chat = http.post("/v1/chat/completions", headers={**headers, "X-Tandem-Conversation": conversation},
                             json={"model": "tandem:assistant", "messages": [{"role": "user", "content": "nein"}]})
            assert chat.status_code == 404, chat.text
            # the server's own earlier answer pasted into the history does not continue the user's conversation
            pasted = http.post("/v1/chat/completions", headers=headers, json={"model": "tandem:assistant", "messages": [
                {"role": "user", "content": SENTENCE}, {"role": "assistant", "content": mine["text"]},
                {"role": "user", "content": "Stopp, abbrechen"}]})
            assert pasted.status_code == 200 and pasted.headers["X-Tandem-Conversation"] != conversation
        states = [t["state"] for t in http.get("/v1/assistant/tasks", headers=server.local).json()["data"]]
        assert states == ["awaiting-confirmation"] * 2


def test_a_keyless_callers_conversation_is_its_own_and_the_users(server: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        asked = _opened(http)  # an app without a credential asks ...
        conversation, (food, film) = asked["conversation_id"], asked["tasks"]
        listed = http.get("/v1/assistant/tasks", params={"conversation_id": conversation}).json()["data"]
        assert [t["id"] for t in listed] == [food["id"], film["id"]]  # by the id it was told
        assert http.get(f"/v1/assistant/conversations/{conversation}").status_code == 200
        assert http.get("/v1/assistant/tasks", headers={"X-Tandem-Client": "other-app"}).json()["data"] == []
        cancelled = http.post(f"/v1/assistant/tasks/{film['id']}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled", cancelled.text
        # ... and the user's own clients see it and confirm: the CLI's token, the web app's login session
        listed = http.get("/v1/assistant/tasks", headers=server.local).json()["data"]
        assert {t["id"]: t["state"] for t in listed} == {food["id"]: "awaiting-confirmation", film["id"]: "cancelled"}
        page = http.post("/api/ui/session", json={"key": login_code(home)}, headers=UI)
        assert page.status_code == 200, page.text
        cards = http.get("/api/ui/tasks", params={"conversation_id": conversation}).json()["tasks"]
        assert [c["id"] for c in cards] == [food["id"], film["id"]]
        done = http.post(f"/api/ui/confirmations/{food['confirmation_id']}/confirm", headers=UI)
        assert done.status_code == 200 and done.json()["task"]["state"] == "done", done.text
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_a_key_named_local_is_not_the_device(server: LiveServer, home: Path) -> None:
    """The device's own credential may act on keyless callers' conversations; a key the user happened to call
    "local" is an app's key like any other."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        asked = _opened(http)
        key = bearer(create_key(home, "local", "assistant,confirm"))
        assert http.get("/v1/assistant/tasks", headers=key).json()["data"] == []
        task = asked["tasks"][0]
        assert http.post(f"/v1/assistant/tasks/{task['id']}/cancel", headers=key).status_code == 404
        confirm = http.post(f"/v1/assistant/confirmations/{task['confirmation_id']}/confirm", headers=key)
        assert confirm.status_code == 404, confirm.text
        assert len(http.get("/v1/assistant/tasks", headers=server.local).json()["data"]) == 2


def test_keyless_callers_reach_each_others_conversations_by_nothing_they_can_guess(server: LiveServer) -> None:
    """Two local processes without a credential and without a bearer value share one identity: neither may list
    the other's conversations (before, either listed both), an Idempotency-Key the other chose does not hand
    over its conversation (before, the same key fetched the other's tasks, with their ids), and task ids are
    128 random bits (were 32). A bearer value that is not a key (README's ``api_key="local"``) is no namespace to
    list either: every app that copied it sends the same."""
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with httpx.Client(base_url=server.url, timeout=120) as http:
        first = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
        assert first.status_code == 200, first.text
        theirs = {t["id"] for t in first.json()["tasks"]}
        assert all(re.fullmatch(r"t-[0-9a-f]{32}", t) for t in theirs), theirs
        for headers in ({}, {"X-Tandem-Client": "anything"}):  # the other process, with or without a name
            assert http.get("/v1/assistant/tasks", headers=headers).json()["data"] == []
            assert http.get("/api/ui/tasks", headers=headers).json()["tasks"] == []
        other = http.post("/v1/assistant/conversations", json={"text": "Bestell mir eine Pizza nach Hause"},
                          headers=key)
        assert other.status_code == 200, other.text
        assert other.json()["conversation_id"] != first.json()["conversation_id"]
        assert theirs.isdisjoint(t["id"] for t in other.json()["tasks"])
        again = http.post(f"/v1/assistant/conversations/{other.json()['conversation_id']}/messages",
                          json={"text": SENTENCE}, headers=key)
        assert again.status_code == 200, again.text
        assert theirs.isdisjoint(t["id"] for t in again.json()["tasks"]), again.text
        # the first process still has what it was told: its conversation and tasks by their ids
        replay = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
        assert {t["id"] for t in replay.json()["tasks"]} == theirs  # a real retry still gets its own answer
        assert http.get(f"/v1/assistant/tasks/{min(theirs)}").status_code == 200

        # a bearer value that is not a key is no secret either: README's api_key="local" is every such app's
        readme = {"Authorization": "Bearer local"}
        kept = _opened(http, **readme)
        assert http.get("/v1/assistant/tasks", headers=readme).json()["data"] == []  # another app sending it
        assert http.get("/api/ui/tasks", headers=readme).json()["tasks"] == []
        assert http.get(f"/v1/assistant/conversations/{kept['conversation_id']}", headers=readme).status_code == 200
        assert http.get(f"/v1/assistant/conversations/{kept['conversation_id']}").status_code == 404
        owner = {t["id"] for t in http.get("/v1/assistant/tasks", headers=server.local).json()["data"]}
        assert theirs | {t["id"] for t in kept["tasks"]} <= owner  # the user's own client sees them all


def test_a_keyless_caller_must_send_an_idempotency_key_no_other_process_can_guess(server: LiveServer) -> None:
    """Review of session 8, R16: callers without a credential share one identity, so the key is all that tells
    their requests apart; before, another process sending the same short key ("1") and the same text was answered
    with the first one's conversation and tasks. A key too short to be random is refused (never ignored: a retry
    would order twice); a random one still answers a retry; the user's own client may send any key."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        before = len(http.get("/v1/assistant/tasks", headers=server.local).json()["data"])
        for who in ({}, {"X-Tandem-Client": "app"}, {"Authorization": "Bearer local"}):
            refused = http.post("/v1/assistant/conversations", json={"text": SENTENCE},
                                headers={"Idempotency-Key": "1", **who})
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"]["param"] == "Idempotency-Key"
        assert len(http.get("/v1/assistant/tasks", headers=server.local).json()["data"]) == before  # nothing made
        key = {"Idempotency-Key": str(uuid.uuid4())}
        first = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
        retry = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=key)
        assert first.status_code == retry.status_code == 200, retry.text
        assert retry.json()["conversation_id"] == first.json()["conversation_id"]  # a lost answer, asked again
        said = http.post(f"/v1/assistant/conversations/{first.json()['conversation_id']}/messages",
                         json={"text": "nein"}, headers={"Idempotency-Key": "2"})
        assert said.status_code == 400, said.text
        mine = {"Idempotency-Key": "1", **server.local}
        own = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=mine)
        again = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=mine)
        assert own.status_code == again.status_code == 200, again.text
        assert again.json()["conversation_id"] == own.json()["conversation_id"]
