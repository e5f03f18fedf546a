"""The FastAPI application: OpenAI-compatible model API plus health and metrics."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from starlette.concurrency import run_in_threadpool

from tandem import __version__
from tandem.api.admission import Admission, gates, watch
from tandem.api.agent import ASSISTANT_MODEL_ID, install_assistant
from tandem.api.auth import Access, Keys, Sessions
from tandem.api.bodies import ParsedRoute, one_at_a_time
from tandem.api.chat import router as chat_router
from tandem.api.clouds import cloud_reader
from tandem.api.embeddings import EMBEDDING_ID
from tandem.api.embeddings import router as embeddings_router
from tandem.api.errors import Unhandled, document_errors, install_error_handlers
from tandem.api.extras import include_speech
from tandem.api.images import image_parts_as_text
from tandem.api.images import router as images_router
from tandem.api.limits import BodyLimit, Deadline, TrimHeap, check_json, check_turn, limit_arenas
from tandem.api.memory import router as memory_router
from tandem.api.metrics import Metrics
from tandem.api.privacy import announced
from tandem.api.privacy import router as privacy_router
from tandem.api.profile import router as profile_router
from tandem.api.security import Guard, host_policy
from tandem.api.web import install_web
from tandem.config import Settings
from tandem.errors import ModelNotFound, PolicyDenied
from tandem.models.registry import ModelRegistry

__all__ = ["create_app"]

log = logging.getLogger("tandem.api")


def _model_card(model_id: str, owned_by: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": owned_by}


def _routes(app: FastAPI) -> None:
    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, Any]:
        registry: ModelRegistry = request.app.state.registry
        return {"status": "ok", "version": __version__, "region": registry.settings.region,
                "models_loaded": registry.loaded()}

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/v1/models")
    async def list_models(request: Request) -> dict[str, Any]:
        registry: ModelRegistry = request.app.state.registry
        cards = [_model_card(i.id, i.owned_by) for i in registry.infos()]
        cards.append(_model_card(_EMBEDDING_ID, "tandem"))
        return {"object": "list", "data": cards}

    @app.get("/v1/models/{model_id:path}")
    async def get_model(model_id: str, request: Request) -> dict[str, Any]:
        model_id = request.app.state.registry.resolve(model_id)  # an old alias gets its model's card
        listed = (await list_models(request))["data"]
        for card in listed:
            if card["id"] == model_id:
                return card
        raise ModelNotFound(f"unknown model {model_id!r}", hint=f"known models: {', '.join(c['id'] for c in listed)}")


_EMBEDDING_ID = EMBEDDING_ID
# files, not chat: OpenAI allows 25 MB (every route whose OpenAPI body is a form: tests/api/test_upload_form.py)
_UPLOAD_PATHS = ("/v1/audio/transcriptions", "/v1/audio/translations", "/v1/images/analyze", "/v1/assistant/voice")


class _Observed:
    """ASGI middleware: counts each answer by route and status, and the time until it began. Plain ASGI
    rather than ``@app.middleware``: that relays every chunk of a streamed answer through a memory stream
    and another task, per token."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()

        async def observed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                path = getattr(scope.get("route"), "path", "unmatched")
                self.metrics.requests.labels(path, str(message["status"])).inc()
                self.metrics.latency.labels(path).observe(time.monotonic() - started)
            await send(message)

        await self.app(scope, receive, observed)


def _observe(app: FastAPI) -> None:
    app.add_middleware(_Observed, metrics=app.state.metrics)


def create_app(registry: ModelRegistry, *, preload: list[str] | None = None) -> FastAPI:
    """The API over ``registry``. Models in ``preload`` are loaded before the server takes requests."""
    limit_arenas()  # before the app starts any thread: freed memory stays in few malloc arenas (TrimHeap)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for model_id in preload or []:
            await run_in_threadpool(registry.get, model_id)
        try:
            with announced(registry.settings):  # `tandem privacy erase` erases through this server while it runs
                yield
        finally:  # the assistant's journal and partner processes end with the app, not with the process
            await run_in_threadpool(app.state.assistant.close)

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, which would run in the origin whose session
    # confirms purchases (and fail offline); the reference is /openapi.json and docs/api.md.
    app = FastAPI(title="Tandem", version=__version__, lifespan=lifespan, dependencies=[Depends(_budgets)],
                  docs_url=None, redoc_url=None)
    app.router.route_class = ParsedRoute  # a body of many values is parsed on a worker thread (every router's too)
    app.state.registry = registry
    app.state.metrics = Metrics()
    install_error_handlers(app)
    document_errors(app)
    app.add_middleware(Unhandled)  # innermost, so the 500 is counted and the connection stays open
    _observe(app)
    _routes(app)
    chat_checks = [Depends(_assistant_scopes), Depends(image_parts_as_text)]  # images → OCR text
    app.include_router(chat_router, dependencies=chat_checks)
    app.include_router(embeddings_router)
    include_speech(app)  # /v1/audio/*, /v1/assistant/voice; 501 naming the extra when it is not installed
    app.include_router(images_router)
    app.include_router(memory_router)  # /v1/memory/* and /v1/recommendations
    app.include_router(privacy_router)  # /v1/privacy/ledger, /export, /data (erase)
    app.include_router(profile_router)  # /v1/profile: what orders are filled from
    install_assistant(app, registry)  # /v1/assistant/* and the tandem:assistant model
    install_web(app)  # the web app at / and its /api/ui endpoints
    _protect(app, registry.settings)
    return app


