"""Data minimisation: a partner gets only the personal data its manifest declares.

The food skill sends name, phone, address and payment token. Here the food partner (the real reference
MCP server, its own process) is registered with a manifest that does not declare the phone: the order
is refused before anything is sent, and the task says why. A tool that takes the phone as an optional
argument gets the call without it, and the result says what was withheld."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.minimise import MinimisingToolset, personal_kinds
from tandem.agent.profile import Place, Profile
from tandem.agent.tasks import TaskState
from tandem.agent.toolset import ToolResult, ToolSpec
from tandem.api.assistant import open_assistant
from tandem.config import load_settings
from tandem.partners import builtin_manifest_paths
from tandem.services.registry import ServiceRegistry
from tests.agent.conftest import partner_rows, write_profile

pytestmark = pytest.mark.anyio

PROFILE = Profile(name="Alex Muster", phone="+49 30 1234567", payment_token="tok_test_4242", city="Berlin",
                  places={"office": Place("Friedrichstraße 100", "Berlin")})


def _register_without_phone(home: Path) -> None:
    """The food partner as an operator might publish it: its order tool declares no phone."""
    source = next(p for p in builtin_manifest_paths() if p.name == "gabelpost.food.toml")
    text = source.read_text(encoding="utf-8").replace('personal_data = ["name", "phone", "address", "payment_token"]',
                                                      'personal_data = ["name", "address", "payment_token"]')
    assert '"phone"' not in text
    narrow = home / "gabelpost-narrow.toml"
    narrow.write_text(text, encoding="utf-8")
    registry = ServiceRegistry(load_settings())
    try:
        registry.remove("gabelpost.food")
        registry.add(narrow)
    finally:
        registry.close()


async def test_an_undeclared_required_field_refuses_the_order(home: Path) -> None:
    write_profile(home, "DE")
    _register_without_phone(home)
    async with open_assistant(load_settings(region="DE")) as assistant:
        reply = await assistant.ask("Bestell mir eine Pizza ins Büro")
        (task,) = reply.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        assert task.call.arguments["phone"] == "+49 30 1234567"  # what the skill would send
        done = await assistant.confirm(task.confirmation_id or "")
    assert done.state == TaskState.FAILED
    assert done.error is not None and "phone" in done.error and "not sent" in done.error
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []


class _Desk:
    """A real toolset of one tool whose phone argument is optional; it keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.spec = ToolSpec(name="desk.reserve", service_id="desk", tool="reserve", description="reserve a desk",
                             parameters={"type": "object", "required": ["desk", "holder_name"],
                                         "properties": {"desk": {"type": "string"}, "holder_name": {"type": "string"},
                                                        "phone": {"type": "string"}, "note": {"type": "string"}}},
                             transactional=False, idempotency="safe", personal_data=("name",), partner="Desk Co")

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        return [self.spec]

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        self.sent.append(arguments)
        return ToolResult(True, {"reserved": arguments["desk"]}, "ok")


async def test_an_undeclared_optional_field_is_removed_and_said() -> None:
    desk = _Desk()
    toolset = MinimisingToolset(desk, lambda: PROFILE)
    result = await toolset.call("desk.reserve", {"desk": "D4", "holder_name": "Alex Muster",
                                                 "phone": "030 1234567", "note": "call Alex on +49 30 1234567"})
    assert desk.sent == [{"desk": "D4", "holder_name": "Alex Muster"}]
    assert result.ok and result.data["withheld"] == ["phone"] and "phone" in result.data["withheld_note"]


def test_kinds_by_key_and_by_the_users_own_values() -> None:
    assert personal_kinds("delivery_address", "Hauptstraße 5", PROFILE) == {"address"}
    assert personal_kinds("query", "pizza near Friedrichstraße 100", PROFILE) == {"address"}
    assert personal_kinds("customer", {"who": "alex muster"}, PROFILE) == {"name"}
    assert personal_kinds("name", "Margherita", PROFILE) == set()  # a dish called "name" is no person
    assert personal_kinds("idempotency_key", "tandem-c-1", PROFILE) == set()


async def test_a_notes_tool_gets_the_users_words_but_never_their_payment_token() -> None:
    """walk2 W2-5: a tool declaring free text (notes) takes the user's words as they are, a phone number in them too,
    but its declaration does not let the payment token out under an innocent key (a manifest template could put it
    there): an optional argument holding it is not sent, a required one refuses the call."""
    desk = _Desk()
    desk.spec = replace(desk.spec, personal_data=("notes",), parameters={
        "type": "object", "required": ["text"], "properties": {"text": {"type": "string"}, "ref": {"type": "string"}}})
    toolset = MinimisingToolset(desk, lambda: PROFILE)
    note = "call Alex on +49 30 1234567 about Friedrichstraße 100"
    result = await toolset.call("desk.reserve", {"desk": "D4", "text": note, "ref": "+49 30 1234567 / tok_test_4242"})
    assert desk.sent == [{"desk": "D4", "text": note}] and result.data["withheld"] == ["payment_token"]
    refused = await toolset.call("desk.reserve", {"desk": "D4", "text": f"{note} (tok_test_4242)"})
    assert not refused.ok and refused.data["withheld"] == ["payment_token"] and len(desk.sent) == 1
