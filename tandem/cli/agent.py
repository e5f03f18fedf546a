"""The assistant on the command line: ``tandem chat``, ``tandem confirm ID``, ``tandem decline ID``,
``tandem tasks list|cancel``, and the agent half of ``tandem ask``.

On a terminal the user answers questions and confirmations in place; with ``--json`` or without a
terminal nothing ever waits for input: the tasks are printed with their states and the ids to pass to
``tandem confirm`` later (from this or any other process; the journal holds the exact call).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import click

from tandem.agent.assistant import Assistant, Reply, describe
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.spoken import read_answer, say
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tandem.app.assistant import LazyModel, journal_path, open_assistant
from tandem.cli.progress import StderrProgress
from tandem.config import Settings, load_settings
from tandem.models.registry import ModelRegistry

__all__ = ["agent_turn", "chat", "confirm", "decline", "how_to_answer", "tasks"]

T = TypeVar("T")


def _with_assistant(settings: Settings, work: Callable[[Assistant], Awaitable[T]], *,
                    device_id: str | None = None) -> T:
    device = LazyModel(ModelRegistry(settings, progress=StderrProgress()), device_id) if device_id else None

    async def run() -> T:
        async with open_assistant(settings, device=device) as assistant:
            await assistant.resume()  # whatever an earlier run left behind
            return await work(assistant)

    return anyio.run(run)


def _echo_task(task: Task, as_json: bool) -> None:
    click.echo(json.dumps(task.public(), ensure_ascii=False) if as_json else describe(task))


async def _interact(assistant: Assistant, reply: Reply) -> Reply:
    """Ask the user, on the terminal, each question and each confirmation of this turn."""
    tasks = list(reply.tasks)
    for index, shown in enumerate(tasks):
        task = assistant.journal.task(shown.id)  # an answer to an earlier task may have moved it (the user's name)
        while task.state == TaskState.NEEDS_INFO:
            answer = click.prompt(task.question or "?", default="", show_default=False).strip()
            if not answer:
                break
            task = await assistant.answer(task.id, answer)
        while task.state == TaskState.AWAITING_CONFIRMATION and task.confirmation_id:
            confirmation_id = task.confirmation_id
            click.echo(describe(task))
            if not _agreed(task):
                task = await assistant.decline(confirmation_id)
                break
            task = await assistant.confirm(confirmation_id)  # asks again if anything changed meanwhile
        tasks[index] = task
        click.echo(describe(task))
    return Reply(reply.conversation_id, reply.understanding, tuple(tasks), reply.text)


_KEYS = {"y": "yes", "j": "yes", "n": "no"}  # a terminal's one-key answers, beside the words spoken.read_answer knows


def _agreed(task: Task) -> bool:
    """The user's yes to the task's confirmation question, asked in the task's language ("… für 12,70 Euro
    bestellen?") and answered in theirs ("ja", "好的", "no thanks"); a reply that is neither, or says more
    ("ja, aber nur eine"), is asked again; an empty one declines."""
    while True:
        said = click.prompt(f"{say(task)} [y/N]", default="", show_default=False).strip()
        if not said:
            return False
        answer = _KEYS.get(said.lower()) or read_answer(said)
        if answer in ("yes", "no"):
            return answer == "yes"


def agent_turn(settings: Settings, prompt: str, understanding: Understanding, *, as_json: bool,
               conversation_id: str | None = None) -> None:
    """Act on an understood request: prepare its tasks, then confirm interactively or print them."""
    interactive = not as_json and sys.stdin.isatty()

    async def work(assistant: Assistant) -> Reply:
        # as a turn of its conversation: what it shows is recorded as shown, so the hinted "yes" answers exactly that
        reply = await take_turn(assistant, prompt, conversation_id, understanding=understanding)
        return await _interact(assistant, reply) if interactive else reply

    reply = _with_assistant(settings, work)
    if as_json:
        usage = understanding.usage
        click.echo(json.dumps({**reply.public(), "model": understanding.model or "tandem:assistant",
                               "content": reply.text, "finish_reason": "stop",
                               "usage": {"prompt_tokens": usage.prompt_tokens if usage else 0,
                                         "completion_tokens": usage.completion_tokens if usage else 0}},
                              ensure_ascii=False))
    elif not interactive:
        click.echo(reply.text)
        how_to_answer(reply)


def how_to_answer(reply: Reply) -> None:
    """Where a task waits for the user, how to answer it from a later command (the conversation's id is printed
    nowhere else without --json)."""
    if any(t.state == TaskState.NEEDS_INFO for t in reply.tasks):
        click.echo(f"answer with: tandem ask --conversation {reply.conversation_id} 'YOUR ANSWER'", err=True)
    elif any(t.state == TaskState.AWAITING_CONFIRMATION for t in reply.tasks):
        click.echo(f"confirm with: tandem ask --conversation {reply.conversation_id} yes (or tandem confirm ID)",
                   err=True)


def _decision(name: str, decide: Callable[[Assistant, str], Awaitable[Task]], help_text: str) -> click.Command:
    """``tandem confirm ID`` or ``tandem decline ID``: one answer to a pending confirmation."""

    @click.command(name, help=help_text)
    @click.argument("confirmation_id")
    @click.option("--json", "as_json", is_flag=True, help="Print the task as JSON.")
    def command(confirmation_id: str, as_json: bool) -> None:
        _echo_task(_with_assistant(load_settings(), lambda a: decide(a, confirmation_id)), as_json)

    return command


confirm = _decision("confirm", Assistant.confirm,
                    "Confirm a pending call (if it changed since, you are asked again with a new id).")
decline = _decision("decline", Assistant.decline, "Decline a pending call; its task is cancelled.")


@click.group()
def tasks() -> None:
    """The assistant's tasks."""


