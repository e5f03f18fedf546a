"""Map Tandem's error tree (and framework errors) to OpenAI-style error bodies at the HTTP boundary."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from tandem import errors as e

__all__ = ["error_body", "install_error_handlers", "status_of"]

log = logging.getLogger("tandem.api")

# (status, OpenAI error type, code); the first matching class wins, so subclasses come first.
_MAP: list[tuple[type[e.TandemError], int, str, str | None]] = [
    (e.ContextOverflow, 400, "invalid_request_error", "context_length_exceeded"),
    (e.InvalidRequest, 400, "invalid_request_error", None),
    (e.NotFound, 404, "invalid_request_error", "model_not_found"),
    (e.PolicyDenied, 403, "permission_error", "policy_denied"),
    (e.RateLimited, 429, "rate_limit_error", "rate_limited"),
    (e.ModelTimeout, 504, "server_error", "timeout"),
    (e.AuthFailed, 502, "server_error", "upstream_auth_failed"),
    (e.ModelUnavailable, 503, "server_error", "model_unavailable"),
    (e.ToolCallFailed, 500, "server_error", "tool_call_failed"),
    (e.ModelError, 502, "server_error", "model_error"),
    (e.ConfigError, 500, "server_error", "config_error"),
    (e.TandemError, 500, "server_error", None),
]


def error_body(message: str, type_: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def status_of(exc: e.TandemError) -> tuple[int, dict[str, Any]]:
    for cls, status, type_, code in _MAP:
        if isinstance(exc, cls):
            param = getattr(exc, "param", None)
            return status, error_body(str(exc), type_, param=param, code=code)
    raise AssertionError("unreachable: TandemError is in the map")


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    first = exc.errors()[0] if exc.errors() else {"msg": "invalid request", "loc": ()}
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    if first.get("type") == "json_invalid":
        return "request body is not valid JSON", None
    param = ".".join(loc) or None
    return (f"{param}: {first['msg']}" if param else str(first["msg"])), param


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(e.TandemError)
    async def tandem_error(request: Request, exc: e.TandemError) -> JSONResponse:
        status, body = status_of(exc)
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = _validation_message(exc)
        return JSONResponse(error_body(message, "invalid_request_error", param=param), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        type_ = "invalid_request_error" if exc.status_code < 500 else "server_error"
        return JSONResponse(error_body(str(exc.detail), type_), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(error_body("internal error; see the server log", "server_error"), status_code=500)
