"""One GDPR export (Art. 15 access, Art. 20 portability) of everything Tandem keeps about the user: the
egress ledger, the memory (decrypted) and the profile file. Lives here because memory sits above privacy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tandem.memory.store import MemoryStore
from tandem.privacy.ledger import Ledger

__all__ = ["export_user_data"]


def export_user_data(home: Path) -> dict[str, Any]:
    """The ledger export, with the user's memory and profile.toml (as written) added."""
    ledger = Ledger.at_home(home)
    try:
        data = ledger.export()
    finally:
        ledger.close()
    memory = MemoryStore.at_home(home)
    try:
        data["memory"] = memory.export()
    finally:
        memory.close()
    profile = home / "profile.toml"
    data["profile"] = profile.read_text(encoding="utf-8") if profile.exists() else None
    return data
