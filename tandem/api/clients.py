"""Who is asking: the identity assistant conversations are bound to.

A conversation belongs to the client that opened it; its tasks and confirmations are only shown to,
and only answered by, that client. The identity is, in order:

1. ``request.state.principal``, set by the security layer in front of the API (the API key's id, or
   the web app's session);
2. a hash of the bearer key the request carries (not the local token of the user's own CLI);
3. ``X-Tandem-Client: <name>``, a name a local app gives itself to keep its conversations apart from
   other apps' (not a secret: any local client may send it; keys are the boundary);
4. ``"local"``: everything on the device without a name.

A caller without any credential (``tandem.api.auth``: a keyless loopback caller) gets the same identity
under ``loopback``: ``loopback``, ``loopback:client:<name>``, ``loopback:key:<hash>``. Any local process
may be such a caller, so it never sees the conversations of the user's own clients (the CLI with the local
token, the web app opened with its link), which are ``local`` and ``client:<name>``. Those clients, which
hold the device's credential, may act on keyless callers' conversations too: an app without a credential
asks, and the user confirms in the web app or the CLI (``may_use``).

Every keyless identity is one any local process can claim: no bearer value (``loopback``), a name
(``loopback:client:<name>``: a label), and a bearer value that is not a key (``loopback:key:<hash>``: whatever
the app was told to send, README's ``api_key="local"``, "EMPTY", "sk-no-key-required", the same in every app
that copied it). So theirs is no namespace to list: such a conversation is reached only by its id (issued by
the server, 144 random bits) or a task's (128 bits), which only the caller that opened it was told
(``may_list``). A key (``tandem keys create``) is what gives an app conversations it may list.
"""

from __future__ import annotations

import hashlib
import re

from fastapi import Request

from tandem.agent.journal import LOCAL

__all__ = ["KEYLESS", "client_of", "may_list", "may_use", "shared"]

KEYLESS = "loopback"
_NAME = re.compile(r"^[A-Za-z0-9._:@/-]{1,64}$")


def _keyless(request: Request) -> bool:
    caller = getattr(request.state, "caller", None)
    return caller is not None and caller.name == KEYLESS


def client_of(request: Request) -> str:
    """The owner string of the client making ``request``."""
    principal = getattr(request.state, "principal", None)
    if principal:
        return str(principal)
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip() and not getattr(request.state, "device_owner", False):
        found = "key:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:16]
    else:
        name = request.headers.get("x-tandem-client", "")
        found = f"client:{name}" if _NAME.match(name) else LOCAL
    if not _keyless(request):
        return found
    return KEYLESS if found == LOCAL else f"{KEYLESS}:{found}"


def may_use(request: Request, owner: str) -> bool:
    """Whether the client making ``request`` may see and act on a conversation of ``owner``: its own, and for
    the holder of the device's credential also those of callers without one."""
    if owner == client_of(request):
        return True
    device = getattr(request.state, "device_owner", False)
    return bool(device) and (owner == KEYLESS or owner.startswith(f"{KEYLESS}:"))


def shared(owner: str) -> bool:
    """Whether ``owner`` is an identity any local process may claim: every caller without a credential. A name
    (``X-Tandem-Client``) is a label, and a bearer value that is not a key is a placeholder many apps send alike
    (README's ``api_key="local"``): neither is a secret Tandem issued."""
    return owner == KEYLESS or owner.startswith(f"{KEYLESS}:")


def may_list(request: Request, owner: str) -> bool:
    """Whether a conversation of ``owner`` is among those listed to the client making ``request``: one it may use
    (``may_use``), unless its owner is shared (``shared``): another process claiming the same identity would
    find its ids there. The device's own client lists them all."""
    if not may_use(request, owner):
        return False
    return not shared(owner) or bool(getattr(request.state, "device_owner", False))
