"""Who is asking: the identity assistant conversations are bound to.

A conversation belongs to the client that opened it; its tasks and confirmations are only shown to,
and only answered by, that client. The identity is, in order:

1. ``request.state.principal``, set by the security layer in front of the API (the API key's id, or
   the web app's session);
2. a hash of the bearer key the request carries (not the local token of the user's own CLI);
3. ``X-Tandem-Client: <name>``, a name a local app gives itself to keep its conversations apart from
   other apps' (not a secret: any local client may send it; keys are the boundary);
4. ``"local"``: everything on the device without a key (the CLI included).
"""

from __future__ import annotations

import hashlib
import re

from fastapi import Request

from tandem.agent.journal import LOCAL

__all__ = ["client_of"]

_NAME = re.compile(r"^[A-Za-z0-9._:@/-]{1,64}$")


def client_of(request: Request) -> str:
    """The owner string of the client making ``request``."""
    principal = getattr(request.state, "principal", None)
    if principal:
        return str(principal)
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip() and not getattr(request.state, "device_owner", False):
        return "key:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:16]
    name = request.headers.get("x-tandem-client", "")
    return f"client:{name}" if _NAME.match(name) else LOCAL
