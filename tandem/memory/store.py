"""The on-device profile: preferences the user stated and facts learned from what they did, each with
provenance and timestamps, plus a log of feedback (accepted, dismissed, completed).

    store = MemoryStore.at_home(home)
    store.add("seat", "aisle", source="user")                     # "I like aisle seats"
    store.add("genre", "horror", polarity=-1, source="user")      # "no horror films"
    store.observe("cinema", "Lichtspiel Alexanderplatz", source="task:t-1a2b")  # learned, weight grows

Everything the user said or did is encrypted at rest (see ``crypto``); only the kind of an item ("seat",
"cuisine") and timestamps are plain, so the store can be queried by kind. The schema changes as ordered
migrations that run when the store opens. The API, the CLI and the agent write it at the same time (see
``tandem.storage``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tandem.errors import InvalidRequest, NotFound
from tandem.memory.crypto import Cipher, key_path, load_or_create_key
from tandem.storage import connect, immediate, migrate, schema_version
from tandem.text import has_controls

__all__ = ["MIGRATIONS", "Event", "MemoryItem", "MemoryStore", "erase_memory", "memory_dir"]

MIGRATIONS: tuple[str, ...] = (
    # 1: items the user stated ("preference") or we learned ("fact"); value and source are Fernet tokens
    """CREATE TABLE items (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, tag TEXT NOT NULL,
         value BLOB NOT NULL, polarity INTEGER NOT NULL DEFAULT 1, weight REAL NOT NULL DEFAULT 1,
         source BLOB NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
         UNIQUE (kind, key, tag, polarity))""",
    # 2: feedback and completed tasks, for freshness and the taste vector; item and detail are Fernet tokens
    """CREATE TABLE events (id INTEGER PRIMARY KEY, action TEXT NOT NULL, item BLOB NOT NULL, detail BLOB NOT NULL,
         at TEXT NOT NULL);
       CREATE INDEX events_at ON events (at)""",
    # 3: embeddings of catalog texts (public partner data, not the user's), so a CLI call need not re-embed
    """CREATE TABLE vectors (model TEXT NOT NULL, tag TEXT NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (model, tag))""",
)
KINDS = ("preference", "fact")
ACTIONS = ("accept", "dismiss", "complete", "shown")
_KEY = re.compile(r"^[a-z][a-z_]{0,31}$")


def memory_dir(home: Path) -> Path:
    return home / "memory"


@dataclass(frozen=True)
class MemoryItem:
    """One thing Tandem knows about the user's tastes."""

    id: int
    kind: str  # "preference" (the user said so) or "fact" (learned from completed tasks or feedback)
    key: str  # what it is about: "cuisine", "genre", "cinema", "seat", "diet", "price_max", "party_size" ...
    value: str  # "turkish", "aisle", "Lichtspiel Alexanderplatz", "25"
    polarity: int  # +1 likes / wants, -1 avoids ("no horror films")
    weight: float  # evidence: 1 per observation; stated preferences start high
    source: str  # provenance of the last change: "user", "task:t-1a2b", "feedback:accept:r-7", "api"
    created_at: str  # ISO time first stored (UTC)
    updated_at: str  # ISO time last changed (UTC)

    def public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Event:
    """Something the user did with a suggestion or a task."""

    id: int
    action: str  # "accept", "dismiss", "complete" (a task finished) or "shown" (recommended)
    item: str  # the catalog item id ("cinema:lsp-alex:f-orbit", "food:bj-r000") or a task id
    detail: dict[str, Any]  # the item's attributes at that time (cuisine, venue, price ...)
    at: str  # ISO time (UTC)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class MemoryStore:
    """SQLite at ``$TANDEM_HOME/memory/memory.db``; the key in ``$TANDEM_HOME/keys/memory.key``."""

    def __init__(self, path: Path, key: bytes, clock: Callable[[], str] = _now) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        self._cipher = Cipher(key)
        self._clock = clock
        self._conn = connect(path, "synchronous=NORMAL",  # WAL stays consistent; a power cut may lose the last fact
                             "secure_delete=ON")  # deleted rows are overwritten, not left in free pages
        migrate(self._conn, MIGRATIONS)

    @classmethod
    def at_home(cls, home: Path) -> MemoryStore:
        return cls(memory_dir(home) / "memory.db", load_or_create_key(key_path(home)))

    @property
    def schema_version(self) -> int:
        with self._conn.lock:
            return schema_version(self._conn)

    def close(self) -> None:
        with self._conn.lock:
            self._conn.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # items ---------------------------------------------------------------------------------------------
    def add(self, key: str, value: str, *, kind: str = "preference", polarity: int = 1, weight: float | None = None,
            source: str = "user") -> MemoryItem:
        """Store an item; stating an existing one again refreshes it (and adds to a fact's weight)."""
        key, value = _check(key, value, kind, polarity)
        tag, now = self._cipher.tag(value), self._clock()
        start = weight if weight is not None else (3.0 if kind == "preference" else 1.0)
        with immediate(self._conn) as conn:  # another process may be adding the same item
            row = conn.execute("SELECT id, weight FROM items WHERE kind = ? AND key = ? AND tag = ? AND "
                               "polarity = ?", (kind, key, tag, polarity)).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO items (kind, key, tag, value, polarity, weight, source, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (kind, key, tag, self._cipher.seal(value), polarity, start, self._cipher.seal(source), now, now))
                item_id = int(cur.lastrowid or 0)
            else:
                item_id = int(row[0])
                grown = float(row[1]) + (weight if weight is not None else 1.0) if kind == "fact" else start
                conn.execute("UPDATE items SET weight = ?, source = ?, updated_at = ? WHERE id = ?",
                             (grown, self._cipher.seal(source), now, item_id))
        return self.get(item_id)

    def observe(self, key: str, value: str, *, source: str, weight: float = 1.0, polarity: int = 1) -> MemoryItem:
        """A learned fact: one more observation of ``key = value``."""
        return self.add(key, value, kind="fact", polarity=polarity, weight=weight, source=source)

    def get(self, item_id: int) -> MemoryItem:
        with self._conn.lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"no memory item {item_id}")
        return self._item(row)

    def items(self, kind: str | None = None, key: str | None = None) -> list[MemoryItem]:
        """Items, strongest first; optionally of one kind and/or about one key."""
        sql, args = f"SELECT {_COLUMNS} FROM items WHERE 1=1", list[str]()
        if kind:
            sql, args = sql + " AND kind = ?", [*args, kind]
        if key:
            sql, args = sql + " AND key = ?", [*args, key]
        with self._conn.lock:
            rows = self._conn.execute(sql + " ORDER BY kind DESC, weight DESC, updated_at DESC, id", args).fetchall()
        return [self._item(r) for r in rows]

    def edit(self, item_id: int, *, value: str | None = None, polarity: int | None = None,
             weight: float | None = None, source: str = "user") -> MemoryItem:
        """Change an item; a learned fact the user edits becomes their preference."""
        old = self.get(item_id)
        key, new_value = _check(old.key, value if value is not None else old.value, "preference",
                                polarity if polarity is not None else old.polarity)
        try:
            with immediate(self._conn) as conn:
                conn.execute(
                    "UPDATE items SET kind = 'preference', tag = ?, value = ?, polarity = ?, weight = ?, source = ?, "
                    "updated_at = ? WHERE id = ?",
                    (self._cipher.tag(new_value), self._cipher.seal(new_value),
                     polarity if polarity is not None else old.polarity, weight if weight is not None else
                     max(old.weight, 3.0), self._cipher.seal(source), self._clock(), item_id))
        except sqlite3.IntegrityError as exc:
            raise InvalidRequest(f"the same {key} preference already exists", param="value") from exc
        return self.get(item_id)

    def delete(self, item_id: int) -> None:
        with immediate(self._conn) as conn:
            if conn.execute("DELETE FROM items WHERE id = ?", (item_id,)).rowcount == 0:
                raise NotFound(f"no memory item {item_id}")

    def _item(self, row: sqlite3.Row) -> MemoryItem:
        return MemoryItem(id=row[0], kind=row[1], key=row[2], value=self._cipher.open(row[3]), polarity=row[4],
                          weight=row[5], source=self._cipher.open(row[6]), created_at=row[7], updated_at=row[8])

    # events --------------------------------------------------------------------------------------------
    def record(self, action: str, item: str, detail: dict[str, Any] | None = None) -> Event:
        if action not in ACTIONS:
            raise InvalidRequest(f"unknown feedback {action!r}; one of {', '.join(ACTIONS)}", param="action")
        at, payload = self._clock(), json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
        with immediate(self._conn) as conn:
            cur = conn.execute("INSERT INTO events (action, item, detail, at) VALUES (?, ?, ?, ?)",
                               (action, self._cipher.seal(item), self._cipher.seal(payload), at))
        return Event(int(cur.lastrowid or 0), action, item, detail or {}, at)

    def events(self, action: str | None = None, limit: int | None = None) -> list[Event]:
        """Events, newest first."""
        sql, args = "SELECT id, action, item, detail, at FROM events", list[str]()
        if action:
            sql, args = sql + " WHERE action = ?", [action]
        sql += " ORDER BY at DESC, id DESC" + (f" LIMIT {int(limit)}" if limit else "")
        with self._conn.lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [Event(r[0], r[1], self._cipher.open(r[2]), json.loads(self._cipher.open(r[3])), r[4]) for r in rows]

    # embedding cache -----------------------------------------------------------------------------------
    def vectors(self, model: str, tags: list[str]) -> dict[str, bytes]:
        """Cached float32 vectors by text digest."""
        found: dict[str, bytes] = {}
        with self._conn.lock:
            for start in range(0, len(tags), 500):
                chunk = tags[start:start + 500]
                rows = self._conn.execute(f"SELECT tag, vec FROM vectors WHERE model = ? AND tag IN "
                                          f"({','.join('?' * len(chunk))})", (model, *chunk)).fetchall()
                found.update({r[0]: r[1] for r in rows})
        return found

    def save_vectors(self, model: str, vectors: dict[str, bytes]) -> None:
        with immediate(self._conn) as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (model, tag, vec) VALUES (?, ?, ?)",
                             [(model, t, v) for t, v in vectors.items()])

    # GDPR ----------------------------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """Everything stored about the user, decrypted (Art. 15 access, Art. 20 portability)."""
        return {"schema_version": self.schema_version, "exported_at": self._clock(),
                "items": [i.public() for i in self.items()],
                "events": [asdict(e) for e in self.events()]}

    def erase(self) -> int:
        """Delete every item and event and compact the file; returns how many rows went."""
        with self._conn.lock:
            with immediate(self._conn) as conn:
                gone = conn.execute("DELETE FROM items").rowcount + conn.execute("DELETE FROM events").rowcount
                conn.execute("DELETE FROM vectors")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # neither may run inside a transaction
            self._conn.execute("VACUUM")
        return int(gone)


