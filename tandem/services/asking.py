"""A partner asking the user for a value in the middle of a call (MCP elicitation, form mode).

Tandem answers a partner's question only with what the user said for that call: the agent passes the user's
answers with the call under ``ANSWERS`` (the hub takes them out of the arguments); a question they answer is
accepted with them. Any other question is declined and kept (``Call.asked``), and the hub returns it with the
failed call, so the assistant asks the user in the partner's words and makes the call again with the answer (a
committing call only after the user confirmed it with the answer in its summary). Nothing is made up for a partner.

A connection's calls may run at once, and a question does not say which call it belongs to (over stdio): it is
answered only while one call is open on the connection, with that call's answers; otherwise it is declined and kept
by every call open then (a call that ends well ignores it), so one task's answer never answers another's call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mcp.types import ElicitRequestFormParams, ElicitRequestParams, ElicitResult

from tandem.observe import count

__all__ = ["ANSWERS", "Call", "Calls"]

ANSWERS = "_answers"  # the argument the agent passes the user's answers in (tandem.agent.toolset.ANSWERS)
_FIELDS, _CHOICES, _CHARS = 8, 20, 500  # how much of a partner's question is kept: fields, choices, characters
_NAME = re.compile(r"[A-Za-z_][\w.-]{0,63}")  # a field's name, also a key of the call's summary
_KEPT = ("type", "title", "description", "enum", "enumNames", "minimum", "maximum")
log = logging.getLogger("tandem.services")


@dataclass
class Call:
    """One call in flight: the user's answers it carries, what its tool may ask (its manifest's ``asks``), and the
    first question it could not answer."""

    answers: dict[str, Any]
    asks: dict[str, str] = field(default_factory=dict)  # field -> kind the tool declares it may ask
    asked: dict[str, Any] | None = None  # {"message": ..., "fields": {name: schema}, "required": [names]}


class Calls:
    """The calls in flight on one connection, answering the partner's questions from them."""

    def __init__(self) -> None:
        self._open: list[Call] = []

    @contextmanager
    def open(self, answers: dict[str, Any] | None, asks: dict[str, str] | None = None) -> Iterator[Call]:
        """A call in flight with the user's ``answers`` and what its tool declares it may ask (``asks``: nothing when
        None; a question for anything undeclared is declined, never kept for the user)."""
        call = Call(dict(answers or {}), dict(asks or {}))
        self._open.append(call)
        try:
            yield call
        finally:
            self._open.remove(call)

    async def elicit(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        """The MCP client's elicitation callback: accept with the user's answers, or decline and keep the question
        (a URL to open, or a form Tandem cannot read, is declined)."""
        asked = _question(params) if isinstance(params, ElicitRequestFormParams) else None
        if asked is None:
            return ElicitResult(action="decline")
        fields, required = asked["fields"], asked["required"]
        allowed = [call for call in self._open if _declared(fields, call.asks)]
        if len(allowed) < len(self._open):  # a question its tool never declared: not the user's to see
            count("partner_errors", "undeclared-question")
            log.warning("a partner asked for %s, which the tool does not declare it may ask: declined",
                        ",".join(sorted(fields)), extra={"event": "partner_error", "reason": "undeclared-question"})
        if len(self._open) == 1 and allowed:  # with two calls open, either may have asked: answered by neither
            given = {name: self._open[0].answers[name] for name in fields if name in self._open[0].answers}
            if given and all(name in given for name in required):
                return ElicitResult(action="accept", content=given)
        for call in allowed:
            call.asked = call.asked or asked
        return ElicitResult(action="decline")


# The schema a declared kind takes: its JSON type(s), and whether it is one of an enum.
_KINDS = {"text": ({"string"}, False), "count": ({"integer", "number"}, False), "choice": ({"string"}, True),
          "yes_no": ({"boolean"}, False)}


def _declared(fields: dict[str, dict[str, Any]], asks: dict[str, str]) -> bool:
    """Whether the tool declares every field of a question, each of the kind its schema says (a "count" is asked as a
    number, a "choice" with its choices)."""
    for name, schema in fields.items():
        types, choice = _KINDS.get(asks.get(name, ""), (set(), False))
        if schema.get("type", "string") not in types or bool(schema.get("enum")) != choice:
            return False
    return True


def _question(params: ElicitRequestFormParams) -> dict[str, Any] | None:
    """The partner's question, cut to what Tandem can ask and show; None when it names no field it can read."""
    properties = params.requestedSchema.get("properties")
    if not isinstance(properties, dict):
        return None
    fields = {name: _field(schema) for name, schema in list(properties.items())[:_FIELDS]
              if isinstance(name, str) and _NAME.fullmatch(name) and isinstance(schema, dict)}
    if not fields:
        return None
    required = [n for n in params.requestedSchema.get("required") or () if n in fields]
    return {"message": str(params.message)[:_CHARS], "fields": fields, "required": required}


def _field(schema: dict[str, Any]) -> dict[str, Any]:
    kept = {key: schema[key] for key in _KEPT if key in schema}
    for key in ("enum", "enumNames"):
        if isinstance(kept.get(key), list):
            kept[key] = [str(v)[:100] for v in kept[key][:_CHOICES]]
    return {key: value[:_CHARS] if isinstance(value, str) else value for key, value in kept.items()}
