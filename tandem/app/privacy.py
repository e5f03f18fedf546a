"""The user's GDPR export (Art. 15 access, Art. 20 portability) as both shells give it: the ledger, memory and
profile (``tandem.memory.gdpr``), and what only the layers above memory can read: the assistant's conversations
with their turns and tasks, and the stored Responses. Files that do not exist are not created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tandem.agent.journal import Journal
from tandem.app.stored import FILE as RESPONSES
from tandem.app.stored import ResponseStore
from tandem.memory.gdpr import export_user_data

__all__ = ["export_everything"]

JOURNAL = "agent.db"


def export_everything(home: Path) -> dict[str, Any]:
    """Everything Tandem keeps about the user under ``home`` that an erasure deletes and that holds their words."""
    data = export_user_data(home)
    data["assistant"] = {"conversations": _conversations(home / JOURNAL) if (home / JOURNAL).exists() else []}
    data["responses"] = _responses(home) if (home / RESPONSES).exists() else []
    return data


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
