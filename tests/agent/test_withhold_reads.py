"""Withholding a reply (tandem/agent/withhold.py) reads the user's profile once, however many sets of rights its
turn is kept named for, and the turn still reads back named for each of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.withhold import MEMORY, PROFILE, told_turns, withhold
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_reply_is_withheld_with_one_read_of_the_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(home, "DE")
    journal = Journal(home / "agent.db")
    try:
        async with in_memory_partners(home) as partners:
            assistant = Assistant(partners, journal, profile=load_profile(home))
            reply = await assistant.ask("Bestell mir eine Pizza Margherita ins Büro")
            assert reply.turn and "Friedrichstraße 100" in reply.text  # the office address, filled in
            reads: list[Any] = []
            load = assistant.profiles.load
            monkeypatch.setattr(assistant.profiles, "load", lambda: reads.append(1) or load())
            shown = withhold(assistant, reply, frozenset())
            assert len(reads) == 1
            assert "Friedrichstraße" not in shown.text and "deine gespeicherte Büroadresse" in shown.text
            for rights in (frozenset(), frozenset({MEMORY})):  # read back as it was named when said
                said = told_turns(assistant, reply.conversation_id, rights)[-1]["text"]
                assert "Friedrichstraße" not in said and "deine gespeicherte Büroadresse" in said
            assert "Friedrichstraße 100" in told_turns(assistant, reply.conversation_id, frozenset({PROFILE}))[-1][
                "text"]
    finally:
        journal.close()
