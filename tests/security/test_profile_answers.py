"""A detail the assistant asks for in a chat ("Which phone number can the partner call?") goes into the
user's profile only when the caller may change the profile (``admin``, as ``PATCH /v1/profile``): the CLI's
local token, the web app opened with its link. From any other caller, e.g. a process on the device without a
credential, the answer serves the tasks that asked, also when they are confirmed later, and profile.toml
stays as it was (issue 13). Before, any local process could fill an empty phone, name or city by
answering. A real server with the reference partners."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.agent.profile import load_profile, save_profile
from tests.agent.conftest import partner_rows, write_profile
from tests.conftest import LiveServer
from tests.security.test_keys import bearer, create_key

PIZZA = "Bestell mir eine Pizza ins Büro"


@pytest.fixture
def no_phone(home: Path) -> None:
    """A profile with everything but a phone number (the food partner needs one)."""
    write_profile(home, "DE")
    save_profile(home, replace(load_profile(home), phone=""))


@pytest.fixture
def phoneless(no_phone: None, tiny_server: LiveServer) -> LiveServer:
    """The server over that profile (the profile is written before the app reads it)."""
    return tiny_server


def _asks_for_the_phone(http: httpx.Client, **headers: str) -> dict[str, Any]:
    reply = http.post("/v1/assistant/conversations", json={"text": PIZZA}, headers=headers)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    assert [t["state"] for t in body["tasks"]] == ["needs-info"] and "Telefonnummer" in body["text"]
    return body


def test_an_answer_without_admin_serves_its_task_and_leaves_the_profile(phoneless: LiveServer, home: Path) -> None:
    kept = (home / "profile.toml").read_bytes()
    with httpx.Client(base_url=phoneless.url, timeout=120) as http:
        asked = _asks_for_the_phone(http)  # a caller without a credential
        said = http.post(f"/v1/assistant/conversations/{asked['conversation_id']}/messages",
                         json={"text": "+49 151 5550123"})
        assert said.status_code == 200, said.text
        [task] = said.json()["tasks"]
        assert task["state"] == "awaiting-confirmation", task
        assert (home / "profile.toml").read_bytes() == kept
        # the same through the task's answer route, for a key that may talk and confirm but not change settings
        app = bearer(create_key(home, "phone-app", "assistant,confirm"))
        other = _asks_for_the_phone(http, **app)["tasks"][0]
        answered = http.post(f"/v1/assistant/tasks/{other['id']}/answer", json={"text": "+49 151 5550999"},
                             headers=app)
        assert answered.status_code == 200 and answered.json()["state"] == "awaiting-confirmation", answered.text
        assert (home / "profile.toml").read_bytes() == kept
        # confirmed later (the partner's quote prepared again), the order still carries the number given for it
        later = ((task["confirmation_id"], phoneless.local), (answered.json()["confirmation_id"], app))
        for confirmation, headers in later:
            done = http.post(f"/v1/assistant/confirmations/{confirmation}/confirm", headers=headers)
            assert done.status_code == 200 and done.json()["state"] == "done", done.text
    assert sorted(o["phone"] for o in partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == [
        "+49 151 5550123", "+49 151 5550999"]
    assert (home / "profile.toml").read_bytes() == kept
    assert not load_profile(home).phone


def test_the_users_own_client_keeps_the_answer(phoneless: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=phoneless.url, timeout=120, headers=phoneless.local) as http:
        asked = _asks_for_the_phone(http)
        said = http.post(f"/v1/assistant/conversations/{asked['conversation_id']}/messages",
                         json={"text": "+49 151 5550123"})
        assert said.status_code == 200 and said.json()["tasks"][0]["state"] == "awaiting-confirmation", said.text
    assert load_profile(home).phone == "+49 151 5550123"  # asked once, kept for the next order


@pytest.mark.anyio
async def test_the_users_answer_keeps_only_its_own_detail(home: Path) -> None:
    """The user's own client answers a question in a conversation a caller without a credential opened (the
    user may act on those, tandem.api.clients.may_use): its answer goes into the profile, and nothing that caller
    gave for the task goes with it. Before, the profile was saved with the task's given details laid over it."""
    from tandem.agent.assistant import Assistant
    from tandem.agent.journal import Journal
    from tandem.agent.profile import MemoryProfile
    from tests.agent.toolsets import in_memory_partners

    write_profile(home, "DE")
    stored = MemoryProfile(replace(load_profile(home), name="", phone=""))
    async with in_memory_partners(home) as partners:  # the EU variants: Gabelpost delivers
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=stored)
        [task] = (await assistant.ask(PIZZA, keep_profile=False)).tasks  # the app without a credential
        assert task.missing == "profile.name"
        task = await assistant.answer(task.id, "Mallory Example", keep_profile=False)
        assert task.missing == "profile.phone" and stored.load().name == ""
        task = await assistant.answer(task.id, "+49 151 5550123", keep_profile=True)  # the user's own client
    assert task.state == "awaiting-confirmation" and task.call is not None
    assert task.call.arguments["name"] == "Mallory Example"  # the task still has what it was given ...
    assert (stored.load().name, stored.load().phone) == ("", "+49 151 5550123")  # ... the profile only the user's
