"""A task that waits for a detail of the user's profile goes on as soon as ``tandem profile set`` gives it,
in that command (walkthrough W11: a partner without sandbox money waits for the user's payment method)."""

from __future__ import annotations

import uuid
from pathlib import Path

from tandem.agent.journal import Journal
from tandem.agent.tasks import Task, TaskState
from tandem.app.assistant import journal_path
from tandem.config import load_settings
from tests.test_cli import tandem


def _waiting_task(field: str) -> str:
    journal = Journal(journal_path(load_settings()))
    try:
        conversation = journal.conversation(None, "en")
        [task] = journal.add_tasks([Task(
            id=f"t-{uuid.uuid4().hex}", conversation_id=conversation, intent="set_reminder",
            slots={"todo": "water the plants", "when": "2031-05-06T08:00"}, state=TaskState.PLANNED, language="en",
            text="remind me to water the plants", waiting=f"profile.{field}")])
    finally:
        journal.close()
    return task.id


def _state(task_id: str) -> TaskState:
    journal = Journal(journal_path(load_settings()))
    try:
        return journal.task(task_id).state
    finally:
        journal.close()


def test_setting_the_detail_a_task_waits_for_moves_it_on(home: Path) -> None:
    task_id = _waiting_task("payment_token")
    other = tandem("profile", "set", "city", "Berlin", home=home)
    assert other.returncode == 0, other.stderr
    assert _state(task_id) == TaskState.PLANNED, "a detail it does not wait for leaves it alone"
    out = tandem("profile", "set", "payment_token", "tok-walk-0001", home=home, timeout=300)
    assert out.returncode == 0, out.stderr
    assert _state(task_id) == TaskState.DONE
    assert f"[{task_id}] set_reminder: done" in out.stdout
