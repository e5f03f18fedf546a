"""The assistant over HTTP: conversations, tasks and confirmations for the web UI, and the model id
``tandem:assistant`` in ``/v1/chat/completions`` for any OpenAI client.

    POST /v1/assistant/conversations                {"text": ...}  → a new conversation: its id, reply, tasks
    POST /v1/assistant/conversations/{id}/messages  {"text": ...}  → reply with tasks
    GET  /v1/assistant/conversations/{id}                          → turns and tasks
    GET  /v1/assistant/tasks[?conversation_id=&state=]             → tasks
    GET  /v1/assistant/tasks/{id}         POST .../{id}/cancel     POST .../{id}/answer {"text": ...}
    POST /v1/assistant/confirmations/{id}/confirm                  POST .../{id}/decline

The assistant and its partner connections live on one event loop in a background thread (a blocking
portal), opened on first use, or at start when the journal holds unfinished tasks (after a crash), and
it retries queued tasks every few seconds so an order waiting for a partner goes out when it is back.

Conversations are the server's: their ids are issued here and bound to the client that opened them
(``clients.client_of``); another client's id, or one never issued, is answered with 404, and tasks and
confirmations are shown to and decided by their conversation's client only. Over chat completions the
conversation comes from an explicit id (``X-Tandem-Conversation`` header or ``metadata.conversation_id``),
or from the task ids the server's own earlier answer in ``messages`` names; otherwise the chat is a new
conversation. Every answer carries the id (``X-Tandem-Conversation`` header, ``metadata.conversation_id``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, TypeVar

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tandem.agent.assistant import Assistant, Reply
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.slots import detect_language
from tandem.agent.tasks import ACTIVE, Task, TaskState
from tandem.agent.withhold import told_turns, withhold
from tandem.api.auth import holds, reveals
from tandem.api.bodies import ParsedRoute
from tandem.api.clients import client_of, may_list, may_use, shared
from tandem.app.assistant import LazyModel, chat_model_id, guarded_chat, journal_path, open_assistant
from tandem.config import Settings
from tandem.errors import InvalidRequest, NotFound
from tandem.models.base import ModelInfo
from tandem.models.registry import ModelRegistry
from tandem.types import Capabilities, ChatChunk, ChatRequest

__all__ = ["ASSISTANT_MODEL_ID", "KEY_CHARS", "AssistantModel", "AssistantService", "assistant_reply",
           "assistant_response", "chat_turns", "check_conversation", "install_assistant", "own_confirmation",
           "own_task", "router", "usable_conversations"]

ASSISTANT_MODEL_ID = "tandem:assistant"
RESUME_EVERY_S = 10.0
# The shortest Idempotency-Key a caller without a credential may send: 128 bits written in base64 (a UUID has 36).
KEY_CHARS = 22
T = TypeVar("T")

router = APIRouter(route_class=ParsedRoute, prefix="/v1/assistant", tags=["assistant"])


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
                # What answers small talk beside a waiting question: the model the API's other chat answers come
                # from (routed when there is a router), as /v1/chat/completions with tandem:assistant would.
                chat = LazyModel(self.registry, chat_model_id(self.registry))
                opened = open_assistant(self.settings, device=device, cloud=cloud, chat=chat)
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


_TASK_ID = re.compile(r"\[(t-[0-9a-f]{8}(?:[0-9a-f]{24})?)\]")  # how ``describe`` names a task in an answer


def _continued(journal: Journal, messages: list[tuple[str, str]], request: Request) -> str | None:
    """The conversation of the server's latest answer about tasks in a chat's history (it names its tasks as
    "[t-…]"), if the client making ``request`` may use it. Newest first over every assistant message: a chat answer
    in between ("how long does delivery take?") names no task, and the "yes" after it still confirms the order."""
    for role, text in reversed(messages):
        for task_id in _TASK_ID.findall(text) if role == "assistant" else ():
            try:
                conversation = journal.task(task_id).conversation_id
                if may_use(request, journal.owner(conversation)):
                    return conversation
            except NotFound:
                continue
    return None


def check_conversation(journal: Journal, conversation_id: str, request: Request) -> None:
    """NotFound unless the client making ``request`` may use the conversation (``clients.may_use``): the same
    answer as for no conversation, so another client's ids cannot be probed."""
    if not may_use(request, journal.owner(conversation_id)):
        raise NotFound(f"no conversation {conversation_id!r}",
                       hint="start one without an id; the server answers with its id")


