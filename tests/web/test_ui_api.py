"""The web app's own endpoints over HTTP, against the real partners: a turn streams its tasks as they are
prepared; confirmations buy exactly once; services and privacy show what the CLI shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from tandem.config import Settings, load_settings
from tandem.keys import login_code
from tandem.models.registry import ModelRegistry
from tandem.services.registry import ServiceRegistry
from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer

SENTENCE = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"
UI = {"X-Tandem-UI": "1"}


@contextmanager
def app_client(server: LiveServer, timeout: float) -> Iterator[httpx.Client]:
    """A client that talks as the web app opened with the link ``tandem serve`` prints: its session cookie (a
    client without it may chat, but not confirm, see privacy or change services)."""
    with httpx.Client(base_url=server.url, timeout=timeout) as client:
        opened = client.post("/api/ui/session", json={"key": login_code(server.app.state.keys.home)}, headers=UI)
        assert opened.status_code == 200, opened.text
        yield client


def turn(client: httpx.Client, text: str) -> list[dict[str, Any]]:
    with client.stream("POST", "/api/ui/turn", json={"text": text}, headers=UI) as response:
        assert response.status_code == 200
        return [json.loads(line) for line in response.iter_lines() if line]


def test_turn_streams_cards_then_confirmations_buy_once(server: LiveServer, home: Path) -> None:
    with app_client(server, 60) as client:
        events = turn(client, SENTENCE)
        assert events[0]["type"] == "conversation" and events[-1]["type"] == "reply"
        streamed = [e["task"] for e in events if e["type"] == "task"]
        assert {t["intent"] for t in streamed} == {"order_food", "buy_movie_tickets"}
        tasks = events[-1]["reply"]["tasks"]
        assert [t["state"] for t in tasks] == ["awaiting-confirmation"] * 2
        assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
        done = [client.post(f"/api/ui/confirmations/{t['confirmation_id']}/confirm", headers=UI).json()["task"]
                for t in tasks]
        assert [t["state"] for t in done] == ["done", "done"]
        again = client.post(f"/api/ui/confirmations/{tasks[0]['confirmation_id']}/confirm", headers=UI).json()
        assert again["task"]["state"] == "done"
        listed = client.get("/api/ui/tasks", params={"conversation_id": events[0]["conversation_id"]}).json()
    assert {t["state"] for t in listed["tasks"]} == {"done"}
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1


def test_decline_and_cancel_buy_nothing(server: LiveServer, home: Path) -> None:
    with app_client(server, 60) as client:
        food, movie = turn(client, SENTENCE)[-1]["reply"]["tasks"]
        declined = client.post(f"/api/ui/confirmations/{food['confirmation_id']}/decline", headers=UI).json()
        cancelled = client.post(f"/api/ui/tasks/{movie['id']}/cancel", headers=UI).json()
        late = client.post(f"/api/ui/confirmations/{movie['confirmation_id']}/confirm", headers=UI).json()
    assert declined["task"]["state"] == cancelled["task"]["state"] == late["task"]["state"] == "cancelled"
    assert movie["service_id"] == "lichtspiel.cinema"  # the card knows its partner before anything is bought
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
    assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []


def test_actions_need_the_ui_header(server: LiveServer) -> None:
    """A form another web site posts from the user's browser cannot carry the header, so it is refused."""
    with app_client(server, 30) as client:
        refused = client.post("/api/ui/turn", json={"text": SENTENCE})
        assert refused.status_code == 403
        assert client.post("/api/ui/privacy/erase").status_code == 403
        assert client.get("/api/ui/services").status_code == 200


def test_services_list_and_disable(server: LiveServer) -> None:
    with app_client(server, 60) as client:
        listed = client.get("/api/ui/services").json()
        assert listed["region"] == "DE"
        food = next(s for s in listed["services"] if s["id"] == "gabelpost.food")
        assert food["offered"] and food["enabled"] and "address" in food["personal_data"]
        assert "place_order" in food["transactional"]
        changed = client.post("/api/ui/services/gabelpost.food", json={"enabled": False}, headers=UI).json()
        assert not next(s for s in changed["services"] if s["id"] == "gabelpost.food")["enabled"]
        relisted = client.get("/api/ui/services").json()["services"]
    assert not next(s for s in relisted if s["id"] == "gabelpost.food")["enabled"]
    registry = ServiceRegistry(load_settings())  # what the CLI and the agent's hub read
    try:
        assert not registry.get("gabelpost.food").enabled and registry.get("lichtspiel.cinema").enabled
    finally:
        registry.close()


def test_privacy_consent_and_device_only(server: LiveServer, home: Path) -> None:
    with app_client(server, 30) as client:
        before = client.get("/api/ui/privacy").json()
        assert before["ledger"] == [] and before["consent"]["cloud"] and not before["device_only"]
        after = client.post("/api/ui/privacy/consent", json={"cloud": False}, headers=UI).json()
        assert after["device_only"] and after["consent"]["consent_id"].startswith("consent-")
        misspelt = client.post("/api/ui/privacy/consent", json={"clod": True}, headers=UI)  # was a 200, nothing changed
        assert misspelt.status_code == 400, misspelt.text
        assert misspelt.json()["error"]["type"] == "invalid_request_error"
    assert "cloud = false" in (home / "privacy.toml").read_text()


def test_api_key_applies_to_the_ui(tiny_settings: Settings) -> None:
    from tandem.api.app import create_app

    registry = ModelRegistry(replace(tiny_settings, api_key="s3cret"))
    with LiveServer(create_app(registry)) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/").status_code == 200  # the page itself loads and asks for the key
        assert client.get("/api/ui/services").status_code == 401
        assert client.get("/api/ui/services", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/ui/services", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_the_chat_fallback_is_told_it_cannot_act(tiny_registry: ModelRegistry) -> None:
    """What a turn made no task of is answered by the chat model (/api/ui/chat), which cannot act: it is told so
    first, and an answer that still claims an act gets the fact after it (app.assistant.guarded_chat; before, the
    page called the bare chat model, and "Ich habe die Bestellung storniert" stood as said). Scripted model: what it
    is given and what comes of its claim are under test, not its words."""
    from tandem.agent.spoken import chat_guard, unclaimed
    from tandem.api.app import create_app
    from tests.web.conftest import CLAIM as claim
    from tests.web.conftest import claiming_chat_model

    model = claiming_chat_model(tiny_registry)
    app = create_app(tiny_registry)
    try:
        # the page's session without the link's code may chat (it holds the models scope, as /v1/chat/completions)
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
            assert client.post("/api/ui/session", json={}, headers=UI).status_code == 200
            r = client.post("/api/ui/chat", headers=UI,
                            json={"messages": [{"role": "user", "content": "Was ist die Hauptstadt von Frankreich?"}]})
            assert r.status_code == 200, r.text
            events = [json.loads(line[5:]) for line in r.text.splitlines() if line.startswith("data: {")]
    finally:
        app.state.assistant.close()
    said = "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e.get("choices"))
    assert said == unclaimed(claim, "de") != claim
    assert model.requests[-1].messages[0].content == chat_guard("de")
