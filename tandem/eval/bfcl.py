"""BFCL v4 single-turn function calling (gorilla's berkeley-function-call-leaderboard), AST accuracy.

Questions are JSON lines ``{"id", "question": [[messages]], "function": [schemas]}``; possible answers
are JSON lines ``{"id", "ground_truth": [{name: {param: [allowed values]}}]}`` in ``answer_<category>.json``
(this repo's copy) or ``possible_answer/<same file name>`` (the ``bfcl-eval`` package layout). The checker
follows BFCL's AST checker: names must match, every parameter must be allowed (``""`` in the list means it
may be left out), strings compare without case, spaces and ``,./-_*^``, parallel calls match in any order,
and an irrelevance item is right only when no call is made.

Two predictors run on the same prompt: Tandem's grammar-constrained tool calls (``tool_choice`` auto),
and the plain prompt the chat template would render, parsed without a grammar.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError, TandemError
from tandem.eval.base import EvalRun, require, take
from tandem.eval.report import Report
from tandem.models.base import Model, complete
from tandem.models.toolcalls import parse_calls
from tandem.types import ChatRequest, Message, Role, Tool

__all__ = ["DEFAULT_CATEGORIES", "Item", "call_matches", "constrained_predictor", "is_correct", "load",
           "plain_predictor", "read_calls", "run", "to_json_schema", "to_tools", "value_matches"]

DEFAULT_CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")
_ALIASES = {"simple": "simple_python"}
_TYPES = {"dict": "object", "float": "number", "tuple": "array", "list": "array", "int": "integer",
          "bool": "boolean", "str": "string"}
Call = tuple[str, Any]  # (function name, arguments)
_OPENING = re.compile(r"[\[{]")


@dataclass(frozen=True)
class Item:
    """One BFCL question with its possible answers."""

    id: str
    category: str  # from the file name: BFCL_v4_parallel.json -> "parallel"
    messages: tuple[Message, ...]  # the first (only) turn
    functions: tuple[dict[str, Any], ...]  # BFCL function documents, as published
    answers: tuple[dict[str, dict[str, list[Any]]], ...]  # ground truth; empty for irrelevance


def to_json_schema(node: Any) -> Any:
    """BFCL's Python-flavoured schema types ("dict", "float", "tuple", "any") as JSON Schema."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "type":
            if value != "any":
                out["type"] = _TYPES.get(value, value)
        elif key == "properties" and isinstance(value, dict):
            out["properties"] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = to_json_schema(value)
        elif key != "default" and key != "optional":
            out[key] = value
    if "required" in out:  # some documents require parameters they never describe
        out["required"] = [r for r in out["required"] if r in out.get("properties", {})]
    return out


def to_tools(functions: Sequence[dict[str, Any]]) -> tuple[Tool, ...]:
    return tuple(Tool(name=f["name"], description=f.get("description", ""),
                      parameters=to_json_schema(f.get("parameters") or {"type": "dict", "properties": {}}))
                 for f in functions)


def _category(path: Path) -> str:
    return re.sub(r"^BFCL_v\d+_", "", path.stem)


def _answers(path: Path) -> dict[str, tuple[dict[str, Any], ...]]:
    for candidate in (path.parent / f"answer_{_category(path)}.json", path.parent / "possible_answer" / path.name):
        if candidate.is_file():
            rows = (json.loads(line) for line in candidate.read_text(encoding="utf-8").splitlines() if line.strip())
            return {r["id"]: tuple(r["ground_truth"]) for r in rows}
    return {}


def _read(path: Path) -> list[Item]:
    answers, items = _answers(path), []
    category = _category(path)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        turn = row["question"][0]
        if "irrelevance" not in category and row["id"] not in answers:
            raise ConfigError(f"no possible answer for {row['id']}", hint=f"add answer_{category}.json")
        messages = tuple(Message(role=_role(m["role"]), content=m["content"]) for m in turn)
        items.append(Item(row["id"], category, messages, tuple(row["function"]), answers.get(row["id"], ())))
    return items


