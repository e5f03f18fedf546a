"""SQLite files that several processes write at once: open them, migrate them, change them atomically.

The stores under ``TANDEM_HOME`` (the agent journal, the service registry, the egress ledger, the memory
store, each reference partner's database) are opened by separate processes at the same time: partner
MCP servers, ``tandem serve`` and the CLI. Each process also uses its connection from several threads.
So every store opens its file the same way:

- WAL journal: readers do not block the writer nor the writer the readers, and a process killed in the
  middle of a write leaves a consistent file (the unfinished transaction is rolled back on the next open).
- A busy timeout: a writer waits for another process's write lock instead of failing at once.
- Writes in ``BEGIN IMMEDIATE`` transactions (``immediate``): the write lock is taken at the first
  statement, so a read-then-write (an idempotency check, a stock count, a migration's version check)
  cannot interleave with another process's. A deferred transaction would take it only at its first
  write, and SQLite answers a second process upgrading its read lock with SQLITE_BUSY without waiting.
- One connection per store and process; its threads take ``Connection.lock`` around each use.
- Schema changes are ordered migrations; ``PRAGMA user_version`` is how many the file has had. The
  pending ones run in one immediate transaction when a store opens, so two processes opening a new file
  at once do not both create its tables.
- Opening waits like writing does: the busy timeout is set before any other statement, and the steps
  SQLite may refuse without calling the busy handler (switching a new file to WAL, which needs an
  exclusive lock, and a first read while another process recovers or checkpoints) are tried again until
  ``BUSY_TIMEOUT_S`` has passed. Several processes opening one new file at once never see
  "database is locked".
- Private: the file, its ``-wal`` and ``-shm`` are made 0600 and a directory it creates 0700, whatever
  the umask (SQLite gives ``-wal``/``-shm`` the main file's mode).
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from tandem.errors import ConfigError

__all__ = ["BUSY_TIMEOUT_S", "Connection", "Migration", "connect", "immediate", "migrate", "private", "schema_version",
           "when_free"]

BUSY_TIMEOUT_S = 30.0  # longest wait for another process's write lock (a partner's payment runs inside one)

# A migration is a SQL script (statements end with ';') or a function that changes the schema itself.
Migration = str | Callable[[sqlite3.Connection], None]
T = TypeVar("T")


class Connection(sqlite3.Connection):
    """A connection shared by the threads of one process; they hold ``lock`` while they use it, so one
    thread's statements never land inside another thread's transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock = threading.RLock()


def connect(path: Path, *pragmas: str) -> Connection:
    """Open (creating it and its directory) a store's file for shared use: WAL, busy timeout, rows as
    ``sqlite3.Row``, autocommit outside ``immediate``, 0600. ``pragmas`` are the store's own settings,
    such as ``"foreign_keys=ON"`` or ``"synchronous=FULL"``."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    conn = Connection(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")  # before anything that locks
        private(path)
        conn.row_factory = sqlite3.Row
        when_free(lambda: _wal(conn))
        for pragma in pragmas:
            when_free(partial(conn.execute, f"PRAGMA {pragma}"))
        private(path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if exc.sqlite_errorcode not in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise
        raise ConfigError(f"the store {path.name} under TANDEM_HOME cannot be read: it is damaged or no database",
                          hint=f"move {path} away (Tandem starts that store empty) or restore it") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _wal(conn: sqlite3.Connection) -> None:
    # Reading the mode takes no lock; switching a file to WAL needs an exclusive one, once per file.
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        conn.execute("PRAGMA journal_mode=WAL")


def private(path: Path) -> None:
    """Make a store's file and its ``-wal``/``-shm`` readable by the user only."""
    if os.name != "posix":
        return
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if name.stat().st_mode & 0o077:
                name.chmod(0o600)
        except FileNotFoundError:
            pass


def _busy(exc: sqlite3.OperationalError) -> bool:
    return any(word in str(exc).lower() for word in ("locked", "busy"))


def when_free(work: Callable[[], T], timeout: float = BUSY_TIMEOUT_S) -> T:
    """``work()``, tried again while SQLite answers "database is locked" without having waited (it does
    so where waiting could deadlock, or while another connection switches the file to WAL or recovers it),
    for up to ``timeout`` seconds."""
    deadline, pause = time.monotonic() + timeout, 0.005
    while True:
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 0.25)


@contextmanager
def immediate(conn: Connection) -> Iterator[Connection]:
    """One write transaction holding the file's write lock from its start. It commits when the block
    ends and rolls back when the block raises (a cancelled task or Ctrl-C included) or the commit fails."""
    with conn.lock:
        when_free(lambda: conn.execute("BEGIN IMMEDIATE"))  # nothing has happened yet: safe to try again
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite has already rolled back after some errors (disk full)
                conn.execute("ROLLBACK")
            raise


def schema_version(conn: sqlite3.Connection) -> int:
    """How many migrations the file has had."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, migrations: Sequence[Migration],
            seed: Callable[[sqlite3.Connection], None] | None = None) -> int:
    """Apply the migrations the file has not had, in order, in one immediate transaction; ``seed`` fills
    a new file in the same transaction. Returns the version the file had before. A transaction that
    SQLite refuses as busy is rolled back and the whole step tried again (it reads the version anew)."""
    return when_free(lambda: _migrate(conn, migrations, seed))


def _migrate(conn: Connection, migrations: Sequence[Migration],
             seed: Callable[[sqlite3.Connection], None] | None) -> int:
    with immediate(conn):
        found = schema_version(conn)
        if found > len(migrations):
            raise ConfigError(f"{_name(conn)} has schema version {found}; this Tandem knows {len(migrations)}",
                              hint="a newer Tandem wrote it: upgrade Tandem, or move TANDEM_HOME aside")
        for number, migration in enumerate(migrations[found:], start=found + 1):
            _apply(conn, migration)
            conn.execute(f"PRAGMA user_version = {number}")
        if found == 0 and seed is not None:
            seed(conn)
    return found


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    if callable(migration):
        migration(conn)
        return
    for statement in _statements(migration):
        conn.execute(statement)


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, split where SQLite says one is complete: a ';' inside a string or a
    trigger's body does not end one. (``executescript`` would commit the open transaction first.)"""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip("; \t\r\n"):
                yield pending
            pending = ""
    if pending.strip("; \t\r\n"):
        yield pending  # incomplete: let SQLite name the syntax error


def _name(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) or "the database"
