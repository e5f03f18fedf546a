"""Who is calling, and may they do this: API keys with scopes, the web app's session, loopback without keys.

A request to ``/v1/*``, ``/api/ui/*`` or ``/metrics`` is served when its caller holds every scope its
route needs (``ROUTE_SCOPES``; a route not listed, and ``/metrics``, need ``admin``). The caller is, in
this order:

- ``Authorization: Bearer <key>``: the ``api_key`` setting (every scope) or a key from ``tandem keys``
  (its scopes). A key that is neither is refused (401) once any key exists. From loopback, the local
  token (``tandem.keys.local_token``, readable only by the user who owns ``TANDEM_HOME``) is that user's
  ``tandem`` CLI, with every scope.
- the web app's session: an HttpOnly, ``SameSite=Strict`` cookie from ``POST /api/ui/session``, valid only
  under the host it was issued for, holding the scopes of the key it was opened with, or every scope when
  it was opened with the login code of the link ``tandem serve`` prints (``tandem.keys.login_code``: one
  session per code, within 15 minutes; the session ends when the link secret is rotated).
- nobody: when no key is configured and the client is on this device (loopback), ``LOOPBACK_SCOPES``
  only (models, the assistant, metrics: what openai-style clients need); refused otherwise. Any local
  process is such a caller, so what commits, destroys or reads what Tandem keeps about the user (confirm,
  privacy: also memory, admin: also the profile) needs one of the credentials above even without keys, and
  its conversations are its own (``tandem.api.clients``: it never sees those of the user's own clients).

The checks of ``tandem.api.security`` (host, origin, simple requests) run before this.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import threading
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from starlette.routing import Match

from tandem.agent.withhold import MEMORY, PROFILE
from tandem.api.security import header, is_loopback, refuse
from tandem.config import Settings
from tandem.keys import (
    LOCAL_SCOPES,
    SCOPES,
    KeyStore,
    check_login_code,
    granted,
    keys_path,
    link_generation,
    link_secret,
    local_token,
    signed_login_code,
    spend_login_code,
)

__all__ = ["LOOPBACK_SCOPES", "SESSION_COOKIE", "Access", "Caller", "Sessions", "caller_of", "holds",
           "local_client", "reveals", "scopes_for"]

log = logging.getLogger("tandem.api")

Scope = MutableMapping[str, Any]
SESSION_COOKIE = "tandem_session"
SESSION_TTL_S = 12 * 3600
_ALL = frozenset(SCOPES)
# What any process on this device may do when no key is configured: what clients of the OpenAI API need
# (models), talking to the assistant (a "yes" in a turn is then no answer: tandem.agent.confirming), and
# reading counters. Confirming, privacy and admin need the local token, the web app's session or a key.
LOOPBACK_SCOPES = frozenset({"models", "assistant", "metrics"})
_CREDENTIAL_HINT = ("present the local token ($TANDEM_HOME/keys/local.token) as a bearer token, open the web app "
                    "with the link tandem serve prints (tandem keys link), or create a key (tandem keys create)")

# (path pattern, scopes needed); the first match wins. A turn (the web app's, a conversation's message, the
# voice turn, the assistant's chat model) needs ``assistant`` only: a "yes" there, typed or spoken, confirms
# only for a caller holding ``confirm`` (tandem.api.agent and tandem.api.voice pass it to take_turn; the web
# app's turn takes no yes at all, its confirmations are the confirm route's), and what the turn tells a caller
# names the values it may not read (reveals).
ROUTE_SCOPES: list[tuple[re.Pattern[str], frozenset[str]]] = [(re.compile(p), frozenset(s)) for p, s in [
    (r"^/(v1/assistant|api/ui)/confirmations/", {"confirm"}),
    (r"^/v1/assistant/", {"assistant"}),
    (r"^/api/ui/(turn|tasks|config)\b", {"assistant"}),
    (r"^/(v1/privacy|api/ui/privacy)\b", {"privacy"}),
    # What Tandem remembers about the user: the items, and suggestions whose reasons quote them ("you told me
    # you like ..."); feedback on a suggestion writes memory.
    (r"^/v1/(memory|recommendations)\b", {"privacy"}),
    (r"^/v1/(chat/completions|completions|responses|embeddings|audio|images|models)\b", {"models"}),
    (r"^/api/ui/chat\b", {"models"}),  # the chat model's answer where a turn made no task (the page's chat)
    (r"^/v1/(profile|services|keys)\b", {"admin"}),
    (r"^/api/ui/services\b", {"admin"}),
]]
_OPEN = re.compile(r"^/api/ui/session$")  # the session endpoint checks the key it is given itself
# Outside the API but not public: request counts per route and status, refusals, partner failures and
# fallbacks tell another local user or a machine on the network what this user does and when.
_SERVER_SCOPES = {"/metrics": frozenset({"metrics"})}


def scopes_for(path: str) -> frozenset[str] | None:
    """The scopes a path needs; None for what anyone may load (the page, static files, health, the
    OpenAPI document)."""
    if path in _SERVER_SCOPES:
        return _SERVER_SCOPES[path]
    if _OPEN.match(path) or not path.startswith(("/v1/", "/api/ui/")):
        return None
    return next((needed for pattern, needed in ROUTE_SCOPES if pattern.match(path)), frozenset({"admin"}))


@dataclass(frozen=True)
class Caller:
    """Who made a request."""

    name: str  # "api_key", a key's name, "loopback", or "session:<name>"
    scopes: frozenset[str]  # what they may do
    key_id: str | None = None  # the stored key, if one was used
    link: str | None = None  # the link secret's generation (tandem.keys.link_generation), for a login code's session

    @property
    def principal(self) -> str | None:
        """Whose conversations these are: one per key; None for this device, with or without the local token
        (tandem.api.clients decides: ``X-Tandem-Client`` or the device's own)."""
        if self.key_id:
            return f"key:{self.key_id}"
        return "key:api_key" if self.name == "api_key" else None


@dataclass
class _Session:
    caller: Caller
    host: str
    expires: float


@dataclass
class Sessions:
    """The web app's sessions, in memory: a restart asks the page to open a new one. Each caller (keyless,
    a key, the login link) keeps its ``per_caller`` newest sessions: any local process may open keyless
    ones in a loop, and that must neither grow the server without bound nor end the user's own session."""

    per_caller: int = 32
    _items: dict[str, _Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, caller: Caller, host: str) -> str:
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._lock:
            self._items = {t: s for t, s in self._items.items() if s.expires > now}
            same = [t for t, s in self._items.items() if s.caller == caller]  # oldest first (insertion order)
            for old in same[:max(0, len(same) - self.per_caller + 1)]:
                del self._items[old]
            self._items[token] = _Session(caller, host.lower(), now + SESSION_TTL_S)
        return token

    def get(self, token: str, host: str) -> Caller | None:
        with self._lock:
            found = self._items.get(token)
        if found is None or found.expires < time.time() or found.host != host.lower():
            return None
        return found.caller


class Keys:
    """The ``api_key`` setting and the key store, opened once its file exists (``tandem keys create``
    may add it while the server runs)."""

    def __init__(self, settings: Settings) -> None:
        self.setting = settings.api_key
        self.home, self.path = settings.home, keys_path(settings.home)
        self._store: KeyStore | None = None
        self._lock = threading.Lock()
        try:
            self.local: str | None = local_token(settings.home)
        except OSError as exc:  # a read-only home: the CLI then needs a key like any app
            log.warning("no local token for the CLI: %s", exc)
            self.local = None

    def store(self) -> KeyStore | None:
        if self._store is None and self.path.exists():
            with self._lock:
                self._store = self._store or KeyStore(self.path)
        return self._store

    def is_local(self, key: str) -> bool:
        return self.local is not None and hmac.compare_digest(key.encode(), self.local.encode())

    def _link_secret(self) -> str | None:
        try:
            return link_secret(self.home)
        except OSError as exc:  # a read-only home: no link, the web app asks for a key
            log.warning("no link secret for the web app: %s", exc)
            return None

    def login(self, code: str, now: float | None = None) -> Caller | None:
        """The caller of a web session opened with ``code``, the login code of a link ``tandem.keys.login_code``
        made (every scope), if it is valid, unexpired and not used before; it opens one session only (the
        code is remembered as used until it expires, across restarts: ``tandem.keys.spend_login_code``)."""
        now = time.time() if now is None else now
        secret = self._link_secret() if code.startswith("tw-") else None
        valid = check_login_code(secret, code, now) if secret else None
        if valid is None or secret is None:
            return None
        try:
            fresh = spend_login_code(self.home, *valid, now=now)
        except OSError as exc:  # a read-only home: nothing could have been stored as used, so nothing opens
            log.warning("cannot record a used login code: %s", exc)
            return None
        return Caller("local", LOCAL_SCOPES, link=link_generation(secret)) if fresh else None

    def refusal(self, code: str, now: float | None = None) -> str:
        """Why ``code`` opened no session (``login`` refused it), and how to get a link that does."""
        secret = self._link_secret() if code.startswith("tw-") else None
        signed = signed_login_code(secret, code) if secret else None
        new = "run tandem keys link for a new one"
        if signed is None:
            return f"this login link is not valid (altered, or made before tandem keys link --rotate): {new}"
        if signed[1] <= (time.time() if now is None else now):
            ended = time.strftime("%H:%M", time.localtime(signed[1]))
            return f"this login link has expired (at {ended}; a link works for the minutes it was made for): {new}"
        return f"this login link was used already (each opens one session): {new}"

    def configured(self) -> bool:
        store = self.store()
        return bool(self.setting) or (store is not None and store.any_active())

    def caller(self, key: str) -> Caller | None:
        if self.setting and hmac.compare_digest(key.encode(), self.setting.encode()):
            return Caller("api_key", _ALL)
        store = self.store()
        record = store.verify(key) if store is not None else None
        return Caller(record.name, granted(record.scopes), record.id) if record else None

    def still_holds(self, caller: Caller) -> bool:
        """Whether a session opened for ``caller`` may go on: its key is not revoked, and one opened on this
        device without a key ends once a key is configured; one opened with the login code holds."""
        if caller.key_id:  # first: a key may be named "local" too
            store = self.store()
            return store is not None and any(r.id == caller.key_id and r.revoked_at is None for r in store.list())
        if caller.link is not None:  # opened with a login code: holds until the link secret is rotated
            secret = self._link_secret()
            return secret is not None and hmac.compare_digest(link_generation(secret), caller.link)
        if caller.name == "local":  # opened with the local token itself
            return True
        return bool(self.setting) if caller.name == "api_key" else not self.configured()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _cookie(scope: Scope) -> str | None:
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is no session
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else None


def holds(request: Any, scope: str) -> bool:
    """Whether the caller of ``request`` (a Starlette request the access check let through) holds ``scope``;
    True for a request that passed no access check (an app built without it, in tests)."""
    caller = getattr(request.state, "caller", None)
    return caller is None or scope in caller.scopes


def reveals(request: Any) -> frozenset[str]:
    """What the caller of ``request`` may read of what Tandem keeps about the user, in what the assistant tells
    it (``tandem.agent.withhold``): the profile with ``admin`` (as ``GET /v1/profile``), remembered habits with
    ``privacy`` (as ``/v1/memory``). Anyone else is told what a value is, not the value."""
    return frozenset({PROFILE} if holds(request, "admin") else ()) | \
        frozenset({MEMORY} if holds(request, "privacy") else ())


def local_client(scope: Scope) -> bool:
    client = scope.get("client")
    return client is None or is_loopback(str(client[0]))  # None: a unix socket, guarded by its file mode


def caller_of(scope: Scope, keys: Keys, sessions: Sessions) -> Caller | str:
    """The caller, or why there is none (a message for the 401)."""
    auth = header(scope, b"authorization") or ""
    if auth:
        given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if given and keys.is_local(given) and local_client(scope):
            return Caller("local", LOCAL_SCOPES)
        found = keys.caller(given) if given else None
        if found is not None:
            return found
        if keys.configured():
            return "invalid API key"
    token = _cookie(scope)
    session = sessions.get(token, header(scope, b"host") or "") if token else None
    if session is not None and keys.still_holds(session):
        return session
    if keys.configured():
        return "missing API key"
    if local_client(scope):
        return Caller("loopback", LOOPBACK_SCOPES)
    return "this server has no API key, so only this device may use it (tandem keys create)"


def _lacking(caller: Caller, missing: frozenset[str]) -> str:
    """The 403's message: what is missing, and for a caller without a credential, how to get one."""
    scopes = ", ".join(sorted(missing))
    if caller.name == "loopback":
        return f"this needs the scope {scopes}, which a client without a credential does not have: {_CREDENTIAL_HINT}"
    return f"this key lacks the scope {scopes}"


def _routed(scope: Scope) -> bool:
    """Whether a route of the application serves this path (any method); True when it cannot tell."""
    routes = getattr(scope.get("app"), "routes", None)
    if routes is None:
        return True
    return any(route.matches(scope)[0] != Match.NONE for route in routes)


class Access:
    """ASGI middleware: finds the caller, checks the scopes of the route, and leaves the caller in
    ``scope["state"]["caller"]`` for routes that check more (the assistant's chat model)."""

    def __init__(self, app: Any, keys: Keys, sessions: Sessions, refused: Any = None) -> None:
        self.app, self.keys, self.sessions, self.refused = app, keys, sessions, refused

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        needed = scopes_for(scope["path"]) if scope["type"] == "http" else None
        if needed is None:
            await self.app(scope, receive, send)
            return
        caller = caller_of(scope, self.keys, self.sessions)
        if isinstance(caller, str):
            self._count("invalid_api_key")
            await refuse(send, 401, caller, "invalid_api_key", [(b"www-authenticate", b"Bearer")])
            return
        missing = needed - caller.scopes
        if missing and _routed(scope):  # a path no route serves is a 404 naming it: nothing there to guard
            self._count("insufficient_scope")
            await refuse(send, 403, _lacking(caller, missing), "insufficient_scope")
            return
        state = scope.setdefault("state", {})
        state["caller"] = caller
        if caller.principal:  # conversations are bound to it (tandem.api.clients)
            state["principal"] = caller.principal
        # the local token or the login link's session: not a key (a key may be named "local" too)
        state["device_owner"] = caller.name == "local" and caller.key_id is None
        await self.app(scope, receive, send)

    def _count(self, reason: str) -> None:
        log.warning("refused: %s", reason)
        if self.refused is not None:
            self.refused.labels(reason).inc()