def _role(role: str) -> Role:
    return "system" if role == "system" else "assistant" if role == "assistant" else "user"


def load(data: Path, categories: Sequence[str] = ()) -> dict[str, list[Item]]:
    """Category -> items. A directory holds ``BFCL_v*_<category>.json`` files; without ``categories``
    the default five are read (or every category there, if it holds none of them)."""
    require(data, "BFCL data")
    if data.is_file():
        return {_category(data): _read(data)}
    files = {_category(p): p for p in sorted(data.glob("*.json")) if not p.name.startswith("answer_")}
    wanted = [_ALIASES.get(c, c) for c in categories] or [c for c in DEFAULT_CATEGORIES if c in files] or list(files)
    missing = [c for c in wanted if c not in files]
    if missing or not wanted:
        raise ConfigError(f"no BFCL file for {', '.join(missing) or 'any category'} in {data}",
                          hint=f"found: {', '.join(files) or 'nothing'}")
    return {c: _read(files[c]) for c in wanted}


def _standard(text: str) -> str:
    return re.sub(r"[ ,./\-_*^]", "", text).lower().replace("'", '"')


def value_matches(value: Any, allowed: Any) -> bool:
    """Does ``value`` equal one allowed candidate, the way BFCL's checker compares them?"""
    if isinstance(allowed, dict):
        return isinstance(value, dict) and _params_match(value, allowed)
    if isinstance(allowed, list):
        return (isinstance(value, list | tuple) and len(value) == len(allowed)
                and all(value_matches(v, a) for v, a in zip(value, allowed, strict=True)))
    if isinstance(allowed, str):
        return isinstance(value, str) and _standard(value) == _standard(allowed)
    if isinstance(allowed, bool) or isinstance(value, bool):
        return value is allowed
    if isinstance(allowed, int | float):
        return isinstance(value, int | float) and value == allowed
    return bool(value == allowed)


def _params_match(arguments: dict[str, Any], options: dict[str, list[Any]]) -> bool:
    for name, value in arguments.items():
        if name not in options or not any(value_matches(value, a) for a in options[name] if a != ""):
            return False
    return all("" in allowed for name, allowed in options.items() if name not in arguments)


def call_matches(call: Call, answer: dict[str, dict[str, list[Any]]]) -> bool:
    """One call against one ground-truth entry ``{name: {param: [allowed values]}}``."""
    name, arguments = call
    ((expected, options),) = answer.items()
    return name == expected and isinstance(arguments, dict) and _params_match(arguments, options)


def _assign(calls: list[Call], answers: list[dict[str, Any]]) -> bool:
    if not answers:
        return not calls
    first, rest = answers[0], answers[1:]
    return any(call_matches(c, first) and _assign(calls[:i] + calls[i + 1:], rest) for i, c in enumerate(calls))


def is_correct(item: Item, calls: Sequence[Call]) -> bool:
    """BFCL's verdict: no call for irrelevance, else exactly the answers' calls in any order."""
    if not item.answers:
        return not calls
    return len(calls) == len(item.answers) and _assign(list(calls), list(item.answers))


Predictor = Callable[[Item], list[Call]]


def constrained_predictor(model: Model) -> Predictor:
    """Tandem's path: tools in the request, ``tool_choice`` auto, calls constrained by a grammar."""

    def predict(item: Item) -> list[Call]:
        request = ChatRequest(messages=item.messages, tools=to_tools(item.functions), tool_choice="auto",
                              temperature=0.0, max_tokens=400, seed=0)
        try:
            result = complete(model, request)
        except TandemError:  # no valid call after the retry: counts as no call
            return []
        return [(c.name, c.arguments) for c in result.message.tool_calls]

    return predict


_PLAIN = ("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n# Tools\n\nYou may call one or "
          "more functions to assist with the user query.\n\nYou are provided with function signatures within "
          "<tools></tools> XML tags:\n<tools>\n{tools}\n</tools>\n\nFor each function call, return a json object "
          "with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
          '{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call>')


