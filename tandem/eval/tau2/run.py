"""``tandem eval tau2``: the model under test serves customers of the tau2 retail store.

Per task and trial: a fresh copy of the database, the agent (the model, with the policy as its system
prompt, as tau2's ``LLMAgent`` has it, and the retail tools through Tandem's tool calling with
``tool_choice`` auto), and the scripted customer of ``user.py``. The agent opens with tau2's greeting;
each agent turn is either tool calls, which run on the database and whose outputs the agent reads next,
or a message to the customer, who answers. The conversation ends when the customer (or the agent, with
``###STOP###``) ends it, or at tau2's limits: ``MAX_STEPS`` messages, ``MAX_ERRORS`` failed tool calls; a
model failure or a full context also ends it. ``reward.py`` scores it.

pass^k is tau2's: per task with ``c`` passes in ``n`` trials, C(c, k) / C(n, k), averaged over tasks.
One trial decodes greedily (repeatable); several sample at ``TRIAL_TEMPERATURE`` with seeds 0..n-1, so
that trials can differ.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from math import comb
from typing import Any

from tandem.errors import ContextOverflow, TandemError
from tandem.eval.base import EvalRun, take
from tandem.eval.report import Report
from tandem.eval.tau2.data import Domain, Task, load
from tandem.eval.tau2.reward import Reward, expected_db, score
from tandem.eval.tau2.schemas import RETAIL_TOOLS
from tandem.eval.tau2.tools import Db, ToolError, call_tool, db_hash
from tandem.eval.tau2.user import STOP, TRANSFER, ScriptedUser
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ToolCall

__all__ = ["GREETING", "MAX_ERRORS", "MAX_STEPS", "Conversation", "converse", "pass_hat_k", "run",
           "system_prompt"]

GREETING = "Hi! How can I help you today?"  # tau2's first agent message
MAX_STEPS = 50  # messages (agent, customer, tool) before the run is cut off
MAX_ERRORS = 10  # failed tool calls before the run is cut off (tau2's default)
MAX_TOKENS = 400  # per agent message
TRIAL_TEMPERATURE = 0.7
_INSTRUCTION = ("You are a customer service agent who helps the user according to the <policy> below.\n"
                "In each turn you either send a message to the user or make a tool call, never both.\n\n"
                "Be helpful and always follow the policy.")


def system_prompt(policy: str) -> str:
    return f"<instructions>\n{_INSTRUCTION}\n</instructions>\n<policy>\n{policy.strip()}\n</policy>"


@dataclass
class Conversation:
    """What happened in one conversation."""

    db: Db  # the database as the conversation left it
    ending: str = ""  # user_stop, agent_stop, max_steps, too_many_errors, context, model_error
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # the agent's tool calls, in order
    agent_texts: list[str] = field(default_factory=list)  # the agent's messages to the customer
    transcript: list[list[str]] = field(default_factory=list)  # [speaker, text] without tool outputs
    steps: int = 0  # messages so far, the greeting included
    errors: int = 0  # failed tool calls


def _tool_message(conversation: Conversation, call: ToolCall) -> Message:
    conversation.calls.append((call.name, call.arguments))
    conversation.transcript.append(["call", f"{call.name} {call.arguments}"])
    try:
        output = call_tool(conversation.db, call.name, call.arguments)
    except ToolError as exc:
        conversation.errors += 1
        output = f"Error: {exc}"
    return Message(role="tool", content=output, tool_call_id=call.id, name=call.name)


def _say(conversation: Conversation, history: list[Message], role: str, text: str) -> None:
    history.append(Message(role="user" if role == "user" else "assistant", content=text))
    conversation.transcript.append([role, text])
    conversation.steps += 1


def _agent_turn(model: Model, system: Message, history: list[Message], temperature: float,
                seed: int) -> Message | str:
    """The agent's next message, or the ending when it could not produce one."""
    request = ChatRequest(messages=(system, *history), tools=RETAIL_TOOLS, tool_choice="auto",
                          temperature=temperature, seed=seed, max_tokens=MAX_TOKENS)
    try:
        return complete(model, request).message
    except ContextOverflow:
        return "context"
    except TandemError:
        return "model_error"


def _cut_off(conversation: Conversation) -> str:
    if conversation.steps >= MAX_STEPS:
        return "max_steps"
    return "too_many_errors" if conversation.errors >= MAX_ERRORS else ""


def converse(model: Model, domain: Domain, task: Task, *, temperature: float = 0.0, seed: int = 0,
             user_turns: int = 10) -> Conversation:
    """Run one conversation between the model and the scripted customer on a fresh database."""
    conversation = Conversation(db=domain.fresh_db())
    history: list[Message] = []
    system = Message(role="system", content=system_prompt(domain.policy))
    user = ScriptedUser(task.scenario, max_turns=user_turns)
    _say(conversation, history, "agent", GREETING)
    _say(conversation, history, "user", user.opening())
    while not (ending := _cut_off(conversation)):
        message = _agent_turn(model, system, history, temperature, seed)
        if isinstance(message, str):
            ending = message
            break
        if message.tool_calls:
            history.append(message)
            history.extend(_tool_message(conversation, call) for call in message.tool_calls)
            conversation.steps += 1 + len(message.tool_calls)
            continue
        text = message.content or ""
        conversation.agent_texts.append(text)
        _say(conversation, history, "agent", text)
        if STOP in text:
            ending = "agent_stop"
            break
        reply = user.reply(text)
        _say(conversation, history, "user", reply)
        if STOP in reply or TRANSFER in reply:
            ending = "user_stop"
            break
    conversation.ending = ending
    return conversation


