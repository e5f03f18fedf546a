"""Optional bearer-key check for the model API, so that only apps given the key can use it."""

from __future__ import annotations

import hmac
import json
from typing import Any

from tandem.api.errors import error_body

__all__ = ["ApiKey"]


class ApiKey:
    """ASGI middleware: ``/v1/*`` requests need ``Authorization: Bearer <key>``; health and metrics do not."""

    def __init__(self, app: Any, key: str) -> None:
        self.app, self._expected = app, f"Bearer {key}".encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                body = json.dumps(error_body("missing or invalid API key", "invalid_request_error",
                                             code="invalid_api_key")).encode()
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
