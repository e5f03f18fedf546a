"""Tasks: what a request becomes. One intent → one task; a task moves through these states

    planned ──► needs-info ──(user answers)──► planned
       │
       ├──► awaiting-confirmation ──(confirm)──► running ──► done | failed
       │            └──(decline)──► cancelled
       └──► running ──► done | failed        (no money involved: runs straight away)

and any task not yet done can be cancelled. Independent tasks of one request run concurrently.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio

__all__ = ["ACTIVE", "EARLIER_PARTNER", "FINAL", "PendingCall", "Task", "TaskState", "run_concurrently", "value_key"]

T = TypeVar("T")


class TaskState(enum.StrEnum):
    PLANNED = "planned"
    NEEDS_INFO = "needs-info"
    AWAITING_CONFIRMATION = "awaiting-confirmation"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset({TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED})
ACTIVE = frozenset({TaskState.PLANNED, TaskState.RUNNING})  # the agent works on these without the user
# A task's slot: the service an earlier order of the user's went to, for a task made anew from it ("same again", a
# declined card asked for after all). It goes to that service while the service is offered (the same shop, whichever
# the user prefers now), else to the one preferred now, which the reply names (``Assistant._commit``,
# ``own_orders_again``). Never a value sent to a partner.
EARLIER_PARTNER = "partner?"


@dataclass(frozen=True)
class PendingCall:
    """The one tool call that finishes a task, exactly as it will be sent (minus the idempotency key)."""

    tool: str  # toolset name of the tool
    service_id: str
    arguments: dict[str, Any]
    transactional: bool  # needs the user's confirmation first
    summary: dict[str, Any] = field(default_factory=dict)  # what the user confirms: partner, items, price, time ...
    items: dict[str, str] = field(default_factory=dict)  # a list answer's name and time fields (the manifest's)
    # summary field -> its name in the task's language, as the partner's manifest declares it (``IntentSpec.label``);
    # not part of what is confirmed (``gate.call_digest``): how a field is named, not what it says
    labels: dict[str, str] = field(default_factory=dict)
    # an answer's field -> a value the partner sends in it (``value_key``) -> its name in the task's language: the
    # partner's own, as its manifest declares it (``IntentSpec.values``: "in_kitchen" is "in der Küche"), else
    # Tandem's (say.toml: "cancelled" is "storniert"); as ``labels``, not confirmed
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "service_id": self.service_id, "arguments": self.arguments,
                "transactional": self.transactional, "summary": self.summary,
                **({"items": self.items} if self.items else {}), **({"labels": self.labels} if self.labels else {}),
                **({"values": self.values} if self.values else {})}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingCall:
        return cls(data["tool"], data["service_id"], data["arguments"], data["transactional"], data["summary"],
                   dict(data.get("items") or {}), dict(data.get("labels") or {}), dict(data.get("values") or {}))

    def named(self, answer: Any) -> dict[str, str]:
        """The states the summary and ``answer`` (a partner's answer; a field of it before the summary's) hold, by
        their names (``values``): {"status": "in der Küche"}."""
        shown = {**self.summary, **(answer if isinstance(answer, dict) else {})}
        return {key: names[said] for key, value in shown.items() if isinstance(value, str)
                and (said := value_key(value)) in (names := self.values.get(key, {}))}


@dataclass(frozen=True)
class Task:
    """One thing the user asked for, as the journal records it."""

    id: str  # "t-" and 32 hex digits (128 random bits: for a caller without a credential the id is the key)
    conversation_id: str
    intent: str  # IntentSpec name
    slots: dict[str, Any]  # normalised slot values so far
    state: TaskState
    language: str  # of the request; questions and summaries use it
    text: str = ""  # the words the task was read from
    question: str | None = None  # needs-info: what to ask the user
    missing: str | None = None  # needs-info: the slot the answer fills
    call: PendingCall | None = None  # awaiting-confirmation / running: the call to make
    confirmation_id: str | None = None  # awaiting-confirmation: what `tandem confirm` takes
    result: Any = None  # done: the partner's structured answer (untrusted data)
    error: str | None = None  # failed: why
    # planned/running: what it waits for: the unreachable service (offline queue), or the user's payment method
    # (skills.PAYMENT_METHOD); resume() tries again
    waiting: str | None = None
    tier: str = "fast"  # understanding tier that produced it
    # Provenance: what the agent filled into the task from what it keeps about the user, and at which key of
    # the call ("profile.name@arguments.name", "place.office@summary.address", "memory.cinema@summary.cinema"):
    # the values a caller that may not read them is told the name of there (tandem.agent.withhold). Everything
    # else the task holds came from the caller or a partner. A source without a key counts at every key of the
    # call; None: not known (a task journaled before provenance was kept): every source counts everywhere.
    # "stored": the partner's answer is what the user stored with it (a tool declaring reads_user_data).
    filled: tuple[str, ...] | None = ()
    created_at: float = 0.0
    updated_at: float = 0.0

    def public(self) -> dict[str, Any]:
        """The JSON shape shown by `tandem tasks list --json` and the HTTP API."""
        return {"id": self.id, "conversation_id": self.conversation_id, "intent": self.intent, "slots": self.slots,
                "state": str(self.state), "language": self.language, "text": self.text, "question": self.question,
                "confirmation_id": self.confirmation_id, "summary": self.call.summary if self.call else None,
                "items": self.call.items if self.call and self.call.items else None,  # how to show a list answer
                # its fields' names as its partner gives them in the task's language ("day": "Liefertag"), and its
                # states by name, as the task line and the voice say them ("status": "in der Küche")
                "labels": self.call.labels if self.call and self.call.labels else None,
                "named": (self.call.named(self.result) or None) if self.call else None,
                "result": self.result, "error": self.error, "waiting": self.waiting, "tier": self.tier,
                "created_at": self.created_at, "updated_at": self.updated_at}


def value_key(value: str) -> str:
    """A partner's value as its name is looked up: in lower case, "_" for a space ("On the way" is on_the_way)."""
    return value.strip().lower().replace(" ", "_")


async def run_concurrently(items: Sequence[T], fn: Callable[[T], Coroutine[Any, Any, Any]]) -> None:
    """Run ``fn`` on every item at once; returns when all are finished."""
    async with anyio.create_task_group() as group:
        for item in items:
            group.start_soon(fn, item)
