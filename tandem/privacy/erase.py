"""Erase the user's data on the device (GDPR Art. 17): the egress ledger, the consent record, logs, and
whatever other parts of Tandem register as holding personal data.

Parts register what they keep under ``TANDEM_HOME`` with ``register_user_data`` (a relative path: a
file or a directory), so erasure stays complete as Tandem grows without this module knowing them all.
The pseudonymisation vaults are never written to disk, so there is nothing of theirs to erase.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tandem.privacy.ledger import Ledger

__all__ = ["Erasure", "erase_user_data", "register_user_data", "user_data_paths"]

_PATHS: list[str] = ["privacy.toml", "logs"]


def register_user_data(relative: str) -> None:
    """Declare a file or directory under TANDEM_HOME that holds personal data."""
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise ValueError(f"user data must be a path inside TANDEM_HOME, not {relative!r}")
    if relative not in _PATHS:
        _PATHS.append(relative)


def user_data_paths() -> list[str]:
    return list(_PATHS)


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed."""

    ledger_rows: int  # egress records deleted
    removed: tuple[str, ...]  # paths under TANDEM_HOME that were deleted


def erase_user_data(home: Path) -> Erasure:
    rows = 0
    ledger_path = home / "privacy" / "ledger.db"
    if ledger_path.exists():
        ledger = Ledger(ledger_path)
        rows = ledger.erase()
        ledger.close()
    removed = []
    for relative in _PATHS:
        path = home / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(relative)
    return Erasure(rows, tuple(removed))
