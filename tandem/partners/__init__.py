"""Reference partner services: real MCP servers with their own SQLite state, one module each.

    food        restaurants and dishes, quote, order, track, cancel       (EU: Gabelpost, CN: 筷送)
    tickets     events, seat availability, hold, buy, refund               (EU: Rangplatz, CN: 票根网)
    cinema      showtimes by city/cinema/film, seat maps, buy              (EU: Lichtspiel, CN: 光影影城)
    navigation  places, routes by walk/metro/car, saved places             (EU: Wegweiser, CN: 路路通)
    shopping    products, cart, order, track                               (EU: Korbwerk, CN: 好物集)
    office      calendar, notes, reminders on the device                   (everywhere)

Each runs on its own (``python -m tandem.partners.cinema --region CN [--transport http]``) and ships a
manifest in ``manifests/``; Tandem registers those as built-in services. Catalogs are in ``data/``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_DIR", "WELL_KNOWN_MANIFEST", "builtin_manifest_paths", "builtin_manifests", "read_manifest",
           "tool_effect"]

MANIFEST_DIR = Path(__file__).with_name("manifests")
# Where a partner serving streamable HTTP publishes its manifest, next to its /mcp endpoint.
WELL_KNOWN_MANIFEST = "/.well-known/tandem-manifest.json"


def builtin_manifest_paths() -> list[Path]:
    """The manifests of the reference partners, in a stable order."""
    return sorted(MANIFEST_DIR.glob("*.toml"))


def read_manifest(path: Path) -> dict[str, Any]:
    """One manifest file as a fresh document (the caller may change it)."""
    doc: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return doc


@cache
def builtin_manifests() -> tuple[dict[str, Any], ...]:
    """The reference partners' manifest documents in ``builtin_manifest_paths`` order, read once per process and
    shared: the agent's shipped capabilities, its sandboxed partners and its unchecked partners are these same
    documents. Read them, never change them (``read_manifest`` gives a copy to change)."""
    return tuple(read_manifest(p) for p in builtin_manifest_paths())


def tool_effect(declared: Mapping[str, Any]) -> str:
    """What a declared tool does to the world: "read", "write" or "delete". Manifests may say it (``effect``);
    otherwise a tool that is safe to repeat and moves no money only reads (``manifest.schema.json``)."""
    if "effect" in declared:
        return str(declared["effect"])
    safe = declared.get("idempotency", "safe") == "safe" and not declared.get("transactional", False)
    return "read" if safe else "write"
