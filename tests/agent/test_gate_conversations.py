"""Conversations the server owns (issue 13): ids are issued by the server and bound to the client that
opened them; over chat completions the conversation comes from an explicit id, never from the chat's
text; a "yes" confirms exactly what the last answer of that conversation asked about. On a real uvicorn
server with the reference partners as real MCP processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.agent.journal import Journal
from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.errors import NotFound
from tandem.models.registry import ModelRegistry
from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.conftest import LiveServer

PIZZA = "Bestell mir eine Pizza ins Büro"
DUNE = "Buch zwei Kinokarten für Dune heute um 20 Uhr"


def _chat(http: httpx.Client, texts: list[str], conversation: str | None = None,
          client: str | None = None) -> httpx.Response:
    """A chat completion of ``tandem:assistant`` whose history is the user's ``texts`` (assistant turns
    left out, as a client that keeps only the id would)."""
    headers = {**({"X-Tandem-Conversation": conversation} if conversation else {}),
               **({"X-Tandem-Client": client} if client else {})}
    return http.post("/v1/chat/completions", headers=headers, json={
        "model": "tandem:assistant", "messages": [{"role": "user", "content": t} for t in texts]})


def _tasks(home: Path, conversation: str) -> list[Any]:
    journal = Journal(home / "agent.db")
    try:
        return journal.tasks(conversation)
    finally:
        journal.close()


@contextmanager
def served(home: Path) -> Iterator[httpx.Client]:
    """A client of a real server over ``home`` (Dune scheduled, a profile written) until the block ends."""
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    # chat turns ("hi", a lone "Ja") are answered by a model: the one the test install has
    app = create_app(ModelRegistry(load_settings(default_model="device:qwen2.5-0.5b")))
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=120, headers=server.local) as client:
            yield client
    finally:
        app.state.assistant.close()


@pytest.fixture
def http(home: Path) -> Iterator[httpx.Client]:
    with served(home) as client:
        yield client


def test_conversation_ids_are_issued_by_the_journal_and_unknown_ones_refused(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "agent.db")
    ids = {journal.conversation(None, "en", "key:a") for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 24 for i in ids)  # unguessable: 18 random bytes each
    with pytest.raises(NotFound):
        journal.conversation("conv-1", "en")  # a client cannot choose one
    mine = next(iter(ids))
    journal.check_owner(mine, "key:a")
    with pytest.raises(NotFound):
        journal.check_owner(mine, "key:b")
    assert journal.tasks() == [] and {c["owner"] for c in journal.conversations()} == {"key:a"}
    journal.close()


def test_two_chats_with_the_same_opening_confirm_only_their_own(http: httpx.Client, home: Path) -> None:
    for opening in ("hi", "hi"):  # two chats that open alike get two conversations
        assert _chat(http, [opening]).status_code == 200
    first, second = _chat(http, [PIZZA]), _chat(http, [PIZZA])
    a, b = first.headers["X-Tandem-Conversation"], second.headers["X-Tandem-Conversation"]
    assert a != b and first.json()["metadata"]["conversation_id"] == a
    assert "bestätigen: c-" in first.json()["choices"][0]["message"]["content"]
    yes = _chat(http, [PIZZA, "Ja"], conversation=a)
    assert yes.headers["X-Tandem-Conversation"] == a and "done (FD-" in yes.json()["choices"][0]["message"]["content"]
    assert [str(t.state) for t in _tasks(home, a)] == ["done"]
    assert [str(t.state) for t in _tasks(home, b)] == ["awaiting-confirmation"]  # the other chat's order waits
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_a_regenerated_answer_makes_no_second_task(http: httpx.Client, home: Path) -> None:
    first = _chat(http, [PIZZA])
    conversation = first.headers["X-Tandem-Conversation"]
    again = http.post("/v1/chat/completions", json={  # the id in the request's metadata this time
        "model": "tandem:assistant", "metadata": {"conversation_id": conversation},
        "messages": [{"role": "user", "content": PIZZA}]})
    assert again.headers["X-Tandem-Conversation"] == conversation
    assert again.json()["choices"][0]["message"]["content"] == first.json()["choices"][0]["message"]["content"]
    assert len(_tasks(home, conversation)) == 1


def test_a_yes_without_the_conversation_confirms_nothing(http: httpx.Client, home: Path) -> None:
    asked = _chat(http, [PIZZA])
    alone = _chat(http, ["Ja"])  # no id, no earlier answer in the history: a new conversation
    assert alone.headers["X-Tandem-Conversation"] != asked.headers["X-Tandem-Conversation"]
    assert [str(t.state) for t in _tasks(home, asked.headers["X-Tandem-Conversation"])] == ["awaiting-confirmation"]
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []


def test_ids_of_other_clients_and_made_up_ids_are_refused(http: httpx.Client, home: Path) -> None:
    asked = _chat(http, [PIZZA], client="app-a")
    conversation = asked.headers["X-Tandem-Conversation"]
    task = _tasks(home, conversation)[0]
    for response in (_chat(http, [PIZZA, "Ja"], conversation=conversation, client="app-b"),
                     _chat(http, [PIZZA, "Ja"], conversation="conv-chosen-by-the-client", client="app-a"),
                     http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "Ja"}),
                     http.post("/v1/assistant/conversations/my-own-id/messages", json={"text": PIZZA},
                               headers={"X-Tandem-Client": "app-a"}),
                     http.get(f"/v1/assistant/tasks/{task.id}", headers={"X-Tandem-Client": "app-b"}),
                     http.post(f"/v1/assistant/confirmations/{task.confirmation_id}/confirm")):
        assert response.status_code == 404, response.text
        assert response.json()["error"]["type"] == "invalid_request_error"  # OpenAI says so for a 404
    assert http.get("/v1/assistant/tasks", headers={"X-Tandem-Client": "app-b"}).json()["data"] == []
    assert [t["id"] for t in http.get("/v1/assistant/tasks", headers={"X-Tandem-Client": "app-a"}).json()["data"]] \
        == [task.id]
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
    mine = http.post(f"/v1/assistant/confirmations/{task.confirmation_id}/confirm",
                     headers={"X-Tandem-Client": "app-a"})
    assert mine.status_code == 200 and mine.json()["state"] == "done"


def test_yes_confirms_only_what_the_last_answer_asked(http: httpx.Client, home: Path) -> None:
    created = http.post("/v1/assistant/conversations", json={"text": PIZZA}).json()
    conversation = created["conversation_id"]
    later = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": DUNE}).json()
    assert [t["state"] for t in later["tasks"]] == ["awaiting-confirmation"]
    yes = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "Ja, bitte"}).json()
    assert [(t["id"], t["state"]) for t in yes["tasks"]] == [(later["tasks"][0]["id"], "done")]
    states = {t.intent: str(t.state) for t in _tasks(home, conversation)}
    assert states == {"order_food": "awaiting-confirmation", "buy_movie_tickets": "done"}  # the pizza was not shown
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []


def test_the_assistant_model_answers_only_where_the_caller_is_known(http: httpx.Client) -> None:
    # /v1/responses and /v1/completions hand the model a bare request: no conversation id, no owner
    for path, body in (("/v1/responses", {"input": DUNE}), ("/v1/completions", {"prompt": DUNE}),
                       ("/v1/responses", {"input": DUNE, "stream": True})):
        refused = http.post(path, json={"model": "tandem:assistant", **body})
        assert refused.status_code == 400 and "/v1/chat/completions" in refused.text, (path, refused.text)
    assert http.get("/v1/assistant/tasks").json()["data"] == []
