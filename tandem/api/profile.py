"""The user's profile (name, phone, payment token, city, saved places) that orders are filled from.

    GET   /v1/profile             the profile (the payment token masked)
    PATCH /v1/profile             {"name": "...", "city": "...", "places.office": "Friedrichstraße 100"}
                                  sets fields; an empty string clears one

It lives in ``$TANDEM_HOME/profile.toml`` on the device. The assistant asks for a missing name, phone or
city in the chat and keeps the answer here when the caller holds ``admin`` (as this route needs); from
another caller the answer serves the tasks that asked only. A payment token only comes from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from tandem.agent.profile import load_profile
from tandem.api.bodies import ParsedRoute
from tandem.app.profile import public_profile, update_profile
from tandem.models.registry import ModelRegistry

__all__ = ["router"]

router = APIRouter(route_class=ParsedRoute, prefix="/v1")


def _home(request: Request) -> Path:
    registry: ModelRegistry = request.app.state.registry
    return registry.settings.home


@router.get("/profile")
def get_profile(request: Request) -> dict[str, Any]:
    return public_profile(load_profile(_home(request)))


@router.patch("/profile")
def patch_profile(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    return public_profile(update_profile(_home(request), body))
