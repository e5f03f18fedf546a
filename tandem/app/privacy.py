"""The user's GDPR export (Art. 15 access, Art. 20 portability) as both shells give it: the ledger, memory and
profile (``tandem.memory.gdpr``), and what only the layers above memory can read: the assistant's conversations
with their turns and tasks, and the stored Responses. Files that do not exist are not created.

The profile is the ``admin`` scope's, as ``GET /v1/profile`` (review R14-10): a caller that may export (``privacy``)
but not read the profile gets the conversations with every profile value the assistant filled in named
(``agent.withhold``) and no profile. The payment token is never exported in clear, whoever asks: its last four
characters, as ``tandem profile show``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.withhold import PROFILE, Withheld, told_turns, withheld
from tandem.app.profile import public_profile
from tandem.app.stored import FILE as RESPONSES
from tandem.app.stored import ResponseStore
from tandem.memory.gdpr import export_user_data

__all__ = ["WITHHELD_PROFILE", "export_everything", "export_withheld"]

WITHHELD_PROFILE = {"withheld": "the profile needs the admin scope"}

JOURNAL = "agent.db"


def export_everything(home: Path) -> dict[str, Any]:
    """Everything Tandem keeps about the user under ``home`` that an erasure deletes and that holds their words."""
    data = export_user_data(home)
    data["profile"] = public_profile(load_profile(home)) if data["profile"] is not None else None
    data["assistant"] = {"conversations": _conversations(home / JOURNAL) if (home / JOURNAL).exists() else []}
    data["responses"] = _responses(home) if (home / RESPONSES).exists() else []
    return data


def export_withheld(assistant: Assistant, home: Path, reveal: frozenset[str]) -> dict[str, Any]:
    """The export for a caller that may read ``reveal`` (``agent.withhold``): whole with the profile's right, else
    without the profile and with the conversations as that caller is told them."""
    if PROFILE in reveal:
        return export_everything(home)
    data = export_user_data(home)
    data["profile"] = WITHHELD_PROFILE if data["profile"] is not None else None
    hidden = withheld(assistant, reveal)
    data["assistant"] = {"conversations": [
        {**c, "turns": _turns(assistant, c["id"], reveal, hidden), "tasks": [
            hidden.task(t).public() for t in assistant.journal.tasks(c["id"])]}
        for c in assistant.journal.conversations()]}
    data["responses"] = _responses(home) if (home / RESPONSES).exists() else []
    return data


def _turns(assistant: Assistant, conversation_id: str, reveal: frozenset[str],
           hidden: Withheld) -> list[dict[str, Any]]:
    """A conversation's turns for an export without the profile's right: the assistant's as they were named when
    said, and the user's with each withheld value named too (review R14-10b): the export holds every client's
    conversations, so a phone number the user typed in answer to a question is no reader's own words here."""
    language = assistant.journal.language(conversation_id)
    return [{**t, "text": hidden.text(str(t["text"]), language)} if t["role"] == "user" else t
            for t in told_turns(assistant, conversation_id, reveal)]


def _conversations(path: Path) -> list[dict[str, Any]]:
    """Each conversation with its turns and its tasks as the API shows them (a call's payment token is not in
    a task's public form)."""
    journal = Journal(path)
    try:
        return [{**c, "turns": journal.turns(c["id"]), "tasks": [t.public() for t in journal.tasks(c["id"])]}
                for c in journal.conversations()]
    finally:
        journal.close()


def _responses(home: Path) -> list[dict[str, Any]]:
    with ResponseStore.at_home(home) as store:
        return store.exported()
