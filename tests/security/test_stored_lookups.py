"""A call prepared from what the user stored with a partner is that data too (review of session 8, R20): a
capability that looks a stored reminder up before its call ("complete my reminder about the parcel") put the
reminder's text into its summary, shown to a caller without the privacy scope; only a commit tool that itself
reads user data marked the task."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import shipped
from tandem.agent.intents import IntentSpec
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.skills import Prepared
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.agent.withhold import EVERYTHING, withheld
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


STORED = "Paket für Alex Muster abholen"
FINISH = IntentSpec("finish_reminder", "office", "complete_reminder", "Mark a stored reminder done.",
                    {"text": "text"}, ("text",), resolve=({"tool": "list_reminders", "arguments": {}},),
                    arguments={"id": "{list_reminders.id}"}, summary={"reminder": "{list_reminders.text}"})


async def test_a_call_prepared_from_stored_data_is_shown_only_with_the_privacy_scope(home: Path) -> None:
    write_profile(home, "DE")
    journal = Journal(home / "agent.db")
    try:
        async with in_memory_partners(home) as partners:
            assistant = Assistant(partners, journal, profile=load_profile(home), intents=(*shipped(), FINISH))
            added = await assistant.ask(f"Erinnere mich morgen um 9 Uhr an {STORED}")
            assert added.tasks[0].state == TaskState.DONE, added.tasks[0]
            task = Task(id="t-finish", conversation_id=added.conversation_id, intent="finish_reminder",
                        slots={"text": "Paket"}, state=TaskState.PLANNED, language="de", text="Erledige Paket")
            journal.add_tasks([task])
            prepared = await assistant._prepared(task)
            assert isinstance(prepared, Prepared) and prepared.call is not None
            assert STORED in str(prepared.call.summary)  # the step found the stored reminder
            assert "stored" in prepared.filled, prepared.filled  # so the task is the user's stored data
            waiting = replace(task, state=TaskState.AWAITING_CONFIRMATION, filled=prepared.filled,
                              question=f"Soll ich „{STORED}“ erledigen?",
                              call=PendingCall("complete_reminder", "tandem.office", prepared.call.arguments, False,
                                               prepared.call.summary))
            keyless = withheld(assistant, frozenset()).task(waiting)
            assert STORED not in repr(keyless) and "Muster" not in repr(keyless)
            assert keyless.state == TaskState.FAILED and "privacy" in (keyless.error or "")
            assert withheld(assistant, EVERYTHING).task(waiting).call == waiting.call  # the owner reads it
    finally:
        journal.close()
