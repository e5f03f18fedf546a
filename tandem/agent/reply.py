"""What the assistant tells the user about its tasks: a line per task (``describe``), in the task's language where
it matters, and the answer to one turn (``Reply``: the tasks it moved and the text to show)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tandem.agent.skills import PAYMENT_METHOD, skill_text
from tandem.agent.spoken import found, label, named, repeating, value_said, when_said
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.agent.understand import Understanding
from tandem.text import one_line

__all__ = ["Reply", "describe", "facts"]

_VALUE = 200  # characters of one value a partner answered, in a task's line
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")


@dataclass(frozen=True)
class Reply:
    """The assistant's answer to one user turn."""

    conversation_id: str
    understanding: Understanding | None  # None when the turn answered a question of an earlier task
    tasks: tuple[Task, ...]  # the tasks this turn created or moved on
    text: str  # what to tell the user
    turn: int | None = None  # the journal's id of this answer's turn (Journal.name_turn)

    def public(self) -> dict[str, Any]:
        u = self.understanding
        return {"conversation_id": self.conversation_id, "text": self.text,
                "understanding": None if u is None else {"tier": u.tier, "confidence": u.confidence,
                                                         "language": u.language, "latency_ms": round(u.latency_ms, 2)},
                "tasks": [t.public() for t in self.tasks]}


def describe(task: Task) -> str:
    """One line about a task for the user, in the task's language where it matters."""
    if task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None:
        return f"{facts(task)} — {skill_text('confirm', task.language)}: {task.confirmation_id}"
    if task.state == TaskState.NEEDS_INFO:
        return f"[{task.id}] {task.question}"
    if task.state == TaskState.DONE:
        result = task.result
        ref = result.get("order_id") or result.get("id") if isinstance(result, dict) else None
        read_only = task.call is not None and not task.call.transactional  # "where is my order": its status too
        return f"[{task.id}] {task.intent}: done" + (f" ({ref})" if ref else "") + \
            (_card(task) if read_only or not ref else "")
    if task.state == TaskState.CANCELLED:  # "cancel_food_order: cancelled" alone reads as "the order is cancelled"
        why = f": {one_line(task.error)}" if task.error else ""  # an undoing card not made (kept): which order stays
        return f"[{task.id}] {task.intent}: {task.state} — {skill_text('nothing_done', task.language)}{why}"
    if task.state == TaskState.FAILED:
        return f"[{task.id}] {task.intent}: failed: {one_line(task.error)}"
    if task.waiting == PAYMENT_METHOD:
        return f"[{task.id}] {task.intent}: {skill_text('waiting_payment', task.language)}"
    waiting = f" (waiting for {task.waiting})" if task.waiting else ""
    return f"[{task.id}] {task.intent}: {task.state}{waiting}"


def facts(task: Task) -> str:
    """A prepared call's line as its card says it ("[t-…] buy_movie_tickets: film: Dune, …, total: 25.0"), without
    the confirmation it asks for."""
    call = task.call
    said = ", ".join(_fact(k, call, v, task.language) for k, v in call.summary.items() if v not in (None, "")) \
        if call is not None else ""
    return f"[{task.id}] {task.intent}: {said}"


def _fact(key: str, call: PendingCall, value: Any, lang: str) -> str:
    """One fact of a confirmation: a list as its items, a time and a state as the user says them ("Beginn: Sonntag,
    6. Dezember um 20 Uhr", not "starts_at: 2026-12-06 20:00"; "Status: wird zubereitet", not "preparing"), by the
    names ``call``'s partner gives its fields and values."""
    said = '; '.join(map(str, value)) if isinstance(value, list) else _timed(value_said(key, value, lang, call.values),
                                                                              lang)
    return f"{_shown(label(key, lang, call.labels))}: {_shown(said)}"


def _card(task: Task) -> str:
    """A read-only answer in a few words: a route's facts, the first names of a listing (by the fields its manifest
    declares, ``PendingCall.items``); a time in the task's language and the device's time zone."""
    result, lang, values = task.result, task.language, task.call.values if task.call else None
    if isinstance(result, dict):  # its words and numbers; a yes/no flag ("replayed: False") tells the user nothing
        facts = [f"{_shown(label(k, lang))}: {_shown(_timed(value_said(k, v, lang, values), lang))}"
                 for k, v in result.items()
                 if isinstance(v, str | int | float) and not isinstance(v, bool) and not k.endswith("id")]
        return f" — {', '.join(facts[:5])}" if facts else ""
    if isinstance(result, list) and not result:  # "show_reminders: done — 0 found": a sentence in their language
        return f" — {found(0, '', lang)}"
    if isinstance(result, list):
        fields = task.call.items if task.call else {}
        names = [_named(r, fields, lang) for r in result if isinstance(r, dict)]
        shown = ", ".join(n for n in names[:5] if n)
        return f" — {len(result)} found" + (f": {shown}" if shown else "")
    return ""


def _named(item: dict[str, Any], fields: dict[str, str], lang: str) -> str:
    """An item of a listing by its name, with its time when it has one ("Zahnarzt (Sonntag, 6. Dezember um 15 Uhr)")."""
    name, at = named(item, fields)
    return f"{_shown(name)} ({_shown(repeating(item, when_said(at, lang), lang))})" if name and at else _shown(name)


def _timed(value: Any, lang: str) -> Any:
    """A partner's value, an ISO date and time said in ``lang`` ("eta: 2026-12-06T18:40:00+01:00" → "Sonntag, …")."""
    return when_said(value, lang) if isinstance(value, str) and _ISO_TIME.fullmatch(value) else value


def _shown(value: object) -> str:
    """A partner's value in a task's line: on one line (a line break cannot start a fake task line or confirmation
    of its own), a line's worth of it."""
    text = one_line(value)
    return text if len(text) <= _VALUE else text[:_VALUE - 1] + "…"
