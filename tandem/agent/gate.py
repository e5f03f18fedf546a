"""The confirmation gate: a transactional call goes out only after the user confirmed a summary of
exactly that call.

The confirmation is bound to a hash of the call (tool, service, arguments and the summary the user saw:
price, items, seats, time, partner). If anything differs when it is about to run (a follow-up changed a
slot, the price moved, the showtime is gone) the old confirmation goes stale and the user is asked
again. ``GatedToolset`` wraps the toolset the agent acts through and refuses any transactional call
that has no confirmed, matching record: text in a partner's answer can neither trigger a purchase nor
change one, because only the user's confirmation opens the gate and it covers one exact call.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from typing import Any, Literal

from tandem.agent.journal import Journal
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.agent.toolset import ToolResult, Toolset, WrapperToolset
from tandem.errors import InvalidRequest, NotFound, PolicyDenied

__all__ = ["Answer", "GatedToolset", "call_digest", "idempotency_key", "record_answer", "request_confirmation",
           "withdraw"]


def call_digest(call: PendingCall) -> str:
    """A hash of everything the user confirms."""
    canonical = json.dumps({"tool": call.tool, "service_id": call.service_id, "arguments": call.arguments,
                            "summary": call.summary}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_key(confirmation_id: str, digest: str) -> str:
    """The key a confirmed call is sent with: the same for every retry of it, new for any other call."""
    return f"tandem-{confirmation_id}-{digest[:16]}"


def request_confirmation(journal: Journal, task: Task, call: PendingCall) -> Task:
    """Park ``task`` until the user confirms ``call``; earlier confirmations of the task go stale.

    Two preparations of one task may race (a task resumed after a restart, and the client's retry of the
    request that made it): the one that finishes second changes nothing when it found the same call (the
    pending confirmation the user may be reading stays valid) or when the task has moved on meanwhile
    (confirmed, running, done: it is not asked about again)."""
    digest = call_digest(call)
    with journal.tx() as conn:
        now = journal.task(task.id)
        if now.state not in (TaskState.PLANNED, TaskState.AWAITING_CONFIRMATION, TaskState.NEEDS_INFO):
            return now
        if now.state == TaskState.AWAITING_CONFIRMATION and now.confirmation_id:
            shown = journal.confirmation(now.confirmation_id, conn)
            if shown["status"] == "pending" and shown["hash"] == digest:
                return now
        confirmation_id = journal.add_confirmation(conn, task.id, call, digest)
        return journal.save(replace(task, state=TaskState.AWAITING_CONFIRMATION, call=call,
                                    confirmation_id=confirmation_id, question=None, missing=None), conn)


@dataclass(frozen=True)
class Answer:
    """What became of a confirm/decline."""

    outcome: Literal["confirmed", "declined", "changed", "already"]  # "changed": ask again; "already": decided before
    task: Task  # the task as it is now
    key: str | None = None  # confirmed: the idempotency key to send the call with


def record_answer(journal: Journal, confirmation_id: str, accept: bool, current: PendingCall | None = None) -> Answer:
    """Record the user's answer. Confirming runs only if the call is still exactly what was shown:
    ``current`` is the call as it would be made now; when it differs, the confirmation goes stale."""
    with journal.tx() as conn:
        record = journal.confirmation(confirmation_id, conn)
        task = journal.task(record["task_id"])
        if record["status"] != "pending":
            key = idempotency_key(record["id"], record["hash"]) if record["status"] == "confirmed" else None
            return Answer("already", task, key)
        stored = PendingCall.from_dict(record["call"])
        if call_digest(stored) != record["hash"]:
            raise InvalidRequest(f"confirmation {confirmation_id} does not match its call", hint="ask again")
        now = time.time()
        if not accept:
            conn.execute("UPDATE confirmations SET status = 'declined', decided_at = ? WHERE id = ?",
                         (now, confirmation_id))
            return Answer("declined", journal.save(replace(task, state=TaskState.CANCELLED), conn))
        if current is not None and call_digest(current) != record["hash"]:
            conn.execute("UPDATE confirmations SET status = 'stale', decided_at = ? WHERE id = ?",
                         (now, confirmation_id))
            return Answer("changed", task)
        conn.execute("UPDATE confirmations SET status = 'confirmed', decided_at = ? WHERE id = ?",
                     (now, confirmation_id))
        running = journal.save(replace(task, state=TaskState.RUNNING, call=stored), conn)
        return Answer("confirmed", running, idempotency_key(confirmation_id, record["hash"]))


def withdraw(journal: Journal, confirmation_id: str) -> Task | None:
    """Take back a pending confirmation the user answered with a change ("yes, but only one"): it can never
    be confirmed now, and its task is planned again (the caller prepares it with the change and asks anew).
    None when the confirmation was decided meanwhile."""
    with journal.tx() as conn:
        record = journal.confirmation(confirmation_id, conn)
        task = journal.task(record["task_id"])
        if record["status"] != "pending" or task.state != TaskState.AWAITING_CONFIRMATION:
            return None
        conn.execute("UPDATE confirmations SET status = 'stale', decided_at = ? WHERE id = ?",
                     (time.time(), confirmation_id))
        return journal.save(replace(task, state=TaskState.PLANNED, call=None, confirmation_id=None), conn)


class GatedToolset(WrapperToolset):
    """A Toolset that lets a transactional call through only with the key of a confirmed, identical call."""

    def __init__(self, inner: Toolset, journal: Journal) -> None:
        super().__init__(inner)
        self.journal = journal

    def _confirmed(self, name: str, arguments: dict[str, Any], key: str | None) -> bool:
        if not key or not key.startswith("tandem-c-"):
            return False
        confirmation_id = key.split("-", 1)[1].rsplit("-", 1)[0]
        try:
            record = self.journal.confirmation(confirmation_id)
        except NotFound:
            return False
        if record["status"] != "confirmed" or idempotency_key(confirmation_id, record["hash"]) != key:
            return False
        call = PendingCall.from_dict(record["call"])
        return call.tool == name and call.arguments == arguments and call_digest(call) == record["hash"]

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        spec = await self.spec(name)
        if spec is None or (spec.transactional and not self._confirmed(name, arguments, idempotency_key)):
            raise PolicyDenied(f"{name} needs the user's confirmation of exactly this call",
                               hint="it was not confirmed, or its arguments changed")
        return await self.inner.call(name, arguments, idempotency_key)
