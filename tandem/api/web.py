"""The web app: its static files at ``/`` and the endpoints only the UI needs, under ``/api/ui``.

    POST /api/ui/turn                       one chat turn; NDJSON events while its tasks move
    GET  /api/ui/tasks?conversation_id=     task cards (polled while a purchase runs)
    POST /api/ui/tasks/{id}/answer|cancel   follow-up answer, cancel
    POST /api/ui/confirmations/{id}/confirm|decline
    GET  /api/ui/services, POST /api/ui/services/{id}   partners offered in the user's region; enable/disable
    GET  /api/ui/privacy, POST /api/ui/privacy/consent, GET .../export, POST .../erase

Turns, tasks and confirmations go to the server's one assistant (``tandem.api.agent``); the rest calls the
public functions of the services and privacy packages, so the browser sees the same data the CLI prints.
UI endpoints under /api/ui exist where the UI needs more than /v1 offers: a turn that streams its tasks as
they are prepared, the partner on each card, services with their data needs, consent and today's requests.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from tandem.agent import spoken
from tandem.agent.assistant import Assistant, Reply
from tandem.agent.confirming import shown_again
from tandem.agent.slots import detect_language
from tandem.agent.tasks import Task, TaskState
from tandem.agent.withhold import withhold
from tandem.api.agent import check_conversation, own_confirmation, own_task, usable_conversations
from tandem.api.auth import SESSION_COOKIE, SESSION_TTL_S, Caller, Keys, caller_of, holds, local_client, reveals
from tandem.api.bodies import ParsedRoute
from tandem.api.chat import model_answer
from tandem.api.clients import client_of
from tandem.api.errors import error_body
from tandem.api.privacy import erase_on_server, exported, ledger_row
from tandem.api.schemas import ChatBody, MessageIn
from tandem.app.assistant import chat_model_id, guarded_chat
from tandem.config import Settings
from tandem.errors import PolicyDenied, ServiceUnavailable, TandemError
from tandem.models.registry import ModelRegistry
from tandem.privacy.ledger import Ledger
from tandem.privacy.settings import load_privacy, save_consent
from tandem.services.registry import ServiceRegistry
from tandem.services.regulation import TransferPolicy

__all__ = ["install_web", "router"]

T = TypeVar("T")

# The web app is package data: tandem.web and tandem.api are siblings (neither imports the other), so the
# files are found through importlib.resources, which also works from an installed wheel.
STATIC_DIR = Path(str(importlib.resources.files("tandem.web") / "static"))
_POLL_S = 0.1  # how often a running turn looks for task changes to stream


class TurnBody(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = None


class AnswerBody(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class EnableBody(BaseModel):
    enabled: bool


class ConsentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt switch ("clod") is a 400, not a 200 that changed nothing
    cloud: bool | None = None
    cross_border: bool | None = None
    health: bool | None = None


def _registry(request: Request) -> ModelRegistry:
    registry: ModelRegistry = request.app.state.registry
    return registry


def _settings(request: Request) -> Settings:
    return _registry(request).settings


Work = Callable[[Assistant], Awaitable[T]]


async def _run(request: Request, work: Work[T], *, shown: bool = True) -> T:
    """Run ``work`` on the server's one assistant (``app.state.assistant``, installed by ``tandem.api.agent``
    on its own event loop), so the web app and /v1/assistant share the journal and partner connections. What
    it returns is ``shown`` as the page's session may see it: without ``admin`` no profile value, without
    ``privacy`` no remembered habit (agent.withhold)."""
    service = getattr(request.app.state, "assistant", None)
    if service is None:
        raise ServiceUnavailable("this server has no assistant", hint="create the app with tandem.api.app.create_app")
    reveal = reveals(request)

    async def seen(a: Assistant) -> T:
        return withhold(a, await work(a), reveal) if shown else await work(a)
    result: T = await run_in_threadpool(service.call, seen)
    return result


def _guard(request: Request) -> None:
    """Only our own page may act: a custom header forces a CORS preflight (which this server never grants),
    so another web site cannot post a confirmation from the user's browser. Keys and sessions are checked
    before any route runs (tandem.api.auth)."""
    if request.method != "GET" and request.headers.get("x-tandem-ui") != "1":
        raise PolicyDenied("UI requests need the X-Tandem-UI header")


router = APIRouter(route_class=ParsedRoute, prefix="/api/ui", dependencies=[Depends(_guard)])


class SessionBody(BaseModel):
    key: str | None = Field(default=None, max_length=200)


@router.post("/session")
async def session(body: SessionBody, request: Request) -> Response:
    """Open the page's session: with the login code of the link ``tandem serve`` prints (every scope, from
    this device only), with the key the user typed, or without one on this device when no key is configured
    (then it may chat but not confirm, erase or change settings). The answer sets an HttpOnly,
    SameSite=Strict cookie valid under this host only; the page never holds the key."""
    keys: Keys = request.app.state.keys
    linked = keys.login(body.key) if body.key and local_client(request.scope) else None
    if linked is not None:
        found: Caller | str | None = linked
    else:
        found = keys.caller(body.key) if body.key else caller_of(request.scope, keys, request.app.state.sessions)
    if not isinstance(found, Caller):
        if body.key and body.key.startswith("tw-"):  # expired, used or altered: say which, and how to get a new one
            found = keys.refusal(body.key) if local_client(request.scope) else \
                "a login link opens a session from this device only"
        return _unauthorized(found or "invalid API key")
    host = request.headers.get("host", "")
    token = request.app.state.sessions.open(found, host)
    response = JSONResponse({"object": "session", "name": found.name, "scopes": sorted(found.scopes)})
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_TTL_S, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.get("/session")
async def current_session(request: Request) -> Response:
    """What the page may do now (its session's scopes, or those of a caller without one), so it can ask for the
    link before it shows a purchase to confirm rather than after."""
    found = caller_of(request.scope, request.app.state.keys, request.app.state.sessions)
    if not isinstance(found, Caller):
        return _unauthorized(found)
    return JSONResponse({"object": "session", "name": found.name, "scopes": sorted(found.scopes)})


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse(error_body(message, "authentication_error", code="invalid_api_key"), status_code=401,
                        headers={"www-authenticate": "Bearer"})


# chat ----------------------------------------------------------------------------------------------------
def _line(kind: str, **data: Any) -> bytes:
    return (json.dumps({"type": kind, **data}, ensure_ascii=False) + "\n").encode()


async def _changed(request: Request, conversation_id: str, seen: dict[str, float]) -> list[Task]:
    async def read(a: Assistant) -> list[Task]:
        return a.tasks(conversation_id)

    fresh = [t for t in await _run(request, read) if seen.get(t.id) != t.updated_at]
    seen.update({t.id: t.updated_at for t in fresh})
    return fresh


async def _turn_events(request: Request, body: TurnBody, conversation_id: str) -> AsyncIterator[bytes]:
    """Run the turn in the background and stream each task whenever the journal shows it changed."""
    keep = holds(request, "admin")  # a detail asked for goes into the profile; else it serves this turn only
    dialog: list[Reply] = []  # the waiting purchases a typed yes or no leaves to their dialog

    async def ask(a: Assistant) -> Reply:
        # a typed yes or no while purchases wait: their dialog answers it, where only "Confirm and pay" buys; no
        # chat model answers it (walk4 W4-7: a 0.5B answered "ja" in Japanese; one may say "your order is placed")
        if (waiting := shown_again(a, conversation_id, body.text)) is not None:
            dialog.append(waiting)
            return waiting
        return await a.ask(body.text, conversation_id, keep_profile=keep)

    yield _line("conversation", conversation_id=conversation_id)
    seen: dict[str, float] = {}
    await _changed(request, conversation_id, seen)  # earlier turns' tasks are already on the page
    outcome: dict[str, Any] = {}

    async def run() -> None:
        try:
            reply = await _run(request, ask)
            outcome["reply"] = {**reply.public(), "tasks": [_card(t) for t in reply.tasks],
                                "review": bool(dialog)}
        except TandemError as exc:  # a typed error says what to do; shown in the chat
            outcome["error"] = {"type": type(exc).__name__, "message": str(exc)}
        except Exception:  # a bug: its text stays in the log, never in the browser
            logging.getLogger("tandem.api").exception("web turn failed")
            outcome["error"] = {"type": "internal_error", "message": "something went wrong; try again"}

    async with anyio.create_task_group() as group:
        group.start_soon(run)
        while not outcome:
            await anyio.sleep(_POLL_S)
            for task in await _changed(request, conversation_id, seen):
                yield _line("task", task=_card(task))
    if "error" in outcome:
        yield _line("error", error=outcome["error"])
    else:
        yield _line("reply", reply=outcome["reply"])


def _card(task: Task) -> dict[str, Any]:
    """A task as the card shows it: the journal's public shape plus the partner behind its call, and for a list
    answer with nothing in it the sentence the task line says ("Ich habe nichts gefunden.", say.toml's
    ``found_none``), so the card does not show "done (0)"."""
    empty = task.state == TaskState.DONE and task.result == []
    return {**task.public(), "service_id": task.call.service_id if task.call else None,
            **({"found_none": spoken.found(0, "", task.language)} if empty else {})}


@router.post("/turn")
async def turn(body: TurnBody, request: Request) -> StreamingResponse:
    owner = client_of(request)  # conversations are their client's, as on /v1/assistant (tandem.api.agent)

    async def open_conversation(a: Assistant) -> str:
        if body.conversation_id is not None:
            check_conversation(a.journal, body.conversation_id, request)
        return a.journal.conversation(body.conversation_id, detect_language(body.text), owner)

    conversation_id = await _run(request, open_conversation, shown=False)  # an unknown id: 404 before the stream
    return StreamingResponse(_turn_events(request, body, conversation_id), media_type="application/x-ndjson")


@router.get("/tasks")
async def tasks(request: Request, conversation_id: str | None = None) -> dict[str, Any]:
    async def read(a: Assistant) -> list[Task]:
        if conversation_id:
            check_conversation(a.journal, conversation_id, request)
            return a.tasks(conversation_id)
        mine = usable_conversations(a.journal, request)
        return [t for t in a.tasks() if t.conversation_id in mine]

    return {"tasks": [_card(t) for t in await _run(request, read)]}


async def _act(request: Request, work: Work[Task]) -> dict[str, Any]:
    return {"task": _card(await _run(request, work))}


@router.post("/tasks/{task_id}/answer")
async def answer(task_id: str, body: AnswerBody, request: Request) -> dict[str, Any]:
    keep = holds(request, "admin")
    return await _act(request, lambda a: a.answer(own_task(a, task_id, request).id, body.text, keep_profile=keep))


@router.post("/tasks/{task_id}/cancel")
async def cancel(task_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, lambda a: a.cancel(own_task(a, task_id, request).id))


@router.post("/confirmations/{confirmation_id}/confirm")
async def confirm(confirmation_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, lambda a: a.confirm(own_confirmation(a, confirmation_id, request)))


@router.post("/confirmations/{confirmation_id}/decline")
async def decline(confirmation_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, lambda a: a.decline(own_confirmation(a, confirmation_id, request)))


@router.get("/config")
async def config(request: Request) -> dict[str, Any]:
    """What the chat falls back to for text that is not a command (the routed model when there is one), and each
    installed capability's card title by language, from its manifest (an added partner's too)."""
    async def titles(a: Assistant) -> dict[str, dict[str, str]]:
        return a.titles()

    return {"region": _settings(request).region, "chat_model": chat_model_id(_registry(request)),
            "auth": request.app.state.keys.configured(), "titles": await _run(request, titles, shown=False)}


class ChatTurns(BaseModel):
    messages: list[MessageIn] = Field(min_length=1, max_length=64)


@router.post("/chat", response_model=None)
async def chat(body: ChatTurns, request: Request) -> Response:
    """The chat model's answer (streamed) to what a turn made no task of: told first that it cannot act, and an answer
    that still claims an act gets the fact after it (``guarded_chat``)."""
    asked = ChatBody(model=chat_model_id(_registry(request)), messages=body.messages, stream=True)
    guarded, closing = guarded_chat(asked.to_request())
    return await model_answer(asked, guarded, request, closing=closing)


# services ------------------------------------------------------------------------------------------------
def _service_row(record: Any, offer: Any) -> dict[str, Any]:
    row: dict[str, Any] = record.summary(offer)
    tools = record.manifest.tools
    row["names"] = record.manifest.names
    row["personal_data"] = sorted({kind for t in tools for kind in t.personal_data})
    row["transactional"] = sorted(t.name for t in tools if t.transactional)
    return row


def _services(settings: Settings) -> list[dict[str, Any]]:
    registry = ServiceRegistry(settings)
    try:
        return [_service_row(r, o) for r, o in registry.offers(settings.region, TransferPolicy())]
    finally:
        registry.close()


@router.get("/services")
async def services(request: Request) -> dict[str, Any]:
    settings = _settings(request)
    return {"region": settings.region, "services": await run_in_threadpool(_services, settings)}


@router.post("/services/{service_id}")
async def set_service(service_id: str, body: EnableBody, request: Request) -> dict[str, Any]:
    def change() -> dict[str, Any]:
        registry = ServiceRegistry(_settings(request))
        try:
            registry.set_enabled(service_id, body.enabled)
        finally:
            registry.close()
        return {"services": _services(_settings(request))}

    return await run_in_threadpool(change)


# privacy -------------------------------------------------------------------------------------------------
def _today(stamp: float | str) -> bool:
    when = dt.datetime.fromtimestamp(stamp, dt.UTC) if isinstance(stamp, float) else dt.datetime.fromisoformat(stamp)
    return when.date() == dt.datetime.now(dt.UTC).date()


def _requests_today(agent_tasks: list[Task], entries: list[Any]) -> list[dict[str, Any]]:
    """Today's requests by where they were handled: agent turns (their understanding tier) and cloud calls."""
    rows = [{"tier": "cloud" if t.tier == "cloud" else "device", "what": t.text or t.intent,
             "reason": f"understanding:{t.tier}", "time": t.created_at}
            for t in agent_tasks if t.created_at and _today(t.created_at)]
    rows += [{"tier": "cloud", "what": e.purpose, "reason": e.route_reasons or e.legal_basis,
              "why": ledger_row(e)["why"],  # the reason in words (privacy.explain)
              "time": dt.datetime.fromisoformat(e.time).timestamp()} for e in entries if e.time and _today(e.time)]
    return sorted(rows, key=lambda r: r["time"], reverse=True)


