"""Checks in front of every route that keep other web sites out of the user's Tandem (docs/security.md).

A browser on the user's device can reach ``127.0.0.1:8700`` from any page it shows. Three ways in, and
what closes each, in the order they run:

1. **DNS rebinding.** A page on ``evil.example`` whose name later resolves to 127.0.0.1 talks to the
   server as its own origin. Its requests carry ``Host: evil.example``: only the names the server is
   reachable under are served (loopback names and addresses, the bind address, ``allowed_hosts``;
   any IP address when bound to all interfaces, since a rebinding needs a name). Others get 421.
2. **Cross-site requests.** A page may send a request to any address without reading the answer. Browsers
   say where such a request comes from: an ``Origin`` that is not this server (nor in ``allowed_origins``)
   and ``Sec-Fetch-Site: cross-site | same-site`` (a page on another port of 127.0.0.1 is same-site) are
   refused with 403; only a top-level navigation (a link to the app: ``Sec-Fetch-Dest: document``) may come from
   elsewhere. A frame, object or embed another site loads is a navigation too, but a nested one: refused, or its GET
   route would run (the answer hidden from view by ``X-Frame-Options`` alone, its load and timing seen by the page).
3. **Simple requests.** A form post or ``fetch(..., {mode: "no-cors"})`` with a ``text/plain``,
   form or multipart body needs no CORS preflight. A state-changing request from a browser (it carries
   ``Origin`` or ``Sec-Fetch-Site``) must show it was allowed to send a custom header: ``X-Tandem-UI``
   (the web app) or ``Authorization``. Clients that are not browsers send neither header and are left to
   the key check (``tandem.api.auth``), which serves them without a key only on loopback.

A WebSocket handshake passes the first two checks too (a page on any site may open one to 127.0.0.1).

Every answer carries ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'`` (no clickjacking of a
confirmation) and ``nosniff``. There is no CORS: no ``Access-Control-Allow-*`` header is ever sent, except
the exact origins in ``allowed_origins``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tandem.api.errors import error_body

__all__ = ["Guard", "HostPolicy", "header", "host_policy", "is_loopback", "refuse"]

log = logging.getLogger("tandem.api")

Scope = MutableMapping[str, Any]
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_ANY = frozenset({"0.0.0.0", "::", ""})
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# bodies a browser sends across origins without asking first (the CORS-safelisted content types)
_SIMPLE_TYPES = frozenset({"text/plain", "multipart/form-data", "application/x-www-form-urlencoded", ""})
_PROOF_HEADERS = (b"x-tandem-ui", b"authorization")  # headers no page can add without a preflight
_FRAMING = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
_CORS_HEADERS = ("authorization", "content-type", "x-tandem-ui", "idempotency-key")
_HEADER_NAME = re.compile(r"[a-z0-9!#$%&'*+.^_`|~-]{1,64}")  # an HTTP token, as a header name is written


def _cors_headers(asked: str | None) -> bytes:
    """The headers an allowed origin may send: Tandem's own, and those its preflight asks for (up to 32 valid
    names): a browser client sends its own (the openai JS SDK's ``x-stainless-*`` on every request), and a
    preflight that leaves one out fails the request in the browser. Only ``allowed_origins`` get an answer."""
    names = [n.strip().lower() for n in (asked or "").split(",")[:32]]
    extra = [n for n in dict.fromkeys(names) if _HEADER_NAME.fullmatch(n) and n not in _CORS_HEADERS]
    return ", ".join([*_CORS_HEADERS, *extra]).encode()


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower-case bytes), decoded as latin-1, or None."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return address == "localhost"


def _split_host(raw: str) -> tuple[str, int | None] | None:
    """``name[:port]`` or ``[v6]:port`` → (lower-case name without a trailing dot, port); None if malformed."""
    try:
        parts = urlsplit(f"//{raw.strip()}")
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.username is not None or parts.path or parts.query:
        return None
    return name.rstrip("."), port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostPolicy:
    """The names this server answers to, and the other web origins allowed to call it."""

    names: frozenset[str]  # lower-case host names and addresses (IPv6 without brackets)
    any_ip: bool  # bound to all interfaces: any IP address is a name of this server
    origins: frozenset[str]  # extra origins, exactly ``scheme://host[:port]``

    def allows_host(self, name: str) -> bool:
        return name in self.names or ((self.any_ip or is_loopback(name)) and _is_ip(name))


def host_policy(bind: str, allowed_hosts: str = "", allowed_origins: str = "") -> HostPolicy:
    """From the settings: the bind address, comma-separated extra host names and extra origins."""
    names = set(LOOPBACK_NAMES)
    if bind.strip("[]") not in _ANY:
        names.add(bind.strip("[]").lower())
    names.update(n.strip().lower().strip("[]").rstrip(".") for n in allowed_hosts.split(",") if n.strip())
    origins = frozenset(o.strip().rstrip("/").lower() for o in allowed_origins.split(",") if o.strip() not in ("", "*"))
    return HostPolicy(frozenset(names), bind.strip("[]") in _ANY, origins)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _same_origin(origin: str, host: str) -> bool:
    """Whether ``Origin`` names this server as the request addressed it (``Host``)."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    mine = _split_host(host)
    if mine is None:
        return False
    try:
        port = parts.port or _default_port(parts.scheme)
    except ValueError:
        return False
    return parts.hostname.rstrip(".") == mine[0] and port == (mine[1] or _default_port(parts.scheme))


async def refuse(send: Any, status: int, message: str, code: str, extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """Answer with an OpenAI-style error, before any route runs."""
    type_ = "authentication_error" if status == 401 else "invalid_request_error"
    if status == 403:
        type_ = "permission_error"
    body = json.dumps(error_body(message, type_, code=code)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *extra, *_FRAMING]})
    await send({"type": "http.response.body", "body": body})


