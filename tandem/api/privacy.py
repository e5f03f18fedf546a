"""Privacy endpoints: the egress ledger, its GDPR export, and erasure of the user's data on the device.

    GET    /v1/privacy/ledger?limit=50   newest cloud calls first
    GET    /v1/privacy/export            everything, machine-readable (Art. 15, 20)
    DELETE /v1/privacy/data              erase (Art. 17); body-less, idempotent

The server holds stores open (the assistant's journal and its partner processes), so erasure closes
them first and they reopen, empty, on next use. While it serves, the server announces itself in
``$TANDEM_HOME/run/server.json`` so ``tandem privacy erase`` erases through it instead of under it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool

from tandem.agent.assistant import Assistant
from tandem.agent.withhold import PROFILE
from tandem.api.auth import reveals
from tandem.app.privacy import export_everything, export_withheld
from tandem.config import Settings
from tandem.errors import ServiceUnavailable
from tandem.privacy.erase import Erasure, announce_server, erase_user_data
from tandem.privacy.explain import why
from tandem.privacy.ledger import EgressRecord, Ledger

__all__ = ["announced", "erase_on_server", "ledger_row", "router"]

_erasing = threading.Lock()

router = APIRouter(prefix="/v1/privacy")


def _ledger(request: Request) -> Ledger:
    return Ledger.at_home(request.app.state.registry.settings.home)


def ledger_row(entry: EgressRecord) -> dict[str, Any]:
    """A ledger entry with ``why``: the router's reasons as parts a person reads (``privacy.explain``)."""
    return {**asdict(entry), "why": why(entry.route_reasons, entry.categories)}


def _entries(request: Request, limit: int) -> list[dict[str, Any]]:
    ledger = _ledger(request)
    try:
        return [ledger_row(e) for e in ledger.entries(limit or None)]
    finally:
        ledger.close()


async def exported(request: Request) -> dict[str, Any]:
    """The user's export as its caller may read it (review R14-10): whole for one holding ``admin``, which reads the
    profile; for one holding ``privacy`` alone without the profile, and with every profile value the assistant
    filled in named in the conversations (``agent.withhold``), on the server's assistant."""
    home: Path = request.app.state.registry.settings.home
    reveal = reveals(request)
    if PROFILE in reveal:
        return await run_in_threadpool(export_everything, home)
    service = getattr(request.app.state, "assistant", None)
    if service is None:  # fails closed: no withholding without the assistant that knows what it filled in
        raise ServiceUnavailable("this server has no assistant to export the conversations with")

    async def work(assistant: Assistant) -> dict[str, Any]:
        return export_withheld(assistant, home, reveal)
    found: dict[str, Any] = await run_in_threadpool(service.call, work)
    return found


@router.get("/ledger")
async def ledger_entries(request: Request, limit: int = Query(50, ge=0)) -> dict[str, Any]:
    """The newest ``limit`` records (0: all); a negative limit is a 400, as in ``tandem privacy ledger``."""
    return {"object": "list", "data": await run_in_threadpool(_entries, request, limit)}


@router.get("/export")
async def export(request: Request) -> dict[str, Any]:
    return await exported(request)


def erase_on_server(app: FastAPI) -> Erasure:
    """Close what the server holds open under TANDEM_HOME, then erase everything personal there."""
    with _erasing:
        service = getattr(app.state, "assistant", None)
        if service is not None:
            service.close()  # the journal and the partner processes; they reopen, empty, on next use
        return erase_user_data(app.state.registry.settings.home)


@contextmanager
def announced(settings: Settings) -> Iterator[None]:
    """While the block runs, ``run/server.json`` says a server serves ``settings.home`` and where."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host  # all interfaces: loopback works
    path = announce_server(settings.home, f"http://{host}:{settings.port}")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


@router.delete("/data")
async def erase(request: Request) -> dict[str, Any]:
    done = await run_in_threadpool(erase_on_server, request.app)
    return {"erased": True, "ledger_rows": done.ledger_rows, "removed": list(done.removed)}
