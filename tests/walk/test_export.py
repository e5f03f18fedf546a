"""``tandem privacy export`` holds everything erase deletes that has the user's words in it: the assistant's
conversations and tasks and the stored Responses, not only the ledger, memory and profile (walkthrough P1:
a name said to the assistant and to the Responses API was in agent.db and responses.db, and not in the export)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tandem.agent.journal import Journal
from tandem.agent.tasks import Task, TaskState
from tandem.app.assistant import journal_path
from tandem.app.stored import ResponseStore
from tandem.config import load_settings
from tandem.types import Message
from tests.test_cli import tandem

SAID = "Erinnere mich morgen um 9 daran, Roswitha Quandt-Behrens anzurufen"


def test_the_export_holds_the_conversations_tasks_and_stored_responses(home: Path, tmp_path: Path) -> None:
    journal = Journal(journal_path(load_settings()))
    try:
        conversation = journal.conversation(None, "de")
        journal.add_turn(conversation, "user", SAID)
        journal.add_tasks([Task(id=f"t-{uuid.uuid4().hex}", conversation_id=conversation, intent="set_reminder",
                                slots={"todo": "Roswitha Quandt-Behrens anrufen"}, state=TaskState.NEEDS_INFO,
                                language="de", text=SAID)])
    finally:
        journal.close()
    with ResponseStore.at_home(home) as store:
        store.put("resp_walk1", "local", (Message("user", "Mein Name ist Ottilie Brandauer."),),
                  {"id": "resp_walk1", "output_text": "Hallo Ottilie!"})
    out = tandem("privacy", "export", "-o", str(tmp_path / "export.json"), home=home)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    [talk] = data["assistant"]["conversations"]
    assert [t["text"] for t in talk["turns"]] == [SAID]
    assert talk["tasks"][0]["slots"] == {"todo": "Roswitha Quandt-Behrens anrufen"}
    [kept] = data["responses"]
    assert kept["conversation"][0]["content"] == "Mein Name ist Ottilie Brandauer."
    assert kept["document"]["output_text"] == "Hallo Ottilie!"
    assert {"entries", "memory", "profile"} <= set(data)  # what it held before stays


def test_an_export_creates_no_store(home: Path, tmp_path: Path) -> None:
    out = tandem("privacy", "export", "-o", str(tmp_path / "export.json"), home=home)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert data["assistant"] == {"conversations": []} and data["responses"] == []
    assert not (home / "agent.db").exists() and not (home / "responses.db").exists()
