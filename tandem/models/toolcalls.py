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
from collections.abc import Iterator, Sequence
from typing import Any

import jsonschema
from llama_cpp.llama_grammar import JSON_GBNF, json_schema_to_gbnf

from tandem.errors import InvalidRequest
from tandem.types import Message, Tool, ToolCall

__all__ = [
    "CALL_CLOSE",
    "CALL_OPEN",
    "answered",
    "call_grammar",
    "call_key",
    "check_schema",
    "is_error_result",
    "json_grammar",
    "make_call",
    "parse_calls",
    "repair",
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


def answered(messages: Sequence[Message]) -> list[tuple[ToolCall, str]]:
    """Calls made since the user last spoke whose results are already in the conversation, each with its
    result: what the model has for this request. A result without a matching id answers the oldest open call."""
    done: list[tuple[ToolCall, str]] = []
    pending: dict[str, ToolCall] = {}
    for m in messages:
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
                done.append((call, m.content or ""))
    return done


def settled(messages: Sequence[Message]) -> dict[str, ToolCall]:
    """Every call made since the user last spoke whose latest result is in the conversation and is not an
    error, by ``call_key``: the calls that must not be made again for this request. A call with other
    arguments is not among them (search page 2, a second film), nor is one whose result was an error (a
    client's retry after a failure or a validation message)."""
    latest = {call_key(c.name, c.arguments): (c, result) for c, result in answered(messages)}
    return {key: call for key, (call, result) in latest.items() if not is_error_result(result)}


# The chat API has no error flag on a tool message, so a failed call is known by what clients send back:
# LangChain and llm "Error: ...", openai-agents "An error occurred while running the tool. Please try
# again.", pydantic-ai "<why>\n\nFix the errors and try again.", MCP clients "Error executing tool ...", or
# a JSON object with an "error" member. Only the result's opening and its close are read, so that a result
# which merely mentions such a word in its data (a film called "Error") stays a result.
_ERROR_WORDS = re.compile(r"\b(errors?|exception|failed|failure|try again)\b", re.I)
_ERROR_KEYS = ("error", "errors", "is_error", "isError")


def is_error_result(content: str) -> bool:
    """Whether a tool result reports that the call failed (so calling it again is a retry, not a repeat)."""
    text = content.strip()
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if isinstance(value, dict):
        status = str(value.get("status", "")).lower()
        return any(value.get(k) for k in _ERROR_KEYS) or status in ("error", "failed", "failure")
    return isinstance(value, str) and bool(_ERROR_WORDS.search(value[:160]) or _ERROR_WORDS.search(value[-80:]))


def call_key(name: str, arguments: Any) -> str:
    """One string per distinct call: the same name and arguments, whatever their key order."""
    return json.dumps([name, arguments], sort_keys=True, ensure_ascii=False)
