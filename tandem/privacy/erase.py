"""Erase the user's data on the device (GDPR Art. 17).

``USER_DATA`` is the one explicit list of everything under ``TANDEM_HOME`` that holds personal data.
It is a list, not a registry filled as modules are imported: a command that loads lazily (the CLI) must
erase as much as a long-running server that has imported everything. A store that adds personal data
adds its path here (``register_user_data`` only checks that it is listed).

Not listed, because they hold no data about the user: ``config.toml``, ``cloud.toml`` (endpoints),
``models.toml`` and ``models/`` (weights), ``services.db`` (which partner services are registered and
up), ``keys.db`` (hashes of the API keys apps use: erasing it would lock the user's apps out, or leave
the API open), ``run/`` (the running server's address). The pseudonymisation vaults are never written to disk.
What the process keeps in memory from the user's texts (caches) is emptied too: ``tandem.forget``.

A running server keeps stores open (the journal, partner processes, the ledger): deleting their files
under it would let it go on writing to files that no longer exist, or recreate half of them. So the
CLI erases through the server's API while one runs (``running_server``), and the server closes what it
holds before it erases.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tandem.forget import forget_all
from tandem.privacy.ledger import Ledger

__all__ = ["USER_DATA", "Erasure", "RunningServer", "announce_server", "erase_user_data", "register_user_data",
           "running_server", "server_marker", "user_data_paths"]

# Relative paths or glob patterns under TANDEM_HOME; a directory goes with everything in it.
USER_DATA: tuple[str, ...] = (
    "agent.db*",  # the assistant's journal: conversations, tasks, orders (with -wal and -shm)
    "responses.db*",  # conversations kept for the Responses API's previous_response_id
    "profile.toml",  # name, phone, payment token, city, saved places
    "memory",  # the encrypted memory store: preferences, facts, events
    "keys/memory.key",  # its key
    "keys/journal.key",  # the key that seals payment tokens in the journal
    "privacy",  # the egress ledger (rows deleted first: a server may hold it open)
    "privacy.toml",  # the consent record
    "logs",  # partner and server logs quote requests
    "partners",  # the reference partners' own stores when they run here: the user's orders, saved places
)


def register_user_data(relative: str) -> None:
    """Check that a store's file is covered by ``USER_DATA`` (raises ValueError if it is not)."""
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise ValueError(f"user data must be a path inside TANDEM_HOME, not {relative!r}")
    if not _covered(relative):
        raise ValueError(f"{relative!r} holds personal data but is not in privacy.erase.USER_DATA")


def _covered(relative: str) -> bool:
    path = Path(relative)
    return any(path.match(pattern) or Path(pattern) in path.parents for pattern in USER_DATA)


def user_data_paths() -> list[str]:
    return list(USER_DATA)


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed."""

    ledger_rows: int  # egress records deleted
    removed: tuple[str, ...]  # paths under TANDEM_HOME that were deleted


def erase_user_data(home: Path) -> Erasure:
    """Delete every path of ``USER_DATA`` under ``home``, and empty what this process keeps in memory from
    the user's texts (``tandem.forget``: the findings of the last texts checked, the words of the last texts
    read...). Call it with no server using ``home``, or from the server once it has closed its stores."""
    try:
        return _delete(home)
    finally:
        forget_all()  # last, and even if a delete failed: no cache outlives the files it was derived from


def _delete(home: Path) -> Erasure:
    rows = 0
    ledger_path = home / "privacy" / "ledger.db"
    if ledger_path.exists():
        ledger = Ledger(ledger_path)
        rows = ledger.erase()
        ledger.close()
    removed = []
    for pattern in USER_DATA:
        for path in sorted(home.glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.relative_to(home).as_posix())
    return Erasure(rows, tuple(removed))


# The running server -------------------------------------------------------------------------------------
_MARKER = Path("run") / "server.json"


@dataclass(frozen=True)
class RunningServer:
    """A server that announced itself in ``run/server.json``."""

    pid: int
    url: str  # http://host:port


def server_marker(home: Path) -> Path:
    return home / _MARKER


def announce_server(home: Path, url: str) -> Path:
    """Written by a server when it starts serving ``home``; the caller removes it when it stops."""
    path = server_marker(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
    return path


def running_server(home: Path) -> RunningServer | None:
    """The server using ``home``, if one announced itself and its process is still alive."""
    try:
        data = json.loads(server_marker(home).read_text(encoding="utf-8"))
        pid, url = int(data["pid"]), str(data["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, under another user
    return RunningServer(pid, url)
