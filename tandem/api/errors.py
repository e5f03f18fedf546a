"""Map Tandem's error tree (and framework errors) to OpenAI-style error bodies at the HTTP boundary."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from tandem import errors as e
from tandem.api.kinds import kind_of

__all__ = ["ECHOED", "PreviousResponseNotFound", "Unhandled", "UnsupportedParameter", "UnsupportedValue", "cut_echoes",
           "document_errors", "error_body", "install_error_handlers", "status_of"]

log = logging.getLogger("tandem.api")


class PreviousResponseNotFound(e.InvalidRequest):
    """``previous_response_id`` names no response of this client's: OpenAI answers 400
    ``previous_response_not_found`` (a malformed request, not a missing URL), and clients such as Codex
    recover from it by sending the whole conversation again."""


class UnsupportedParameter(e.InvalidRequest):
    """A parameter no Tandem model serves (``web_search_options``): OpenAI's 400 for a model without the feature."""


class UnsupportedValue(e.InvalidRequest):
    """A value of a parameter that only some values of are served (``reasoning_effort`` other than "none")."""


# (status, OpenAI error type, code); the first matching class wins, so subclasses come first.
_MAP: list[tuple[type[e.TandemError], int, str, str | None]] = [
    (e.ContextOverflow, 400, "invalid_request_error", "context_length_exceeded"),
    (PreviousResponseNotFound, 400, "invalid_request_error", "previous_response_not_found"),
    (UnsupportedParameter, 400, "invalid_request_error", "unsupported_parameter"),
    (UnsupportedValue, 400, "invalid_request_error", "unsupported_value"),
    (e.InvalidRequest, 400, "invalid_request_error", None),
    (e.ModelNotFound, 404, "invalid_request_error", "model_not_found"),
    (e.NotFound, 404, "invalid_request_error", None),  # OpenAI: a missing object (file, response) has no code
    (e.PolicyDenied, 403, "permission_error", "policy_denied"),
    (e.RateLimited, 429, "rate_limit_error", "rate_limited"),
    (e.ModelTimeout, 504, "server_error", "timeout"),
    (e.AuthFailed, 502, "server_error", "upstream_auth_failed"),
    (e.ModelUnavailable, 503, "server_error", "model_unavailable"),
    (e.ToolCallFailed, 500, "server_error", "tool_call_failed"),
    (e.OutputInvalid, 500, "server_error", "invalid_model_output"),
    (e.ModelError, 502, "server_error", "model_error"),
    (e.ConfigError, 500, "server_error", "config_error"),
    (e.TandemError, 500, "server_error", None),
]


# At most this much of a value the client sent comes back in an error, as the host check cuts a host
# (tandem.api.security): an id or model name of thousands of characters is named by its start.
ECHOED = 100
_QUOTED = re.compile(rf"""(?<!\w)(?P<q>['"])(?P<kept>(?:(?!(?P=q)).){{{ECHOED}}})(?:(?!(?P=q)).)+(?P=q)(?!\w)""",
                     re.S)  # an apostrophe ("model's") opens no quote


def cut_echoes(text: str) -> str:
    """``text`` with each quoted value longer than ``ECHOED`` characters cut to its first ``ECHOED`` and "…"."""
    return _QUOTED.sub(lambda m: f"{m['q']}{m['kept']}…{m['q']}", text)


