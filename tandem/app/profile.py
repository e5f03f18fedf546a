"""The user's profile as the shells show and change it: the payment token masked for display, changes
applied all or none."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from tandem.agent.profile import Profile, load_profile, save_profile, set_field
from tandem.errors import InvalidRequest

__all__ = ["public_profile", "update_profile"]


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