def pass_hat_k(passes: dict[str, list[bool]], k: int) -> float:
    """tau2's pass^k: the chance that k trials drawn from a task's n all pass, averaged over tasks."""
    rates = [comb(sum(p), k) / comb(len(p), k) for p in passes.values() if len(p) >= k]
    return sum(rates) / len(rates) if rates else 0.0


def _item(task: Task, trial: int, conversation: Conversation, reward: Reward, seconds: float) -> dict[str, Any]:
    return {"id": task.id, "trial": trial, "reward": reward.reward, "strict": reward.strict,
            "db_match": reward.db_match, "communicated": reward.communicated, "unjudged": reward.unjudged,
            "ending": conversation.ending, "steps": conversation.steps, "errors": conversation.errors,
            "seconds": round(seconds, 1), "transcript": conversation.transcript}


def _rows(items: list[dict[str, Any]], trials: int, name: str) -> dict[str, dict[str, float | int]]:
    passes: dict[str, list[bool]] = {}
    for item in items:
        passes.setdefault(item["id"], []).append(item["reward"] >= 1.0)
    told = [i["communicated"] for i in items if i["communicated"] is not None]
    row: dict[str, float | int] = {f"pass^{k}": pass_hat_k(passes, k) for k in range(1, trials + 1)}
    row["strict pass^1"] = sum(i["strict"] for i in items) / len(items) if items else 0.0
    row["db match"] = sum(i["db_match"] for i in items) / len(items) if items else 0.0
    row["nl unjudged"] = sum(1 for i in items if i["unjudged"])  # scored 0: nobody judged their assertions
    if told:
        row["info said"] = sum(told) / len(told)
    row.update({"tasks": len(passes), "trials": trials})
    endings = Counter(i["ending"] for i in items)
    return {name: row, "endings": {k: int(v) for k, v in sorted(endings.items())}}


_NOTES = [
    "pass^k as tau2 computes it (reward 1 = pass); reward = DB end state equal to the expected actions' "
    "replayed end state × the other checks in each task's reward_basis. NL assertions need an LLM judge, "
    "which is not available: a task with NL assertions is never counted as passed (`nl unjudged` counts them).",
    "`strict pass^1`: also requires every communicate_info string in an agent message; `db match`: share "
    "of conversations with the expected end state; `info said`: share that said all communicate_info.",
    "`idle agent`: the pass^1 of an agent that changes nothing and says nothing (tasks whose expected end "
    "state is the initial one, scored on the database alone).",
    "The customer is scripted (tandem/eval/tau2/user.py), not an LLM: it states the whole request at once "
    "and always confirms. `endings` counts how conversations ended.",
]


def run(run: EvalRun) -> Report:
    """Every task (the first ``limit``) ``trials`` times; rows: pass^k and the endings."""
    started = time.monotonic()
    domain = load(run.data, run.options.get("db"), run.options.get("policy"))
    tasks = list(take(domain.tasks, run.limit))
    trials = int(run.options.get("trials") or 1)
    model, gold = run.model(), {}  # task id -> hash of its expected end state
    items: list[dict[str, Any]] = []
    total = len(tasks) * trials
    run.progress("tau2", 0, total)
    for trial in range(trials):
        temperature = 0.0 if trials == 1 else TRIAL_TEMPERATURE
        for task in tasks:
            begun = time.monotonic()
            conversation = converse(model, domain, task, temperature=temperature, seed=trial)
            if task.id not in gold:
                gold[task.id] = db_hash(expected_db(domain, task))
            reward = score(task, ending=conversation.ending, final_hash=db_hash(conversation.db),
                           gold_hash=gold[task.id], agent_texts=conversation.agent_texts, calls=conversation.calls)
            items.append(_item(task, trial, conversation, reward, time.monotonic() - begun))
            run.progress("tau2", len(items), total)
    initial = db_hash(domain.fresh_db())
    idle = [score(t, ending="user_stop", final_hash=initial, gold_hash=gold[t.id]).reward for t in tasks]
    options = {"trials": trials, "temperature": 0.0 if trials == 1 else TRIAL_TEMPERATURE,
               "user": "scripted", "max_steps": MAX_STEPS}
    rows = _rows(items, trials, domain.tasks_path.parent.name)
    rows["idle agent"] = {"pass^1": sum(idle) / len(idle) if idle else 0.0, "tasks": len(idle)}
    return Report(suite="tau2", data=str(domain.tasks_path), rows=rows,
                  model=run.model_id, limit=run.limit, options=options, notes=_NOTES, items=items,
                  seconds=time.monotonic() - started)
