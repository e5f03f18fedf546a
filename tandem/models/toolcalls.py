"""Dependable tool calls and JSON answers from a small model.

The model writes calls in Qwen's native format, ``<tool_call>\\n{"name": ..., "arguments": {...}}\\n</tool_call>``.
A GBNF grammar built from the tools' JSON schemas constrains what it may write, ``parse_calls`` reads the
result back, ``repair`` fixes what a grammar cannot express (e.g. "2" for an integer), and ``validate``
checks the arguments against the schema so that an invalid call never reaches a tool.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import jsonschema
from llama_cpp.llama_grammar import JSON_GBNF, json_schema_to_gbnf

from tandem.errors import InvalidRequest
from tandem.models.toolresults import More, is_error_result, more_results, next_arguments
from tandem.types import Message, Tool, ToolCall

__all__ = [
    "CALL_CLOSE",
    "CALL_OPEN",
    "MAX_PAGES",
    "MAX_TRIES",
    "answered",
    "call_grammar",
    "call_key",
    "check_schema",
    "json_grammar",
    "make_call",
    "next_page_calls",
    "parse_calls",
    "repair",
    "result_notes",
    "schema_errors",
    "selected_tools",
    "settled",
]

CALL_OPEN, CALL_CLOSE = "<tool_call>", "</tool_call>"
_DEF_KEYS = ("$defs", "definitions")
_CALL_BLOCK = re.compile(re.escape(CALL_OPEN) + r"\s*(\{.*?\})\s*" + re.escape(CALL_CLOSE), re.S)


def check_schema(schema: dict[str, Any], param: str) -> None:
    """Reject a JSON schema that is itself invalid, or whose ``$ref`` cannot be turned into a grammar
    (remote, recursive or dangling), naming the request field. Remote refs are never fetched."""
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise InvalidRequest(f"invalid JSON schema: {exc.message}", param=param) from exc
    except RecursionError as exc:
        raise InvalidRequest("invalid JSON schema: nested too deeply", param=param) from exc
    problem = _ref_problem(schema)
    if problem:
        raise InvalidRequest(f"unsupported JSON schema: {problem}", param=param,
                             hint="use local refs like '#/$defs/Name' without cycles")


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` value in ``node``, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """``#/$defs/X`` and ``#/definitions/X`` targets of ``schema`` by their ref string."""
    found = {}
    for key in _DEF_KEYS:
        for name, sub in (schema.get(key) or {}).items():
            found[f"#/{key}/{name}"] = sub
    return found


def _ref_problem(schema: dict[str, Any]) -> str | None:
    """Why ``schema``'s refs cannot be compiled to a grammar, or None. Only refs into the root's
    ``$defs``/``definitions`` are resolved; a cycle among them would need an infinite grammar expansion."""
    targets = _definitions(schema)
    for ref in _refs(schema):
        if ref not in targets:
            return f"$ref {ref!r} does not point into this schema's $defs"
    visiting: set[str] = set()
    done: set[str] = set()

    def cyclic(ref: str) -> bool:
        if ref in done:
            return False
        if ref in visiting:
            return True
        visiting.add(ref)
        if any(cyclic(inner) for inner in _refs(targets[ref])):
            return True
        visiting.discard(ref)
        done.add(ref)
        return False

    for ref in targets:
        if cyclic(ref):
            return f"recursive $ref {ref!r}"
    return None


def selected_tools(tools: Sequence[Tool], choice: str) -> list[Tool]:
    """The tools a call may use under ``tool_choice``."""
    if choice in ("auto", "required", "none"):
        return list(tools)
    chosen = [t for t in tools if t.name == choice]
    if not chosen:
        raise InvalidRequest(f"tool_choice names {choice!r}, which is not in tools", param="tool_choice")
    return chosen