def _content_type(scope: Scope) -> str:
    return (header(scope, b"content-type") or "").split(";")[0].strip().lower()


def _verdict(scope: Scope, policy: HostPolicy) -> tuple[int, str, str] | None:
    """Why this request is refused (status, message, code), or None. Rules 1-3 of the module docstring."""
    raw_host = header(scope, b"host") or ""
    parsed = _split_host(raw_host)
    if parsed is None or not policy.allows_host(parsed[0]):
        return 421, f"this server does not answer to host {raw_host[:100]!r}", "host_not_allowed"
    method, origin = scope["method"], header(scope, b"origin")
    if origin is not None and not _same_origin(origin, raw_host) and origin.rstrip("/").lower() not in policy.origins:
        return 403, f"requests from origin {origin[:100]!r} are not allowed", "origin_not_allowed"
    site = header(scope, b"sec-fetch-site")
    navigation = (method in ("GET", "HEAD") and header(scope, b"sec-fetch-mode") == "navigate"
                  and header(scope, b"sec-fetch-dest") == "document")  # top-level: not a frame of another site
    if site in ("cross-site", "same-site") and not navigation and origin is None:
        return 403, "requests from other web sites are not allowed", "cross_site_request"
    browser = origin is not None or site is not None
    proof = any(header(scope, name) is not None for name in _PROOF_HEADERS)
    if method in _UNSAFE and browser and not proof and _content_type(scope) in _SIMPLE_TYPES:
        return 403, "a browser request that changes state needs the X-Tandem-UI or Authorization header", \
            "preflight_required"
    return None


class Guard:
    """ASGI middleware applying the checks of this module to every HTTP request, and the framing headers
    to every answer."""

    def __init__(self, app: Any, policy: HostPolicy, refused: Any = None) -> None:
        self.app, self.policy, self.refused = app, policy, refused

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":  # no route takes one today; a page on another site may still open one
            if self._refused({**scope, "method": "GET"}) is None:
                await self.app(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})  # before the handshake: an HTTP 403
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._refused(scope)
        if refused is not None:
            await refuse(send, *refused)
            return
        origin = header(scope, b"origin")
        cors = origin is not None and origin.rstrip("/").lower() in self.policy.origins
        if cors and scope["method"] == "OPTIONS":
            await self._preflight(send, origin or "", header(scope, b"access-control-request-headers"))
            return

        async def framed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"access-control-allow-origin", (origin or "").encode()), (b"vary", b"Origin")] if cors \
                    else []
                message = {**message, "headers": [*message.get("headers", []), *_FRAMING, *extra]}
            await send(message)

        await self.app(scope, receive, framed)

    def _refused(self, scope: Scope) -> tuple[int, str, str] | None:
        """Why this request is refused (``_verdict``), logged and counted; None when it is served."""
        refused = _verdict(scope, self.policy)
        if refused is not None:
            log.warning("refused %s %s: %s", scope["method"], scope["path"], refused[2])
            if self.refused is not None:
                self.refused.labels(refused[2]).inc()
        return refused

    async def _preflight(self, send: Any, origin: str, asked: str | None) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": [
            (b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin"),
            (b"access-control-allow-methods", b"GET, POST, PATCH, DELETE"),
            (b"access-control-allow-headers", _cors_headers(asked)), (b"access-control-max-age", b"600"), *_FRAMING]})
        await send({"type": "http.response.body", "body": b""})
