"""A partner asking the user for a value its call needs (MCP elicitation): the task asks the user in the partner's
words, and its call is made again with the answer.

A call that ended on the partner's question comes back failed, its data ``{"asked": {"message", "fields",
"required"}}`` (the service hub sets it; a partner's own error has no data). The task then needs the user's answer:
``missing`` is ``partner.<field>``, the field's schema waits in the slot ``partner?``. The answer is read by the
field's type (a count, a yes or no, one of the partner's choices, text) and kept as the slot ``partner.<field>``;
from then on every call of the task carries the user's answers (``ANSWERS``, taken out by the hub) and shows them
in its summary, so a committing call is confirmed again with exactly what the user answered before it goes out.

The question is the partner's text: shown on one line after the partner's name, cut to a line's worth, never
followed; only what the user answers is sent back, never a value Tandem has of them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tandem.agent.minimise import declares, not_declared, personal_kinds
from tandem.agent.profile import Profile
from tandem.agent.skills import fold, skill_text
from tandem.agent.slots import parse_count
from tandem.agent.spoken import yes_or_no
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.agent.toolset import ANSWERS, ToolResult, ToolSpec
from tandem.text import one_line

__all__ = ["ANSWERED", "ANSWERS", "PENDING", "answers", "ask", "read", "with_answers"]

ANSWERED = "partner."  # a task's slot holding the user's answer to a partner's question ("partner.colour")
PENDING = "partner?"  # a task's slot holding the schema of the field the partner asks for
_MESSAGE, _CHOICE, _CHOICES, _TEXT = 200, 40, 8, 500  # characters of the question, a choice; choices; an answer


def ask(task: Task, result: ToolResult, tool: ToolSpec | None) -> Task | None:
    """The task asking the user the partner's question its call ended on; None when it ended otherwise. A question
    for personal data the tool does not declare (its field named "email", "phone", "iban" ...) is not put to the
    user: the task fails, saying so."""
    asked = result.data.get("asked") if not result.ok and isinstance(result.data, dict) else None
    if not isinstance(asked, dict) or not isinstance(asked.get("fields"), dict):
        return None
    fields, given = asked["fields"], answers(task.slots)
    required = [n for n in asked.get("required", []) if n in fields]
    name = next((n for n in [*required, *fields] if n not in given), None)
    if name is None:  # asked again what the user answered: the partner does not take it
        return None
    partner = (tool.partner or tool.service_id) if tool else (task.call.service_id if task.call else "")
    declared = tool.personal_data if tool else ()
    spelled = re.sub(r"(?<=[a-z])(?=[A-Z])|-", "_", name)  # contactEmail, e-mail: as snake_case names are read
    schema = fields[name] if isinstance(fields[name], dict) else {}
    found = personal_kinds(spelled, name, Profile()) | ({"email"} if schema.get("format") == "email" else set())
    kinds = sorted(k for k in found if not declares(k, declared))
    if kinds:
        return replace(task, state=TaskState.FAILED, error=not_declared(partner, kinds), waiting=None)
    choices = ", ".join(one_line(c)[:_CHOICE] for c in (schema.get("enum") or [])[:_CHOICES])
    question = skill_text("partner_asks", task.language, partner=partner,
                          message=one_line(str(asked.get("message") or schema.get("title") or name))[:_MESSAGE])
    return replace(task, state=TaskState.NEEDS_INFO, missing=ANSWERED + name, call=None, waiting=None,
                   confirmation_id=None, question=f"{question} ({choices})" if choices else question,
                   slots={**task.slots, PENDING: schema})


def read(text: str, schema: dict[str, Any]) -> Any:
    """The user's answer as the field's type; None when it is none of the partner's choices or not of its type."""
    kind, said = schema.get("type"), text.strip()
    if schema.get("enum"):
        return next((c for c in schema["enum"] if fold(c) == fold(said)), None)
    if kind == "boolean":
        found = yes_or_no(said)
        return None if found is None else found == "yes"
    if kind in ("integer", "number"):
        return parse_count(said)
    return said[:_TEXT] or None


def answers(slots: dict[str, Any]) -> dict[str, Any]:
    """The user's answers to the partner's questions, by field."""
    return {k.removeprefix(ANSWERED): v for k, v in slots.items() if k.startswith(ANSWERED)}


def with_answers(call: PendingCall, slots: dict[str, Any]) -> PendingCall:
    """The call carrying the user's answers, and showing them in its summary (what a confirmation covers)."""
    given = answers(slots)
    if not given:
        return call
    taken = {*call.summary, "partner", "payment"}  # a field named "payment" does not pose as Tandem's label
    shown = {(k if k not in taken else f"{k} ({ANSWERED[:-1]})"): v for k, v in given.items()}
    return replace(call, arguments={**call.arguments, ANSWERS: given}, summary={**call.summary, **shown})

