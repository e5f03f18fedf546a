"""Reading a tau2 domain: a tasks file (tau2-bench's ``Task`` JSON list), ``db.json`` and ``policy.md``.

``--data`` names a tasks file (the database and policy are read from beside it unless given) or a folder
holding them (its tasks file is ``tasks_train.json``, ``tasks.json`` or its only ``tasks*.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError
from tandem.eval.base import require

__all__ = ["Action", "Domain", "Scenario", "Task", "load", "parse_task"]


@dataclass(frozen=True)
class Action:
    """One expected tool call of the reference trajectory."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """What the simulated customer knows and wants, in the task author's second person ("You are...")."""

    reason: str  # reason_for_call: the request(s)
    known: str  # known_info: identity and facts the customer can give
    unknown: str  # unknown_info: what the customer cannot give ("" if none)
    behaviour: str  # task_instructions: persona hints for an LLM simulator (unused by the scripted user)


@dataclass(frozen=True)
class Task:
    """One tau2 task and how it is scored."""

    id: str
    scenario: Scenario
    actions: tuple[Action, ...]  # replayed on a fresh database to get the expected end state
    communicate_info: tuple[str, ...]  # strings the agent must say (checked when "COMMUNICATE" is a basis)
    reward_basis: tuple[str, ...]  # which checks multiply into the reward: DB, COMMUNICATE, NL_ASSERTION...
    nl_assertions: tuple[str, ...]  # statements only an LLM judge can check


@dataclass(frozen=True)
class Domain:
    """Everything a tau2 run needs besides the model."""

    tasks: tuple[Task, ...]
    db_text: str  # db.json as read; every conversation starts from a fresh parse of it
    policy: str  # the agent's system prompt body
    tasks_path: Path

    def fresh_db(self) -> dict[str, Any]:
        return dict(json.loads(self.db_text))


def _text(value: Any) -> str:
    return "" if value in (None, "None", ".") else str(value).strip()


def _scenario(raw: Any) -> Scenario:
    instructions = (raw or {}).get("instructions") if isinstance(raw, dict) else raw
    if isinstance(instructions, str):  # early tau2 tasks: one free-text instruction
        return Scenario(reason=instructions, known="", unknown="", behaviour="")
    if not isinstance(instructions, dict):
        raise ConfigError("a tau2 task has no user_scenario.instructions")
    return Scenario(reason=_text(instructions.get("reason_for_call")).lstrip(". "),
                    known=_text(instructions.get("known_info")), unknown=_text(instructions.get("unknown_info")),
                    behaviour=_text(instructions.get("task_instructions")))


def parse_task(row: dict[str, Any]) -> Task:
    """One task in tau2-bench's JSON shape."""
    criteria = row.get("evaluation_criteria") or {}
    actions = tuple(Action(a["name"], dict(a.get("arguments") or {})) for a in criteria.get("actions") or ())
    return Task(id=str(row["id"]), scenario=_scenario(row.get("user_scenario")), actions=actions,
                communicate_info=tuple(str(s) for s in criteria.get("communicate_info") or ()),
                reward_basis=tuple(criteria.get("reward_basis") or ("DB", "COMMUNICATE")),
                nl_assertions=tuple(criteria.get("nl_assertions") or ()))


def _tasks_file(folder: Path) -> Path:
    for name in ("tasks_train.json", "tasks.json"):
        if (folder / name).is_file():
            return folder / name
    found = sorted(folder.glob("tasks*.json"))
    if len(found) != 1:
        raise ConfigError(f"expected one tasks*.json in {folder}, found {len(found)}",
                          hint="pass the tasks file itself with --data")
    return found[0]


def load(data: Path, db: Path | None = None, policy: Path | None = None) -> Domain:
    """Tasks, database and policy of one tau2 domain."""
    require(data, "tau2 tasks")
    tasks_path = _tasks_file(data) if data.is_dir() else data
    db_path = require(db or tasks_path.parent / "db.json", "tau2 db.json (or pass --db)")
    policy_path = require(policy or tasks_path.parent / "policy.md", "tau2 policy.md (or pass --policy)")
    try:
        rows = json.loads(tasks_path.read_text(encoding="utf-8"))
        tasks = tuple(parse_task(r) for r in rows)
        db_text = db_path.read_text(encoding="utf-8")
        json.loads(db_text)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"not a tau2 domain: {tasks_path} / {db_path}: {exc}") from exc
    return Domain(tasks=tasks, db_text=db_text, policy=policy_path.read_text(encoding="utf-8"),
                  tasks_path=tasks_path)