def _privacy(settings: Settings, agent_tasks: list[Task]) -> dict[str, Any]:
    ledger = Ledger.at_home(settings.home)
    try:
        entries = ledger.entries(200)
    finally:
        ledger.close()
    consent = load_privacy(settings.home).consent
    return {"consent": asdict(consent), "device_only": not consent.cloud, "region": settings.region,
            "ledger": [ledger_row(e) for e in entries], "requests": _requests_today(agent_tasks, entries)}


@router.get("/privacy")
async def privacy(request: Request) -> dict[str, Any]:
    async def read(a: Assistant) -> list[Task]:
        return a.tasks()

    return await run_in_threadpool(_privacy, _settings(request), await _run(request, read))


@router.post("/privacy/consent")
async def consent(body: ConsentBody, request: Request) -> dict[str, Any]:
    changes = {k: v for k, v in body.model_dump().items() if v is not None}
    if changes:
        await run_in_threadpool(lambda: save_consent(_settings(request).home, **changes))
    return await privacy(request)


@router.get("/privacy/export")
async def export(request: Request) -> Response:
    """Everything an erasure deletes, as ``GET /v1/privacy/export`` and ``tandem privacy export`` give it (GDPR Art.
    15, 20): the ledger, memory, profile, conversations and stored Responses; before, the page's only export was the
    ledger, beside a button that erases all of it (walk4 W4-9)."""
    text = json.dumps(await exported(request), ensure_ascii=False, indent=2)  # as the session may read it (R14-10)
    stamp = time.strftime("%Y%m%d")
    return Response(text, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="tandem-export-{stamp}.json"'})


@router.post("/privacy/erase")
async def erase(request: Request) -> dict[str, Any]:
    done = await run_in_threadpool(erase_on_server, request.app)  # closes the server's stores first
    return {"ledger_rows": done.ledger_rows, "removed": list(done.removed)}


# the static app ------------------------------------------------------------------------------------------
# The page runs only its own scripts and talks only to this server: partner data (names, titles, answers) is put
# in as text (static/js/dom.js), and should any of it ever reach the page as markup, no script in it could run or
# send what the page shows elsewhere. Audio recorded or spoken plays from blob: URLs; the icon is a data: URL.
_PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'")


class _PolicedFiles(StaticFiles):
    """The static files with the page's policy: the page is served at /static/index.html too (review R16-6)."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        response.headers["content-security-policy"] = _PAGE_POLICY
        return response


def install_web(app: FastAPI) -> None:
    """Serve the web app at ``/`` and its endpoints under ``/api/ui``."""
    app.include_router(router)
    app.mount("/static", _PolicedFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-cache",
                                                                "content-security-policy": _PAGE_POLICY})
