"""The assistant over HTTP on a real uvicorn server: conversation, tasks and confirmation endpoints, the
``tandem:assistant`` model through the official OpenAI client, and resume at start after a crash."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import openai

from tandem.agent.journal import Journal
from tandem.agent.tasks import TaskState
from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tests.agent.conftest import partner_rows, schedule_film, write_profile
from tests.conftest import LiveServer


def _app(home: Path):  # type: ignore[no-untyped-def]
    schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    return create_app(ModelRegistry(load_settings()))


def test_http_endpoints_from_request_to_order(home: Path) -> None:
    app = _app(home)
    try:  # as the user's own CLI: confirming needs its local token
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=120, headers=server.local) as http:
            reply = http.post("/v1/assistant/conversations", json={"text": "book two tickets for Dune tonight"})
            assert reply.status_code == 200, reply.text
            body = reply.json()
            task = body["tasks"][0]
            assert task["state"] == "needs-info" and "20:00" in task["question"]  # lists the showings
            answered = http.post(f"/v1/assistant/tasks/{task['id']}/answer", json={"text": "at 8 pm"}).json()
            assert answered["state"] == "awaiting-confirmation" and answered["summary"]["tickets"] == 2
            listed = http.get("/v1/assistant/tasks", params={"state": "awaiting-confirmation"}).json()["data"]
            assert [t["id"] for t in listed] == [task["id"]]
            done = http.post(f"/v1/assistant/confirmations/{answered['confirmation_id']}/confirm").json()
            assert done["state"] == "done" and done["result"]["order_id"].startswith("CIN-")
            conversation = http.get(f"/v1/assistant/conversations/{body['conversation_id']}").json()
            assert [t["role"] for t in conversation["turns"]][:2] == ["user", "assistant"]
            missing = http.post("/v1/assistant/confirmations/c-00000000/confirm")
            assert missing.status_code == 404
            assert http.get("/v1/assistant/tasks", params={"state": "bogus"}).status_code == 400
    finally:
        app.state.assistant.close()
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1


def test_openai_client_talks_to_tandem_assistant(home: Path) -> None:
    app = _app(home)
    try:
        with LiveServer(app) as server:
            client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=server.local_token)  # its "yes" confirms
            assert "tandem:assistant" in [m.id for m in client.models.list().data]
            history: list[dict[str, str]] = [
                {"role": "user", "content": "Bestell mir eine Pizza ins Büro"}]
            first = client.chat.completions.create(model="tandem:assistant", messages=history)  # type: ignore[arg-type]
            text = first.choices[0].message.content or ""
            assert "Pizza Margherita" in text and "bestätigen: c-" in text
            assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
            history += [{"role": "assistant", "content": text}, {"role": "user", "content": "Ja, bitte"}]
            second = client.chat.completions.create(model="tandem:assistant", messages=history)  # type: ignore[arg-type]
            assert "done (FD-" in (second.choices[0].message.content or "")
    finally:
        app.state.assistant.close()
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1


def test_server_start_resumes_tasks_a_crash_left_running(home: Path) -> None:
    app = _app(home)
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=120) as http:
            task = http.post("/v1/assistant/conversations",
                             json={"text": "book two tickets for Dune tonight at 8 pm"}).json()["tasks"][0]
    finally:
        app.state.assistant.close()
    journal = Journal(home / "agent.db")  # the user confirmed; the server died before the call went out
    with journal.tx() as conn:
        conn.execute("UPDATE confirmations SET status = 'confirmed' WHERE id = ?", (task["confirmation_id"],))
        conn.execute("UPDATE tasks SET state = 'running' WHERE id = ?", (task["id"],))
    restarted = create_app(ModelRegistry(load_settings()))
    try:
        with LiveServer(restarted) as server, httpx.Client(base_url=server.url, timeout=120) as http:
            for _ in range(300):
                if http.get(f"/v1/assistant/tasks/{task['id']}").json()["state"] == "done":
                    break
                time.sleep(0.1)
    finally:
        restarted.state.assistant.close()
    assert journal.task(task["id"]).state == TaskState.DONE
    journal.close()
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