def error_body(message: str, type_: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """An OpenAI-style error body; what it quotes of the request is cut (``cut_echoes``)."""
    return {"error": {"message": cut_echoes(message), "type": type_, "param": param and param[:ECHOED],
                      "code": code}}


# OpenAI opens an overflow's message with these words, and clients that sort errors by their words rather than
# their code look for them (litellm raises ContextWindowExceededError, which its context-window fallbacks catch,
# only then).
_OVERFLOW_WORDS = "This model's maximum context length is exceeded"


def _message(exc: e.TandemError) -> str:
    if isinstance(exc, e.ContextOverflow) and "maximum context length" not in str(exc).lower():
        return f"{_OVERFLOW_WORDS}: {exc}"
    return str(exc)


def status_of(exc: e.TandemError) -> tuple[int, dict[str, Any]]:
    for cls, status, type_, code in _MAP:
        if isinstance(exc, cls):
            param = getattr(exc, "param", None)
            return status, error_body(_message(exc), type_, param=param, code=code)
    raise AssertionError("unreachable: TandemError is in the map")


# The steps of a validation error's location that name no field: the body itself, and the member of a union that was
# tried ("str", "literal['auto','none','required']", "NamedToolChoice", "function-after[...]").
_NO_FIELD = re.compile(r"body|str|int|float|bool|list|dict|none|[A-Z].*|.*[\[(-].*")


def _param(loc: tuple[Any, ...]) -> str | None:
    """The parameter a validation error is about, written as the API's own errors (and OpenAI's) write it:
    "messages[1].content"."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        elif not _NO_FIELD.fullmatch(str(step)):
            out += f".{step}" if out else str(step)
    return out or None


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    first = exc.errors()[0] if exc.errors() else {"msg": "invalid request", "loc": ()}
    if first.get("type") == "json_invalid":
        return "request body is not valid JSON", None
    param = _param(tuple(first.get("loc", ())))
    return (f"{param}: {first['msg']}" if param else str(first["msg"])), param


def _methods(app: FastAPI, scope: Any) -> list[str]:
    """The methods some route serves at this request's path."""
    return [method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in app.router.routes)]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(e.TandemError)
    async def tandem_error(request: Request, exc: e.TandemError) -> JSONResponse:
        status, body = status_of(exc)
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = _validation_message(exc)
        kind = request.headers.get("content-type", "")
        if param is None and "json" not in kind:  # curl -d '{...}' sends it as a form
            came = f"with Content-Type {cut_echoes(repr(kind))}" if kind else "without a Content-Type"
            message = f"the request body must be JSON, sent with Content-Type: application/json (this one came {came})"
        return JSONResponse(error_body(message, "invalid_request_error", param=param), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        type_ = "invalid_request_error" if exc.status_code < 500 else "server_error"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method the path has, not only those of the first route matched
            headers["Allow"] = ", ".join(_methods(request.app, request.scope))
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":  # no route: say which one was asked for
            path = request.url.path
            message = f"unknown route {request.method} {path[:ECHOED]}{'…' if len(path) > ECHOED else ''}"
        return JSONResponse(error_body(message, type_), status_code=exc.status_code, headers=headers)

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> JSONResponse:
        # SQLite and C libraries take 64-bit integers; a larger id or limit from the client is its error
        return JSONResponse(error_body("a number in the request is out of range", "invalid_request_error",
                                       code="out_of_range"), status_code=400)

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        # JSON the client nested deeper than a parser recurses (a tool call's arguments, a schema)
        return JSONResponse(error_body("the request nests values too deeply", "invalid_request_error",
                                       code="too_deeply_nested"), status_code=400)

    @app.exception_handler(Exception)  # what escapes a middleware outside ``Unhandled``
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return _internal_error()


def _internal_error() -> JSONResponse:
    return JSONResponse(error_body("internal error; see the server log", "server_error"), status_code=500)


class Unhandled:
    """ASGI middleware, innermost: a bug in a route becomes an ordinary 500 answer here. Starlette's own
    handler for ``Exception`` answers outside every middleware and then raises again, so the request was
    missing from ``/metrics`` and uvicorn closed the connection, and a keep-alive client's next request on it
    failed with a reset. A streamed answer that fails after it began is cut off as before."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = False

        async def watched(message: dict[str, Any]) -> None:
            nonlocal began
            began = began or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if began:
                raise
            log.exception("unhandled error on %s", scope.get("path"))
            await _internal_error()(scope, receive, send)


_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["message", "type"], "properties": {
        "message": {"type": "string"}, "type": {"type": "string"},
        "param": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "code": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}}}
_WHY = {"400": "Invalid request (OpenAI-style error body)", "401": "Missing or invalid API key",
        "403": "Refused: origin, scope or policy", "404": "Unknown model or object",
        "405": "Method not allowed (see the Allow header)", "413": "Request body too large",
        "421": "Host not served (DNS rebinding guard)", "429": "Busy: too many heavy requests (see Retry-After)",
        "503": "Model unavailable",
        "504": "Deadline passed"}


def _error_codes(path: str, method: str) -> set[str]:
    codes = {"400", "421"}
    if path.startswith(("/v1/", "/api/ui/")):
        codes |= {"401", "403"}
    if method in ("post", "put", "patch"):
        codes.add("413")
    heavy = kind_of(method.upper(), re.sub(r"\{[^}]+\}", "x", path))
    if "{" in path or heavy:  # an unknown object, or an unknown model
        codes.add("404")
    if heavy:  # model work: its model may be unavailable, it may find no turn free, or its deadline may pass
        codes |= {"429", "503", "504"}
    return codes


def document_errors(app: FastAPI) -> None:
    """Let the OpenAPI document list the errors routes really answer with (FastAPI lists only 422, which
    this server never sends: validation errors are 400s)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorResponse"] = _ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                for code in sorted(_error_codes(path, method)):
                    responses.setdefault(code, {"description": _WHY[code], "content": error})
        for unused in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(unused, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