def usable_conversations(journal: Journal, request: Request) -> set[str]:
    """The ids of the conversations the client making ``request`` may list (``clients.may_list``: those of a
    caller without a secret are reached by their ids only)."""
    return {c["id"] for c in journal.conversations() if may_list(request, c["owner"])}


async def _chat_turn(assistant: Assistant, messages: list[tuple[str, str]], explicit: str | None,
                     request: Request) -> Reply:
    """One chat completion of ``tandem:assistant``: the last user message is the turn, in the explicit
    conversation, the one the history continues, or a new one. A regenerated answer (the same turn of the
    same conversation sent again) returns the tasks of the first instead of making new ones."""
    users = [text for role, text in messages if role == "user"]
    if not users or not users[-1].strip():
        raise InvalidRequest("tandem:assistant needs a user message", param="messages")
    journal, text, owner = assistant.journal, users[-1], client_of(request)
    if explicit:
        check_conversation(journal, explicit, request)
    conversation = explicit or _continued(journal, messages, request) or \
        journal.conversation(None, detect_language(text), owner)
    turn = hashlib.sha256(text.encode()).hexdigest()[:16]
    may, keep = _rights(request)
    return await take_turn(assistant, text, conversation, request_key=f"{owner}:{conversation}:{len(users)}:{turn}",
                           may_answer=may, keep_profile=keep)


def _messages(request: ChatRequest) -> list[tuple[str, str]]:
    return [(m.role, m.content or "") for m in request.messages]


class AssistantModel:
    """The assistant's entry in the model list. It answers only on ``/v1/chat/completions``
    (``assistant_reply``), where the request says whose conversation it is; a caller that hands over only a
    ``ChatRequest`` (``/v1/responses``, ``/v1/completions``) would act in no one's or everyone's
    conversations, so it is refused."""

    def __init__(self, service: AssistantService) -> None:
        self.service = service
        self.info = ModelInfo(id=ASSISTANT_MODEL_ID, location="device",
                              capabilities=Capabilities(context_length=32768, tools=False, json_schema=False))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        raise InvalidRequest(f"{ASSISTANT_MODEL_ID} answers on /v1/chat/completions only", param="model",
                             hint="use /v1/chat/completions, or /v1/assistant/conversations")


async def _explicit_conversation(request: Request) -> str | None:
    """``X-Tandem-Conversation``, else the body's ``metadata.conversation_id`` (OpenAI's request metadata)."""
    header = request.headers.get("x-tandem-conversation")
    if header:
        return header
    try:
        metadata = (await request.json()).get("metadata") or {}  # FastAPI's parse, cached on the request
    except (ValueError, AttributeError):
        return None
    value = metadata.get("conversation_id") if isinstance(metadata, dict) else None
    return str(value) if value else None


async def assistant_reply(chat: ChatRequest, request: Request) -> Reply:
    """The assistant's turn for ``POST /v1/chat/completions`` with ``model: tandem:assistant``."""
    explicit, messages = await _explicit_conversation(request), _messages(chat)
    return await _on(request, lambda a: _chat_turn(a, messages, explicit, request))


def chat_turns(chat: ChatRequest) -> tuple[ChatRequest, Callable[[str], str]]:
    """``chat`` as the chat model answers it when the assistant found nothing to do in its last message, and what its
    answer goes through (``guarded_chat``). Without the assistant's answers about tasks (they name them as "[t-…]"),
    as the web app's chat history holds only the chat model's answers; they are the agent's, and two tasks'
    summaries fill a small model's context."""
    kept = tuple(m for m in chat.messages if not (m.role == "assistant" and _TASK_ID.search(m.content or "")))
    return guarded_chat(replace(chat, messages=kept))


