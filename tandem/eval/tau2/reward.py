"""The tau2 reward of one finished conversation, computed as tau2-bench's evaluator does.

The reward multiplies the checks named in the task's ``reward_basis``:

- ``DB`` (and ``ENV_ASSERTION``): the database after the conversation hashes equal to a fresh database
  on which the task's expected actions were replayed (a replayed action that fails is skipped, as in
  tau2);
- ``COMMUNICATE``: every ``communicate_info`` string occurs in some agent message (case-insensitive,
  commas removed from the message), tau2's substring check for English;
- ``ACTION``: every expected action was called by the agent with the same name and arguments;
- ``NL_ASSERTION``: 1 when the task has no assertions. Assertions need an LLM judge, which this
  evaluation has not (29 of the 74 retail train tasks have some): such a task is marked ``unjudged`` and
  **never counts as passed** (reward 0), because what its assertions require was not checked.

A conversation that did not end by the user or the agent stopping (step limit, too many tool errors,
a model failure, a full context) gets 0, as in tau2. ``strict`` additionally requires the
``communicate_info`` strings even where the basis does not name ``COMMUNICATE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tandem.eval.tau2.data import Domain, Task
from tandem.eval.tau2.tools import Db, ToolError, call_tool

__all__ = ["STOPS", "Reward", "communicated", "expected_db", "score"]

STOPS = frozenset({"user_stop", "agent_stop"})  # endings that are scored; any other scores 0
Call = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Reward:
    """How one conversation scored."""

    reward: float  # tau2's reward: the product of the reward basis checks; 1.0 is a pass
    strict: float  # reward × communicate_info found, whatever the basis says
    db_match: bool  # end state equals the replayed expected actions' end state
    communicated: bool | None  # all communicate_info strings said; None when the task lists none
    unjudged: bool  # the task has NL assertions nobody could judge here (so its reward is 0)


def expected_db(domain: Domain, task: Task) -> Db:
    """A fresh database with the task's expected actions replayed on it."""
    db = domain.fresh_db()
    for action in task.actions:
        try:
            call_tool(db, action.name, action.arguments)
        except ToolError:  # tau2 skips reference actions that fail
            continue
    return db


def communicated(task: Task, agent_texts: Sequence[str]) -> bool | None:
    """Did the agent say every ``communicate_info`` string? None when there are none."""
    if not task.communicate_info:
        return None
    said = [t.lower().replace(",", "") for t in agent_texts]
    return all(any(info.lower() in text for text in said) for info in task.communicate_info)


def _actions_done(task: Task, calls: Sequence[Call]) -> bool:
    return all(any(name == a.name and args == a.arguments for name, args in calls) for a in task.actions)


def score(task: Task, *, ending: str, final_hash: str, gold_hash: str, agent_texts: Sequence[str] = (),
          calls: Sequence[Call] = ()) -> Reward:
    """The reward of a conversation that ended with ``ending``; the hashes (``db_hash``) are of the database
    it left behind and of ``expected_db``."""
    db_match = final_hash == gold_hash
    said = communicated(task, agent_texts)
    basis = set(task.reward_basis)
    checks = []
    if basis & {"DB", "ENV_ASSERTION"}:
        checks.append(db_match)
    if "COMMUNICATE" in basis:
        checks.append(said is not False)
    if "ACTION" in basis:
        checks.append(_actions_done(task, calls))
    unjudged = "NL_ASSERTION" in basis and bool(task.nl_assertions)
    reward = float(ending in STOPS and all(checks) and not unjudged)
    return Reward(reward=reward, strict=reward * float(said is not False), db_match=db_match,
                  communicated=said, unjudged=unjudged)