@tasks.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.option("--conversation", default=None, help="Only this conversation's tasks.")
@click.option("--all", "show_all", is_flag=True, help="Include done, failed and cancelled tasks.")
def list_tasks(as_json: bool, conversation: str | None, show_all: bool) -> None:
    """List tasks (open ones unless --all) with their states and pending confirmation ids."""
    journal = Journal(journal_path(load_settings()))
    try:
        found = [t for t in journal.tasks(conversation) if show_all or t.state not in
                 (TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED)]
    finally:
        journal.close()
    if as_json:
        click.echo(json.dumps([t.public() for t in found], ensure_ascii=False))
        return
    for task in found:
        click.echo(describe(task))
    if not found:
        click.echo("no open tasks", err=True)


@tasks.command("cancel")
@click.argument("task_id")
def cancel(task_id: str) -> None:
    """Cancel a task that has not started its call."""
    journal = Journal(journal_path(load_settings()))
    try:
        task = anyio.run(_cancel, journal, task_id)
    finally:
        journal.close()
    click.echo(describe(task))
    if task.state != TaskState.CANCELLED:
        raise click.ClickException(f"task {task_id} is {task.state} and cannot be cancelled")


async def _cancel(journal: Journal, task_id: str) -> Task:
    class _NoTools:  # cancelling never calls a partner
        async def tools(self, categories: tuple[str, ...] = ()) -> list[Any]:
            return []

        async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> Any:
            raise AssertionError("cancel does not call partners")

    return await Assistant(_NoTools(), journal).cancel(task_id)


@click.command()
@click.option("--model", "model_id", default=None, help="On-device model for requests templates do not cover.")
@click.option("--conversation", default=None, help="Continue this conversation.")
def chat(model_id: str | None, conversation: str | None) -> None:
    """Talk to the assistant, one request per line (empty line or Ctrl-D ends); a yes or no, or a confirmation's id,
    answers the confirmations shown last."""
    from tandem.cli.models import device_model

    settings = load_settings(default_model=model_id)
    device_model(settings)  # an unknown model is said now, not at the first line the device model would answer

    async def work(assistant: Assistant) -> None:
        conversation_id = conversation
        while True:
            try:
                line = await anyio.to_thread.run_sync(lambda: input("you> "))
            except EOFError:
                return
            if not line.strip():
                return
            reply = await take_turn(assistant, line, conversation_id)  # "ja", "c-…" answer what was asked last
            conversation_id = reply.conversation_id
            if sys.stdin.isatty():
                reply = await _interact(assistant, reply)
            else:
                click.echo(reply.text)

    _with_assistant(settings, work, device_id=settings.default_model)