def plain_predictor(model: Model) -> Predictor:
    """The baseline: Qwen's own tool prompt as text, the answer parsed without any grammar or repair."""

    def predict(item: Item) -> list[Call]:
        tools = "\n".join(json.dumps({"type": "function", "function": {"name": t.name, "description": t.description,
                                                                        "parameters": t.parameters}})
                          for t in to_tools(item.functions))
        system = _PLAIN.format(tools=tools)
        extra = tuple(m for m in item.messages if m.role == "system")
        if extra:
            system = "\n\n".join([*(m.content or "" for m in extra), system])
        messages = (Message("system", system), *(m for m in item.messages if m.role != "system"))
        request = ChatRequest(messages=messages, temperature=0.0, max_tokens=400, seed=0)
        try:
            text = complete(model, request).message.content or ""
        except TandemError:
            return []
        return read_calls(text)

    return predict


def _as_calls(value: Any) -> list[Call]:
    values = value if isinstance(value, list) else [value]
    return [(v["name"], v.get("arguments", v.get("parameters", {}))) for v in values
            if isinstance(v, dict) and isinstance(v.get("name"), str)]


def read_calls(text: str) -> list[Call]:
    """Calls in free text: Qwen's ``<tool_call>`` blocks, else JSON objects (or lists of them) naming a
    function, bare or fenced, which is how small models often answer a tool prompt without a grammar."""
    tagged = parse_calls(text)
    if tagged:
        return tagged
    decoder, calls, i = json.JSONDecoder(), [], 0
    while (match := _OPENING.search(text, i)) is not None:
        try:
            value, end = decoder.raw_decode(text, match.start())
        except ValueError:
            i = match.start() + 1
            continue
        calls += _as_calls(value)
        i = end
    return calls


def _modes(run: EvalRun) -> dict[str, Predictor]:
    wanted = run.options.get("constrained", "both")
    modes: dict[str, Predictor] = {}
    if wanted in ("both", "on"):
        modes["constrained"] = constrained_predictor(run.model())
    if wanted in ("both", "off"):
        modes["plain"] = plain_predictor(run.model())
    return modes


def run(run: EvalRun) -> Report:
    """AST accuracy per category (the first ``limit`` items of each) and mode; ``mean`` is their
    unweighted average, as BFCL's summary averages categories."""
    started = time.monotonic()
    data = load(run.data, run.options.get("categories") or ())
    modes = _modes(run)
    rows: dict[str, dict[str, float | int]] = {}
    items: list[dict[str, Any]] = []
    for category, questions in data.items():
        chosen = list(take(questions, run.limit))
        row: dict[str, float | int] = {}
        for mode, predict in modes.items():
            right = 0
            run.progress(f"bfcl {category} {mode}", 0, len(chosen))
            for i, item in enumerate(chosen):
                calls = predict(item)
                right += (ok := is_correct(item, calls))
                items.append({"id": item.id, "mode": mode, "calls": [list(c) for c in calls], "correct": ok})
                run.progress(f"bfcl {category} {mode}", i + 1, len(chosen))
            row[mode] = right / len(chosen) if chosen else 0.0
        rows[category] = {**row, "n": len(chosen)}
    if len(rows) > 1:
        rows["mean"] = {m: sum(float(r[m]) for r in rows.values()) / len(rows) for m in modes}
    notes = ["AST accuracy as BFCL's checker computes it; `constrained`: Tandem's grammar-constrained tool calls "
             "(tool_choice auto); `plain`: the same tool prompt, answer parsed without grammar or repair.",
             "`mean`: unweighted mean over categories."]
    return Report(suite="bfcl", data=str(run.data), rows=rows, model=run.model_id, limit=run.limit,
                  options={"modes": ", ".join(modes)}, notes=notes, items=items, seconds=time.monotonic() - started)
