"""The assistant over HTTP: conversations, tasks and confirmations for the web UI, and the model id
``tandem:assistant`` in ``/v1/chat/completions`` for any OpenAI client.

    POST /v1/assistant/conversations/{id}/messages  {"text": ...}  → reply with tasks
    GET  /v1/assistant/conversations/{id}                          → turns and tasks
    GET  /v1/assistant/tasks[?conversation_id=&state=]             → tasks
    GET  /v1/assistant/tasks/{id}         POST .../{id}/cancel     POST .../{id}/answer {"text": ...}
    POST /v1/assistant/confirmations/{id}/confirm                  POST .../{id}/decline

The assistant and its partner connections live on one event loop in a background thread (a blocking
portal), opened on first use, or at start when the journal holds unfinished tasks (after a crash), and
it retries queued tasks every few seconds so an order waiting for a partner goes out when it is back.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tandem.agent.assistant import Assistant, Reply, describe
from tandem.agent.journal import Journal
from tandem.agent.plan import ACTIVE, Task, TaskState
from tandem.api.assistant import LazyModel, journal_path, open_assistant
from tandem.config import Settings
from tandem.errors import InvalidRequest
from tandem.models.base import ModelInfo
from tandem.models.registry import ModelRegistry
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage

__all__ = ["ASSISTANT_MODEL_ID", "AssistantModel", "AssistantService", "install_assistant", "router"]

ASSISTANT_MODEL_ID = "tandem:assistant"
RESUME_EVERY_S = 10.0
T = TypeVar("T")

router = APIRouter(prefix="/v1/assistant", tags=["assistant"])


class AssistantService:
    """One assistant for the server, on its own event loop thread."""

    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings, self.registry = settings, registry
        self._lock = threading.Lock()
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._assistant_cm: AbstractContextManager[Assistant] | None = None
        self.portal: BlockingPortal | None = None
        self.assistant: Assistant | None = None
        self._resumer: anyio.CancelScope | None = None

    def start(self) -> Assistant:
        with self._lock:
            if self.assistant is None:
                self._portal_cm = start_blocking_portal()
                self.portal = self._portal_cm.__enter__()
                device = LazyModel(self.registry, self.settings.default_model)
                # Cloud models in the registry are the privacy guard's (pseudonymised, ledgered) ones.
                cloud = next((self.registry.get(i.id) for i in self.registry.infos() if i.location == "cloud"), None)
                opened = open_assistant(self.settings, device=device, cloud=cloud)
                self._assistant_cm = self.portal.wrap_async_context_manager(opened)
                self.assistant = self._assistant_cm.__enter__()
                self.portal.start_task_soon(self._keep_resuming)
            return self.assistant

    async def _keep_resuming(self) -> None:
        assert self.assistant is not None
        with anyio.CancelScope() as self._resumer:
            while True:
                await self.assistant.resume()
                await anyio.sleep(RESUME_EVERY_S)

    def call(self, work: Callable[[Assistant], Awaitable[T]]) -> T:
        """Run ``work(assistant)`` on the assistant's loop, from any thread but that loop's."""
        assistant = self.start()
        assert self.portal is not None

        async def run() -> T:
            return await work(assistant)

        return self.portal.call(run)

    def close(self) -> None:
        with self._lock:
            if self._assistant_cm is not None and self.portal is not None:
                if self._resumer is not None:
                    self.portal.call(self._resumer.cancel)
                self._assistant_cm.__exit__(None, None, None)
            if self._portal_cm is not None:
                self._portal_cm.__exit__(None, None, None)
            self.assistant = self.portal = None
            self._assistant_cm = self._portal_cm = None


_YES = re.compile(r"^\s*(yes|y|ok|okay|confirm|sure|ja|jawohl|bestätigen|bestätige|klar|好|好的|确认|是|可以)\b", re.I)
_NO = re.compile(r"^\s*(no|n|cancel|decline|nein|abbrechen|ablehnen|不|不要|取消)\b", re.I)


class AssistantModel:
    """The assistant as a chat model: the last user message is the turn; "yes"/"ja"/"确认" (or
    "confirm c-…") confirms what the previous answer asked about. The conversation is keyed by the
    chat's first user message, so an OpenAI client needs no extra fields."""

    def __init__(self, service: AssistantService) -> None:
        self.service = service
        self.info = ModelInfo(id=ASSISTANT_MODEL_ID, location="device",
                              capabilities=Capabilities(context_length=32768, tools=False, json_schema=False))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        users = [m.content or "" for m in request.messages if m.role == "user"]
        if not users or not users[-1].strip():
            raise InvalidRequest("tandem:assistant needs a user message", param="messages")
        conversation = "chat-" + hashlib.sha256(users[0].encode()).hexdigest()[:16]
        text = self.service.call(lambda a: _turn(a, conversation, users[-1], first=len(users) == 1))
        yield ChatChunk(text=text)
        yield ChatChunk(finish_reason="stop", usage=Usage())


