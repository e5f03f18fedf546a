"""The user's profile (name, phone, payment token, city, saved places) that orders are filled from.

    GET   /v1/profile             the profile (the payment token masked)
    PATCH /v1/profile             {"name": "...", "city": "...", "places.office": "Friedrichstraße 100"}
                                  sets fields; an empty string clears one

It lives in ``$TANDEM_HOME/profile.toml`` on the device. The assistant asks for a missing name, phone or
city in the chat and keeps the answer here; a payment token only comes from here.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from tandem.agent.profile import Profile, load_profile, save_profile, set_field
from tandem.errors import InvalidRequest
from tandem.models.registry import ModelRegistry

__all__ = ["public_profile", "router", "update_profile"]

router = APIRouter(prefix="/v1")


def public_profile(profile: Profile) -> dict[str, Any]:
    """The profile for display: the payment token shows only its last four characters."""
    shown = asdict(profile)
    token = profile.payment_token
    shown["payment_token"] = f"…{token[-4:]}" if token else ""
    return shown


def update_profile(home: Path, changes: dict[str, Any]) -> Profile:
    """Apply ``{field: value}`` changes to the stored profile, all or none."""
    if not changes:
        raise InvalidRequest("nothing to change: send fields like {\"name\": \"Alex\"}")
    profile = load_profile(home)
    for key, value in changes.items():
        if not isinstance(value, str):
            raise InvalidRequest(f"{key} must be a string", param=key)
        profile = set_field(profile, key, value)
    save_profile(home, profile)
    return profile


def _home(request: Request) -> Path:
    registry: ModelRegistry = request.app.state.registry
    return registry.settings.home


@router.get("/profile")
def get_profile(request: Request) -> dict[str, Any]:
    return public_profile(load_profile(_home(request)))


@router.patch("/profile")
def patch_profile(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    return public_profile(update_profile(_home(request), body))