def _renamed(node: Any, names: dict[str, str]) -> Any:
    """``node`` with each ``$ref`` in ``names`` replaced by its new ref."""
    if isinstance(node, dict):
        return {k: (names.get(v, v) if k == "$ref" and isinstance(v, str) else _renamed(v, names))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return node


def _call_schema(tool: Tool, index: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``{"name", "arguments"}`` object schema of one call, and the definitions its arguments refer to.

    The arguments sit one level down in the call object, so their ``#/$defs/...`` refs would no longer
    resolve there: the definitions move to the root of the whole grammar's schema, renamed per tool so
    that two tools' models of the same name cannot collide."""
    parameters = dict(tool.parameters or {"type": "object"})
    names = {ref: f"#/$defs/t{index}_{ref.rsplit('/', 1)[1]}" for ref in _definitions(parameters)}
    definitions = {names[ref].rsplit("/", 1)[1]: _renamed(sub, names)
                   for ref, sub in _definitions(parameters).items()}
    for key in _DEF_KEYS:
        parameters.pop(key, None)
    call = {
        "type": "object",
        "properties": {"name": {"const": tool.name}, "arguments": _renamed(parameters, names)},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    }
    return call, definitions


def call_grammar(tools: Sequence[Tool]) -> str:
    """GBNF for one or more ``<tool_call>`` blocks, each naming one of ``tools`` with valid arguments."""
    variants: list[dict[str, Any]] = []
    definitions: dict[str, Any] = {}
    for i, tool in enumerate(tools):
        variant, defs = _call_schema(tool, i)
        variants.append(variant)
        definitions.update(defs)
    schema = variants[0] if len(variants) == 1 else {"oneOf": variants}
    if definitions:
        schema = {**schema, "$defs": definitions}
    call = re.sub(r"(?m)^root ::=", "call ::=", json_schema_to_gbnf(json.dumps(schema)))
    block = f'"{CALL_OPEN}\\n" call "\\n{CALL_CLOSE}"'
    return f'root ::= block ("\\n" block)*\nblock ::= {block}\n{call}'


def json_grammar(schema: dict[str, Any] | None) -> str:
    """GBNF for any JSON object (``schema`` None) or for JSON valid against ``schema``."""
    if schema is None:
        return JSON_GBNF
    return json_schema_to_gbnf(json.dumps(schema))


def parse_calls(text: str) -> list[tuple[str, Any]]:
    """(name, arguments) of each well-formed ``<tool_call>`` block; malformed blocks are skipped."""
    calls = []
    for block in _CALL_BLOCK.findall(text):
        try:
            data = json.loads(block, strict=False)  # grammars let raw control characters into strings
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            calls.append((data["name"], data.get("arguments", {})))
    return calls


def schema_errors(value: Any, schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(value)]


def _coerce(value: Any, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer" and isinstance(value, str | float) and float(value) == int(float(value)):
            return int(float(value))
        if kind == "number" and isinstance(value, str):
            return float(value)
        if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    except ValueError:
        return value
    if kind == "object" and isinstance(value, dict):
        return _repair_object(value, schema)
    if kind == "array" and isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_coerce(v, schema["items"]) for v in value]
    return value


def _repair_object(value: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = schema.get("properties", {})
    out = {}
    for key, item in value.items():
        if key in props:
            out[key] = _coerce(item, props[key])
        elif schema.get("additionalProperties", True) is not False:
            out[key] = item
    return out


def repair(arguments: Any, schema: dict[str, Any]) -> Any:
    """Fix what a grammar cannot: numbers written as strings, and keys the schema forbids."""
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return arguments
    return _coerce(arguments, schema)


def make_call(name: str, arguments: dict[str, Any]) -> ToolCall:
    return ToolCall(id=f"call_{uuid.uuid4().hex[:24]}", name=name, arguments=arguments)


def _answered(messages: Sequence[Message]) -> list[tuple[int, ToolCall, str]]:
    """``answered``, each with the index of the message that holds the result."""
    done: list[tuple[int, ToolCall, str]] = []
    pending: dict[str, ToolCall] = {}
    for i, m in enumerate(messages):
        if m.role == "user":
            done.clear()
            pending.clear()
        for c in m.tool_calls:
            pending[c.id] = c
        if m.role == "tool":
            call = pending.pop(m.tool_call_id or "", None)
            if call is None and pending:
                call = pending.pop(next(iter(pending)))
            if call is not None:
                done.append((i, call, m.content or ""))
    return done


def answered(messages: Sequence[Message]) -> list[tuple[ToolCall, str]]:
    """Calls made since the user last spoke whose results are already in the conversation, each with its
    result: what the model has for this request. A result without a matching id answers the oldest open call."""
    return [(call, result) for _, call, result in _answered(messages)]


# A call that failed this often for one request is not made again: a service that keeps failing ends the
# loop with an answer instead of being called until the client's turn limit.
MAX_TRIES = 3


def _failures(messages: Sequence[Message]) -> Counter[str]:
    return Counter(call_key(c.name, c.arguments) for c, result in answered(messages) if is_error_result(result))


def settled(messages: Sequence[Message]) -> dict[str, ToolCall]:
    """Every call made since the user last spoke whose latest result is in the conversation and is not an
    error, by ``call_key``: the calls that must not be made again for this request. A call with other
    arguments is not among them (search page 2, a second film), nor is one whose result was an error (a
    client's retry after a failure or a validation message), until it has failed ``MAX_TRIES`` times."""
    latest = {call_key(c.name, c.arguments): (c, result) for c, result in answered(messages)}
    failures = _failures(messages)
    return {key: call for key, (call, result) in latest.items()
            if not is_error_result(result) or failures[key] >= MAX_TRIES}


# What the latest results say beyond their data, told to the model as it decides its next step: small
# models answer "it failed" after a failure a client asks them to retry, and stop after page 1 of a list
# the user wanted whole, unless the next step is spelled out.
_FAILED = ("{call} failed, so it did nothing. If the user still wants it, call {name} again now, with "
           "corrected arguments if the result says what was wrong.")
_GAVE_UP = "{call} failed {n} times. Do not call it again; tell the user that it did not work."
_MORE = ("{call} returned {part}; more follow. If the user asked for all of them, the next call is "
         "{next}. Otherwise answer the user.")
# A list whose pages go on and on is not offered further than this within one request.
MAX_PAGES = 5


def _shown(name: str, arguments: Any) -> str:
    return f"{name}({json.dumps(arguments, ensure_ascii=False)})"


def _latest(messages: Sequence[Message]) -> list[tuple[ToolCall, str]]:
    """The calls answered by the tool messages the conversation ends with, each with its result."""
    first = len(messages)
    while first and messages[first - 1].role == "tool":
        first -= 1
    return [(call, result) for index, call, result in _answered(messages) if index >= first]


def _next_page(call: ToolCall, result: str, tools: Sequence[Tool],
               done: list[tuple[ToolCall, str]]) -> tuple[More, dict[str, Any] | None] | None:
    """What ``result`` says follows it, and the arguments of the call that fetches it (None when the tool has
    no page, cursor or offset parameter); None when nothing follows, that call was made already, or the
    function has been called ``MAX_PAGES`` times for this request."""
    more = more_results(result)
    if more is None or sum(c.name == call.name for c, _ in done) >= MAX_PAGES:
        return None
    tool = next((t for t in tools if t.name == call.name), None)
    arguments = next_arguments(call.arguments, tool.parameters if tool else None, more)
    if arguments is not None and call_key(call.name, arguments) in {call_key(c.name, c.arguments) for c, _ in done}:
        return None
    return more, arguments


def next_page_calls(messages: Sequence[Message], tools: Sequence[Tool]) -> set[str]:
    """The calls (as ``call_key``) that fetch the next page of a result the conversation ends with: the
    ones ``result_notes`` offers."""
    done, keys = answered(messages), set()
    for call, result in _latest(messages):
        page = None if is_error_result(result) else _next_page(call, result, tools, done)
        if page is not None and page[1] is not None:
            keys.add(call_key(call.name, page[1]))
    return keys


def result_notes(messages: Sequence[Message], tools: Sequence[Tool]) -> list[str]:
    """Notes on the results the conversation ends with (the tool messages after the last call): which
    calls failed and may be tried again (or have failed ``MAX_TRIES`` times), and which results are one
    page of a longer list, with the call that fetches the next page. Empty when it ends otherwise."""
    done, failures = answered(messages), _failures(messages)
    notes: list[str] = []
    for call, result in _latest(messages):
        shown = _shown(call.name, call.arguments)
        if is_error_result(result):
            n = failures[call_key(call.name, call.arguments)]
            notes.append((_GAVE_UP if n >= MAX_TRIES else _FAILED).format(call=shown, name=call.name, n=n))
        elif (page := _next_page(call, result, tools, done)) is not None:
            more, arguments = page
            part = f"page {more.page} of {more.pages}" if more.page and more.pages else "part of the results"
            after = _shown(call.name, arguments) if arguments is not None else f"{call.name} for the next page"
            notes.append(_MORE.format(call=shown, part=part, next=after))
    return notes


def call_key(name: str, arguments: Any) -> str:
    """One string per distinct call: the same name and arguments, whatever their key order."""
    return json.dumps([name, arguments], sort_keys=True, ensure_ascii=False)