async def _turn(assistant: Assistant, conversation: str, text: str, *, first: bool) -> str:
    pending = [t for t in assistant.tasks(conversation) if t.state == TaskState.AWAITING_CONFIRMATION]
    named = set(re.findall(r"\bc-[0-9a-f]{8}\b", text))
    if pending and not first and (named or _YES.match(text) or _NO.match(text)):
        chosen = [t for t in pending if t.confirmation_id in named] if named else pending
        accept = not _NO.match(text)
        done = [await (assistant.confirm if accept else assistant.decline)(t.confirmation_id or "") for t in chosen]
        return "\n".join(describe(t) for t in done)
    return (await assistant.ask(text, conversation)).text


class MessageBody(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


def _service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.assistant
    return service


async def _on(request: Request, work: Callable[[Assistant], Awaitable[T]]) -> T:
    return await run_in_threadpool(_service(request).call, work)


@router.post("/conversations/{conversation_id}/messages")
async def post_message(conversation_id: str, body: MessageBody, request: Request) -> dict[str, Any]:
    """One user turn. Send an ``Idempotency-Key`` header to retry safely after a lost answer."""
    key = request.headers.get("idempotency-key")
    reply: Reply = await _on(request, lambda a: a.ask(body.text, conversation_id, request_key=key))
    return reply.public()


@router.post("/conversations")
async def new_conversation(body: MessageBody, request: Request) -> dict[str, Any]:
    key = request.headers.get("idempotency-key")
    reply: Reply = await _on(request, lambda a: a.ask(body.text, request_key=key))
    return reply.public()


@router.get("/conversations/{conversation_id}")
async def get_conversation(conversation_id: str, request: Request) -> dict[str, Any]:
    async def read(a: Assistant) -> dict[str, Any]:
        return {"id": conversation_id, "turns": a.journal.turns(conversation_id),
                "tasks": [t.public() for t in a.tasks(conversation_id)]}
    return await _on(request, read)


@router.get("/tasks")
async def list_tasks(request: Request, conversation_id: str | None = None, state: str | None = None) -> dict[str, Any]:
    if state and state not in {str(s) for s in TaskState}:
        raise InvalidRequest(f"unknown task state {state!r}", param="state",
                             hint=f"one of: {', '.join(str(s) for s in TaskState)}")
    states = frozenset({TaskState(state)}) if state else None

    async def read(a: Assistant) -> list[Task]:
        return a.tasks(conversation_id, states)
    return {"object": "list", "data": [t.public() for t in await _on(request, read)]}


@router.get("/tasks/{task_id}")
async def get_task(task_id: str, request: Request) -> dict[str, Any]:
    async def read(a: Assistant) -> Task:
        return a.journal.task(task_id)
    return (await _on(request, read)).public()


@router.post("/tasks/{task_id}/cancel")
async def cancel_task(task_id: str, request: Request) -> dict[str, Any]:
    return (await _on(request, lambda a: a.cancel(task_id))).public()


@router.post("/tasks/{task_id}/answer")
async def answer_task(task_id: str, body: MessageBody, request: Request) -> dict[str, Any]:
    return (await _on(request, lambda a: a.answer(task_id, body.text))).public()


@router.post("/confirmations/{confirmation_id}/confirm")
async def confirm(confirmation_id: str, request: Request) -> dict[str, Any]:
    return (await _on(request, lambda a: a.confirm(confirmation_id))).public()


@router.post("/confirmations/{confirmation_id}/decline")
async def decline(confirmation_id: str, request: Request) -> dict[str, Any]:
    return (await _on(request, lambda a: a.decline(confirmation_id))).public()


def _unfinished(settings: Settings) -> bool:
    path = journal_path(settings)
    if not path.exists():
        return False
    journal = Journal(path)
    try:
        return bool(journal.tasks(states=ACTIVE))
    finally:
        journal.close()


def install_assistant(app: FastAPI, registry: ModelRegistry) -> AssistantService:
    """Add the assistant endpoints and the ``tandem:assistant`` model to an app. Tasks a crash left
    unfinished are resumed right away; otherwise the assistant opens on first use."""
    service = AssistantService(registry.settings, registry)
    app.state.assistant = service
    app.include_router(router)
    registry.register(AssistantModel(service))
    if _unfinished(registry.settings):
        threading.Thread(target=service.start, name="tandem-assistant-resume", daemon=True).start()
    return service