def _protect(app: FastAPI, settings: Settings) -> None:
    """Outermost first: host, origin and simple-request checks; the caller and its scopes; the deadline; body size; a
    turn for heavy work."""
    uploads = {path: settings.max_upload_bytes for path in _UPLOAD_PATHS}
    app.add_middleware(TrimHeap, seconds=2.0)  # innermost: after the route's work, freed heap goes back
    refused = Counter("tandem_http_refused", "Requests refused before any route ran", ["reason"],
                      registry=app.state.metrics.registry)
    # a heavy request whose body has come waits for a turn (within its deadline); one too many gets 429
    app.state.gates = gates(settings.max_running, settings.max_waiting, settings.line_bytes)
    watch(app.state.gates, app.state.metrics.registry)
    # a model request naming a cloud model waits in a line of its own, not the device's (tandem.api.clouds)
    app.add_middleware(Admission, gates=app.state.gates, refused=refused, clouded=cloud_reader(app.state.registry))
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, uploads=uploads)
    app.add_middleware(Deadline, seconds=settings.request_timeout_s)
    app.state.keys, app.state.sessions = Keys(settings), Sessions()
    app.add_middleware(Access, keys=app.state.keys, sessions=app.state.sessions, refused=refused)
    policy = host_policy(settings.host, settings.allowed_hosts, settings.allowed_origins)
    app.add_middleware(Guard, policy=policy, refused=refused)


_TURNS = re.compile(r"^/(v1/assistant/conversations(/[^/]+/messages)?|(v1/assistant|api/ui)/tasks/[^/]+/answer"
                    r"|api/ui/turn)$")


def _token_counter(registry: ModelRegistry) -> Callable[[str], int] | None:
    model_id = registry.settings.default_model
    if model_id not in registry.loaded():
        return None
    count: Callable[[str], int] | None = getattr(registry.get(model_id), "count_tokens", None)
    return count


def _turn_text(path: str, data: Any) -> str | None:
    """The assistant turn in a JSON body: ``text`` on the assistant routes, the last user message when the
    chat model is the assistant."""
    if not isinstance(data, dict):
        return None
    if _TURNS.match(path):
        return data.get("text") if isinstance(data.get("text"), str) else None
    if path == "/v1/chat/completions" and data.get("model") == ASSISTANT_MODEL_ID:
        messages = data["messages"] if isinstance(data.get("messages"), list) else []
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        return users[-1] if users and isinstance(users[-1], str) else None
    return None


async def _budgets(request: Request) -> None:
    """Caps checked before any route works on a JSON body: valid Unicode, message count, turn length."""
    if request.method not in ("POST", "PUT", "PATCH") or "json" not in request.headers.get("content-type", ""):
        return
    try:
        data = await request.json()
    except ValueError:
        return  # the route answers 400
    registry: ModelRegistry = request.app.state.registry
    # off the event loop: a 4 MB body holds millions of values, and every route (light ones too) is checked; such a
    # body (parsed in steps: tandem.api.bodies) is checked in steps too, one at a time
    if getattr(request, "many_values", False):
        await anyio.to_thread.run_sync(check_json, data, registry.settings.max_messages, True, limiter=one_at_a_time())
    else:
        await run_in_threadpool(check_json, data, registry.settings.max_messages)
    text = _turn_text(request.url.path, data)
    if text is not None:
        check_turn(text, registry.settings.max_turn_tokens, _token_counter(registry))


async def _assistant_scopes(request: Request) -> None:
    """``tandem:assistant`` over chat completions acts like the assistant endpoints: a key needs the
    ``assistant`` scope for it, not only ``models`` (a "yes" there confirms only with ``confirm`` as well:
    tandem.api.agent)."""
    caller = getattr(request.state, "caller", None)
    if caller is None or "assistant" in caller.scopes:
        return
    try:
        model = (await request.json()).get("model")  # parsed once, by FastAPI, before this check
    except (ValueError, AttributeError):
        return  # not a JSON object: the route answers 400
    if model == ASSISTANT_MODEL_ID:
        raise PolicyDenied(f"{ASSISTANT_MODEL_ID} needs a key with the assistant scope")

