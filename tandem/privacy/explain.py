"""Why a request went to the cloud, in parts a person can read.

The ledger keeps the router's machine-readable reasons (``cloud; difficulty=0.25>=0.00; fallback=device``,
``model=cloud:default``) and the categories pseudonymised before sending. ``why`` turns them into a reason
code with its values and the list of what was replaced; the web page words it in the user's language
(``web/static/js/i18n.js``: "Sent to the cloud model because …; your name and e-mail were replaced first")
and keeps the technical reason one click away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["REASONS", "why"]

# What each code means; the sentences themselves live in the web app's i18n strings.
REASONS = {
    "hard": "the request looked too hard for the on-device model (difficulty score at or above the threshold)",
    "chosen": "the cloud model was asked for by name",
    "long": "the conversation is longer than the on-device model can read",
    "images": "the request has images the on-device model cannot see",
    "tools": "the request needs tools the on-device model cannot call",
    "fallback": "the on-device model failed, so the cloud answered instead",
    "other": "the router sent it there",
}
_DIFFICULTY = re.compile(r"difficulty=([\d.]+)>=([\d.]+)")
_MODEL = re.compile(r"model=(\S+)")
_CAPABILITY = {"context<": "long", "no-vision": "images", "no-tools": "tools"}


def why(route_reasons: str, categories: Iterable[str]) -> dict[str, Any]:
    """``{"because": code, ...values, "replaced": [categories], "technical": route_reasons}``."""
    out: dict[str, Any] = {"because": "other", "replaced": sorted(set(categories)), "technical": route_reasons}
    difficulty, model = _DIFFICULTY.search(route_reasons), _MODEL.search(route_reasons)
    capability = next((code for word, code in _CAPABILITY.items() if word in route_reasons), None)
    if route_reasons.split(";")[0].strip() == "device":  # the router chose the device, which then failed
        out["because"] = "fallback"
    elif capability:
        out["because"] = capability
    elif difficulty:
        out.update(because="hard", score=float(difficulty.group(1)), threshold=float(difficulty.group(2)))
    elif model:
        out.update(because="chosen", model=model.group(1))
    return out