def assistant_response(reply: Reply, stream: bool) -> Response:
    """``reply`` as a chat completion (whole or streamed) of ``tandem:assistant``; it carries its conversation."""
    headers = {"X-Tandem-Conversation": reply.conversation_id}
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": ASSISTANT_MODEL_ID,
            "metadata": {"conversation_id": reply.conversation_id}}
    if not stream:
        return JSONResponse({**base, "object": "chat.completion", "choices": [{
            "index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": "stop",
            "logprobs": None}], "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}},
            headers=headers)
    chunk = {**base, "object": "chat.completion.chunk"}
    events = [{**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": reply.text},
                                     "finish_reason": None, "logprobs": None}]},
              {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None}]}]
    lines = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events] + ["data: [DONE]\n\n"]
    return StreamingResponse(iter(lines), media_type="text/event-stream",
                             headers={**headers, "Cache-Control": "no-cache"})


class MessageBody(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


def _rights(request: Request) -> tuple[bool, bool]:
    """What this request's caller may do in a turn: answer a confirmation question (``confirm``), and keep a
    detail the assistant asked for in the user's profile (``admin``, as ``PATCH /v1/profile``; without it the
    detail serves that request's tasks only)."""
    return holds(request, "confirm"), holds(request, "admin")


def _service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.assistant
    return service


async def _on(request: Request, work: Callable[[Assistant], Awaitable[T]]) -> T:
    """``work`` on the assistant's loop; what it returns (replies, tasks) as the caller may see it: without
    ``admin`` no profile value the assistant filled in, without ``privacy`` no remembered habit, each named
    instead (agent.withhold). A raised error is not withheld: it never carries a profile value (withhold)."""
    reveal = reveals(request)

    async def shown(a: Assistant) -> T:
        return withhold(a, await work(a), reveal)
    return await run_in_threadpool(_service(request).call, shown)


def own_task(assistant: Assistant, task_id: str, request: Request) -> Task:
    """The task, if the client making ``request`` may use its conversation (else the NotFound of an unknown
    task)."""
    task = assistant.journal.task(task_id)
    if not may_use(request, assistant.journal.owner(task.conversation_id)):
        raise NotFound(f"no task {task_id!r}")
    return task


def own_confirmation(assistant: Assistant, confirmation_id: str, request: Request) -> str:
    own_task(assistant, assistant.journal.confirmation(confirmation_id)["task_id"], request)
    return confirmation_id


def _request_key(request: Request, owner: str, scope: str) -> str | None:
    """A client's ``Idempotency-Key``, kept apart from other clients' keys and bound to the request it names
    (``scope``: the conversation and text of a message, the text of a new conversation): the same key with
    another request is another request. Callers without a credential share one owner (``shared``), so for them
    the key itself is all that tells two processes' requests apart: it must be long enough to be random (a
    UUID), or another process sending the same counter ("1") and text would be answered with the first one's
    conversation and tasks. A shorter one is refused, never silently ignored (a retry would then order twice)."""
    key = request.headers.get("idempotency-key")
    if key and shared(owner) and len(key.strip()) < KEY_CHARS:
        raise InvalidRequest(f"an Idempotency-Key from a caller without a credential needs {KEY_CHARS} characters "
                             "or more", param="Idempotency-Key",
                             hint="send a random key (a UUID), or use an API key (tandem keys create)")
    return f"{owner}:{hashlib.sha256(scope.encode()).hexdigest()[:32]}:{key}" if key else None


@router.post("/conversations/{conversation_id}/messages")
async def post_message(conversation_id: str, body: MessageBody, request: Request) -> dict[str, Any]:
    """One user turn in a conversation this client opened. Send an ``Idempotency-Key`` header to retry
    safely after a lost answer. A "yes" confirms only for a caller with the ``confirm`` scope."""
    owner, (may, keep) = client_of(request), _rights(request)
    key = _request_key(request, owner, f"{conversation_id}:{body.text}")

    async def turn(a: Assistant) -> Reply:
        check_conversation(a.journal, conversation_id, request)
        return await take_turn(a, body.text, conversation_id, request_key=key, may_answer=may, keep_profile=keep)
    return (await _on(request, turn)).public()


@router.post("/conversations")
async def new_conversation(body: MessageBody, request: Request) -> dict[str, Any]:
    """The first turn of a new conversation; the answer carries its id (``conversation_id``). A retry (the same
    text with the same ``Idempotency-Key``) answers with the conversation and tasks the first made; the same
    key with another text (a "yes") is another request, and opens a conversation of its own."""
    owner, (may, keep) = client_of(request), _rights(request)
    key = _request_key(request, owner, f"new:{body.text}")

    async def turn(a: Assistant) -> Reply:
        earlier = a.journal.tasks_for_request(key) if key else []
        conversation = earlier[0].conversation_id if earlier else \
            a.journal.conversation(None, detect_language(body.text), owner)
        return await take_turn(a, body.text, conversation, request_key=key, may_answer=may, keep_profile=keep)
    return (await _on(request, turn)).public()


@router.get("/conversations/{conversation_id}")
async def get_conversation(conversation_id: str, request: Request) -> dict[str, Any]:
    reveal = reveals(request)

    async def read(a: Assistant) -> dict[str, Any]:
        check_conversation(a.journal, conversation_id, request)
        return {"id": conversation_id, "turns": told_turns(a, conversation_id, reveal),  # as they were told
                "tasks": [t.public() for t in withhold(a, a.tasks(conversation_id), reveal)]}
    return await run_in_threadpool(_service(request).call, read)


@router.get("/tasks")
async def list_tasks(request: Request, conversation_id: str | None = None, state: str | None = None) -> dict[str, Any]:
    """This client's tasks (optionally of one of its conversations, or in one state)."""
    if state and state not in {str(s) for s in TaskState}:
        raise InvalidRequest(f"unknown task state {state!r}", param="state",
                             hint=f"one of: {', '.join(str(s) for s in TaskState)}")
    states = frozenset({TaskState(state)}) if state else None

    async def read(a: Assistant) -> list[Task]:
        if conversation_id:
            check_conversation(a.journal, conversation_id, request)
            return a.tasks(conversation_id, states)
        mine = usable_conversations(a.journal, request)
        return [t for t in a.tasks(None, states) if t.conversation_id in mine]
    return {"object": "list", "data": [t.public() for t in await _on(request, read)]}


@router.get("/tasks/{task_id}")
async def get_task(task_id: str, request: Request) -> dict[str, Any]:
    async def read(a: Assistant) -> Task:
        return own_task(a, task_id, request)
    return (await _on(request, read)).public()


@router.post("/tasks/{task_id}/cancel")
async def cancel_task(task_id: str, request: Request) -> dict[str, Any]:
    async def cancel(a: Assistant) -> Task:
        return await a.cancel(own_task(a, task_id, request).id)
    return (await _on(request, cancel)).public()


@router.post("/tasks/{task_id}/answer")
async def answer_task(task_id: str, body: MessageBody, request: Request) -> dict[str, Any]:
    keep = holds(request, "admin")

    async def answer(a: Assistant) -> Task:
        return await a.answer(own_task(a, task_id, request).id, body.text, keep_profile=keep)
    return (await _on(request, answer)).public()


@router.post("/confirmations/{confirmation_id}/confirm")
async def confirm(confirmation_id: str, request: Request) -> dict[str, Any]:
    async def accept(a: Assistant) -> Task:
        return await a.confirm(own_confirmation(a, confirmation_id, request))
    return (await _on(request, accept)).public()


@router.post("/confirmations/{confirmation_id}/decline")
async def decline(confirmation_id: str, request: Request) -> dict[str, Any]:
    async def refuse(a: Assistant) -> Task:
        return await a.decline(own_confirmation(a, confirmation_id, request))
    return (await _on(request, refuse)).public()


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