def erase_memory(home: Path) -> int:
    """Erase the memory store and its key from the device (GDPR Art. 17); returns the rows deleted. Rows are
    deleted and the file compacted first, so nothing survives in a backup of a half-deleted directory."""
    rows = 0
    directory = memory_dir(home)
    if (directory / "memory.db").exists() and key_path(home).exists():
        with MemoryStore.at_home(home) as store:
            rows = store.erase()
    if directory.exists():
        shutil.rmtree(directory)
    key_path(home).unlink(missing_ok=True)
    return rows


_COLUMNS = "id, kind, key, value, polarity, weight, source, created_at, updated_at"


def _check(key: str, value: str, kind: str, polarity: int) -> tuple[str, str]:
    key, value = key.strip().lower(), " ".join(str(value).split())
    if not _KEY.match(key):
        raise InvalidRequest(f"memory key {key!r} must be a short lower-case word like 'cuisine'", param="key")
    if not value or len(value) > 500:
        raise InvalidRequest("a memory value must have 1 to 500 characters", param="value")
    if has_controls(value):  # NUL, ESC, a right-to-left override …: what a page or terminal shows must be text
        raise InvalidRequest("a memory value may not hold control characters", param="value")
    if kind not in KINDS:
        raise InvalidRequest(f"kind must be one of {', '.join(KINDS)}", param="kind")
    if polarity not in (1, -1):
        raise InvalidRequest("polarity must be 1 (likes) or -1 (avoids)", param="polarity")
    return key, value
