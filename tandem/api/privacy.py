"""Privacy endpoints: the egress ledger, its GDPR export, and erasure of the user's data on the device.

    GET    /v1/privacy/ledger?limit=50   newest cloud calls first
    GET    /v1/privacy/export            everything, machine-readable (Art. 15, 20)
    DELETE /v1/privacy/data              erase (Art. 17); body-less, idempotent
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from tandem.memory.gdpr import export_user_data
from tandem.privacy.erase import erase_user_data
from tandem.privacy.ledger import Ledger

__all__ = ["router"]

router = APIRouter(prefix="/v1/privacy")


def _ledger(request: Request) -> Ledger:
    return Ledger.at_home(request.app.state.registry.settings.home)


def _entries(request: Request, limit: int) -> list[dict[str, Any]]:
    ledger = _ledger(request)
    try:
        return [asdict(e) for e in ledger.entries(limit or None)]
    finally:
        ledger.close()


def _export(request: Request) -> dict[str, Any]:
    return export_user_data(request.app.state.registry.settings.home)


@router.get("/ledger")
async def ledger_entries(request: Request, limit: int = 50) -> dict[str, Any]:
    return {"object": "list", "data": await run_in_threadpool(_entries, request, max(0, limit))}


@router.get("/export")
async def export(request: Request) -> dict[str, Any]:
    return await run_in_threadpool(_export, request)


@router.delete("/data")
async def erase(request: Request) -> dict[str, Any]:
    done = await run_in_threadpool(erase_user_data, request.app.state.registry.settings.home)
    return {"erased": True, "ledger_rows": done.ledger_rows, "removed": list(done.removed)}
