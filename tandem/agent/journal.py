"""The agent's journal: conversations, tasks, every tool step and every confirmation, in one SQLite file
(``$TANDEM_HOME/agent.db``), migrated in order when it opens. ``tandem serve``, the CLI and the API's
worker threads write it at the same time; ``tandem.storage`` says how that stays safe.

A step is written *before* its call goes out (status "started") and finished after; a transactional
step carries the idempotency key it is sent with. After a crash, a task left "running" is sent again
with the same key, so the partner answers with the first purchase instead of making a second one, and
an order that never reached the partner is made now: no duplicates, no losses.

Conversations belong to the server: their ids are issued here (unguessable), never chosen by a client;
an id nobody issued is refused, not created. Each records its ``owner`` (the API key, web session or
local client that opened it; the shells check it) and the confirmations its last assistant turn
``shown``: a "yes" confirms those and nothing else. Secrets in a call's arguments (the payment token)
are sealed with the journal's own key (``keys/journal.key``), so the file alone does not give them away.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.errors import NotFound
from tandem.memory.crypto import Cipher, load_or_create_key
from tandem.privacy.erase import register_user_data
from tandem.storage import connect, immediate, migrate

__all__ = ["KEYLESS", "LOCAL", "MIGRATIONS", "SECRET_ARGUMENTS", "Confirmation", "Journal", "Step"]

LOCAL = "local"  # the owner of conversations opened on the device without a key (CLI, loopback clients)
KEYLESS = "loopback"  # owners of API callers without a credential (tandem.api.clients): any local process may be one
SECRET_ARGUMENTS = frozenset({"payment_token"})  # call arguments sealed at rest
KEY_FILE = Path("keys") / "journal.key"
_SEALED = "sealed:"

for _name in ("agent.db", "agent.db-wal", "agent.db-shm", str(KEY_FILE)):  # erased with the rest
    register_user_data(_name)

MIGRATIONS = [
    """
CREATE TABLE conversations (id TEXT PRIMARY KEY, language TEXT, created_at REAL NOT NULL);
CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL REFERENCES conversations(id),
                    role TEXT NOT NULL, text TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE tasks (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id),
                    intent TEXT NOT NULL, slots TEXT NOT NULL, state TEXT NOT NULL, language TEXT NOT NULL,
                    text TEXT NOT NULL, question TEXT, missing TEXT, call TEXT, confirmation_id TEXT, result TEXT,
                    error TEXT, waiting TEXT, tier TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX tasks_by_state ON tasks (state);
CREATE TABLE steps (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL REFERENCES tasks(id),
                    tool TEXT NOT NULL, arguments TEXT NOT NULL, idempotency_key TEXT, status TEXT NOT NULL,
                    result TEXT, started_at REAL NOT NULL, finished_at REAL);
CREATE TABLE confirmations (id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks(id), call TEXT NOT NULL,
                            hash TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, decided_at REAL)
""",
    # A client's key for one request ("Idempotency-Key"): sending the request again after a lost answer
    # returns the tasks it made instead of making them twice.
    """
ALTER TABLE tasks ADD COLUMN request_key TEXT;
CREATE INDEX tasks_by_request_key ON tasks (request_key)
""",
    # Tools seen before: a request for a partner that is down right now is still understood, and its
    # task waits in the offline queue instead of being turned away.
    """
CREATE TABLE known_tools (name TEXT PRIMARY KEY, spec TEXT NOT NULL, seen_at REAL NOT NULL)
""",
    # Who opened a conversation, and which confirmations its last assistant turn put to the user.
    """
ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT 'local';
ALTER TABLE conversations ADD COLUMN shown TEXT NOT NULL DEFAULT '[]'
""",
    # Provenance (tasks.Task.filled; NULL: not known), and an assistant turn as each caller may read it back
    # ("named": what withholding made of it for each set of rights, tandem.agent.withhold).
    """
ALTER TABLE tasks ADD COLUMN filled TEXT;
ALTER TABLE turns ADD COLUMN named TEXT
""",
]

_TASK_FIELDS = ("id", "conversation_id", "intent", "slots", "state", "language", "text", "question", "missing", "call",
                "confirmation_id", "result", "error", "waiting", "tier", "created_at", "updated_at", "filled")


class Step(dict[str, Any]):
    """A journaled tool step as a row: id, task_id, tool, arguments, idempotency_key, status, result."""


class Confirmation(dict[str, Any]):
    """A confirmation as a row: id, task_id, call (PendingCall dict), hash, status, created_at, decided_at.
    ``status`` is "pending", "confirmed", "declined" or "stale" (the call changed: ask again)."""


def _task(row: sqlite3.Row, cipher: Cipher) -> Task:
    data = dict(row)
    call = _opened(json.loads(data["call"]), cipher) if data["call"] else None
    return Task(id=data["id"], conversation_id=data["conversation_id"], intent=data["intent"],
                slots=json.loads(data["slots"]), state=TaskState(data["state"]), language=data["language"],
                text=data["text"], question=data["question"], missing=data["missing"],
                call=PendingCall.from_dict(call) if call else None, confirmation_id=data["confirmation_id"],
                result=json.loads(data["result"]) if data["result"] else None, error=data["error"],
                waiting=data["waiting"], tier=data["tier"], created_at=data["created_at"],
                updated_at=data["updated_at"],
                filled=None if data["filled"] is None else tuple(json.loads(data["filled"])))  # None: not known


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _sealed(arguments: dict[str, Any], cipher: Cipher) -> dict[str, Any]:
    return {k: _SEALED + cipher.seal(v).decode() if k in SECRET_ARGUMENTS and isinstance(v, str) and v else v
            for k, v in arguments.items()}


def _unsealed(arguments: dict[str, Any], cipher: Cipher) -> dict[str, Any]:
    return {k: cipher.open(v[len(_SEALED):].encode()) if isinstance(v, str) and v.startswith(_SEALED) else v
            for k, v in arguments.items()}


def _opened(call: dict[str, Any], cipher: Cipher) -> dict[str, Any]:
    """A stored call (``PendingCall.as_dict``) with its sealed arguments opened."""
    return {**call, "arguments": _unsealed(call.get("arguments") or {}, cipher)}


def _closed(call: PendingCall, cipher: Cipher) -> str | None:
    data = call.as_dict()
    return _dump({**data, "arguments": _sealed(data["arguments"], cipher)})


class Journal:
    """The journal file. Safe to share between threads and between processes (WAL, busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cipher = Cipher(load_or_create_key(path.parent / KEY_FILE))
        self.conn = connect(path, "synchronous=FULL")  # a journaled step must survive a power cut
        migrate(self.conn, MIGRATIONS)

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction (takes SQLite's write lock at once, so read-then-write is atomic)."""
        return immediate(self.conn)

    def close(self) -> None:
        with self.conn.lock:
            self.conn.close()

    # conversations -----------------------------------------------------------------------------------------
    def conversation(self, conversation_id: str | None, language: str, owner: str = LOCAL) -> str:
        """The id of an existing conversation, or of a new one for ``owner`` when ``conversation_id`` is
        None. An id this journal never issued is refused: clients cannot choose one."""
        if conversation_id is not None:
            self.owner(conversation_id)
            return conversation_id
        conversation_id = f"conv-{secrets.token_urlsafe(18)}"
        with self.tx() as conn:
            conn.execute("INSERT INTO conversations (id, language, created_at, owner) VALUES (?, ?, ?, ?)",
                         (conversation_id, language, time.time(), owner))
        return conversation_id

    def owner(self, conversation_id: str) -> str:
        """Who opened the conversation; NotFound when there is none with this id."""
        with self.conn.lock:
            row = self.conn.execute("SELECT owner FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise NotFound(f"no conversation {conversation_id!r}",
                           hint="start one without an id; the server answers with its id")
        return str(row["owner"])

    def own_history(self, conversation_id: str) -> list[Task]:
        """The done tasks of whoever opened the conversation (their own earlier orders, oldest first); none for an
        identity any local process may claim (a caller without a credential): fail closed."""
        owner = self.owner(conversation_id)
        if owner == KEYLESS or owner.startswith(f"{KEYLESS}:"):
            return []
        return self.tasks(states=frozenset({TaskState.DONE}), owner=owner)

    def check_owner(self, conversation_id: str, owner: str) -> None:
        """NotFound unless ``owner`` opened the conversation (the same answer as for no conversation, so
        another client's ids cannot be probed)."""
        if self.owner(conversation_id) != owner:
            raise NotFound(f"no conversation {conversation_id!r}",
                           hint="start one without an id; the server answers with its id")

    def show(self, conversation_id: str, confirmation_ids: list[str]) -> None:
        """Record the confirmations the conversation's last assistant turn asked the user about."""
        with self.tx() as conn:
            conn.execute("UPDATE conversations SET shown = ? WHERE id = ?", (_dump(confirmation_ids), conversation_id))

    def shown(self, conversation_id: str) -> list[str]:
        """The confirmations the conversation's last assistant turn asked about (what a "yes" answers)."""
        with self.conn.lock:
            row = self.conn.execute("SELECT shown FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return list(json.loads(row["shown"])) if row else []

    def add_turn(self, conversation_id: str, role: str, text: str) -> int:
        """Record a turn; returns its id (``name_turn``)."""
        with self.tx() as conn:
            cursor = conn.execute("INSERT INTO turns (conversation_id, role, text, created_at) VALUES (?, ?, ?, ?)",
                                  (conversation_id, role, text, time.time()))
            return int(cursor.lastrowid or 0)

    def name_turn(self, turn_id: int, named: dict[str, str]) -> None:
        """Keep an assistant turn as each set of rights may read it back (``named``: what withholding made of
        it when it was said, when it was known which of its words the assistant filled in)."""
        with self.tx() as conn:
            conn.execute("UPDATE turns SET named = ? WHERE id = ?", (_dump(named), turn_id))

    def retell_turn(self, turn_id: int, text: str) -> None:
        """Keep ``text`` as what assistant turn ``turn_id`` said: the answer given in its place after it was recorded
        (a chat answer where the turn had said "Sorry, I did not get that."). What was named of the old text goes."""
        with self.tx() as conn:
            conn.execute("UPDATE turns SET text = ?, named = NULL WHERE id = ?", (text, turn_id))

    def turns(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's turns: role, text, created_at, and ``named`` (None, or see ``name_turn``)."""
        with self.conn.lock:
            rows = self.conn.execute("SELECT role, text, created_at, named FROM turns WHERE conversation_id = ? "
                                     "ORDER BY id", (conversation_id,)).fetchall()
        return [{**dict(r), "named": json.loads(r["named"]) if r["named"] else None} for r in rows]

    def language(self, conversation_id: str) -> str:
        """The language the conversation was opened in ("en" when not known)."""
        with self.conn.lock:
            row = self.conn.execute("SELECT language FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return str(row["language"]) if row and row["language"] else "en"

    def conversations(self) -> list[dict[str, Any]]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT * FROM conversations ORDER BY created_at").fetchall()
        return [dict(r) for r in rows]

    # tasks ---------------------------------------------------------------------------------------------
    def add_tasks(self, tasks: list[Task], request_key: str | None = None) -> list[Task]:
        """Record the tasks of one request together: after a crash there are all of them or none. With a
        ``request_key`` already used, nothing is added and the tasks of the first request are returned."""
        now = time.time()
        tasks = [replace(t, created_at=now, updated_at=now) for t in tasks]
        with self.tx() as conn:
            if request_key:
                earlier = conn.execute("SELECT * FROM tasks WHERE request_key = ? ORDER BY created_at, rowid",
                                       (request_key,)).fetchall()
                if earlier:
                    return [_task(r, self.cipher) for r in earlier]
            conn.executemany(f"INSERT INTO tasks ({', '.join(_TASK_FIELDS)}, request_key) "
                             f"VALUES ({', '.join('?' * (len(_TASK_FIELDS) + 1))})",
                             [(*self._values(t), request_key) for t in tasks])
        return tasks

    def tasks_for_request(self, request_key: str) -> list[Task]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT * FROM tasks WHERE request_key = ? ORDER BY created_at, rowid",
                                     (request_key,)).fetchall()
        return [_task(r, self.cipher) for r in rows]

    def _values(self, task: Task) -> tuple[Any, ...]:
        return (task.id, task.conversation_id, task.intent, _dump(task.slots), str(task.state), task.language,
                task.text, task.question, task.missing, _closed(task.call, self.cipher) if task.call else None,
                task.confirmation_id, _dump(task.result), task.error, task.waiting, task.tier, task.created_at,
                task.updated_at, None if task.filled is None else _dump(list(task.filled)))

    def save(self, task: Task, conn: sqlite3.Connection | None = None) -> Task:
        """Write a task's new state (inside ``conn``'s transaction when given)."""
        task = replace(task, updated_at=time.time())
        sets = ", ".join(f"{f} = ?" for f in _TASK_FIELDS[1:])
        values = self._values(task)
        if conn is not None:
            conn.execute(f"UPDATE tasks SET {sets} WHERE id = ?", (*values[1:], task.id))
            return task
        with self.tx() as own:
            own.execute(f"UPDATE tasks SET {sets} WHERE id = ?", (*values[1:], task.id))
        return task

    def task(self, task_id: str) -> Task:
        with self.conn.lock:
            row = self.conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise NotFound(f"no task {task_id!r}", hint="list them with `tandem tasks list`")
        return _task(row, self.cipher)

    def tasks(self, conversation_id: str | None = None, states: frozenset[TaskState] | None = None,
              owner: str | None = None) -> list[Task]:
        """Tasks, oldest first: of one conversation, or of the conversations ``owner`` opened, or all."""
        sql, params = "SELECT t.* FROM tasks t LEFT JOIN conversations c ON c.id = t.conversation_id WHERE 1 = 1", []
        for clause, value in (("t.conversation_id = ?", conversation_id), ("c.owner = ?", owner)):
            if value:
                sql += f" AND {clause}"
                params.append(value)
        with self.conn.lock:
            rows = self.conn.execute(sql + " ORDER BY t.created_at, t.rowid", params).fetchall()
        found = [_task(r, self.cipher) for r in rows]
        return [t for t in found if states is None or t.state in states]

    # tools -------------------------------------------------------------------------------------------
    def remember_tools(self, specs: list[dict[str, Any]]) -> None:
        """Record tool specs (as dicts) seen in a listing."""
        with self.tx() as conn:
            conn.executemany("INSERT INTO known_tools (name, spec, seen_at) VALUES (?, ?, ?) ON CONFLICT(name) "
                             "DO UPDATE SET spec = excluded.spec, seen_at = excluded.seen_at",
                             [(s["name"], _dump(s), time.time()) for s in specs])

    def known_tools(self) -> list[dict[str, Any]]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT spec FROM known_tools ORDER BY name").fetchall()
        return [json.loads(r["spec"]) for r in rows]

    # steps ---------------------------------------------------------------------------------------------
    def start_step(self, task_id: str, tool: str, arguments: dict[str, Any], key: str | None) -> int:
        """Record a call about to go out. Returns the step id."""
        with self.tx() as conn:
            cur = conn.execute("INSERT INTO steps (task_id, tool, arguments, idempotency_key, status, started_at) "
                               "VALUES (?, ?, ?, ?, 'started', ?)",
                               (task_id, tool, _dump(_sealed(arguments, self.cipher)), key, time.time()))
        return int(cur.lastrowid or 0)

    def finish_step(self, step_id: int, ok: bool, result: Any) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE steps SET status = ?, result = ?, finished_at = ? WHERE id = ?",
                         ("done" if ok else "failed", _dump(result), time.time(), step_id))

    def steps(self, task_id: str) -> list[Step]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT * FROM steps WHERE task_id = ? ORDER BY id", (task_id,)).fetchall()
        return [Step({**dict(r), "arguments": _unsealed(json.loads(r["arguments"]), self.cipher),
                      "result": json.loads(r["result"]) if r["result"] else None}) for r in rows]

    # confirmations -------------------------------------------------------------------------------------
    def add_confirmation(self, conn: sqlite3.Connection, task_id: str, call: PendingCall, digest: str) -> str:
        """A new pending confirmation (older pending ones of the task go stale) inside ``conn``'s transaction."""
        confirmation_id = f"c-{uuid.uuid4().hex}"  # 128 random bits, like a task id: the id is what confirms
        conn.execute("UPDATE confirmations SET status = 'stale', decided_at = ? "
                     "WHERE task_id = ? AND status = 'pending'", (time.time(), task_id))
        conn.execute("INSERT INTO confirmations (id, task_id, call, hash, status, created_at) "
                     "VALUES (?, ?, ?, ?, 'pending', ?)",
                     (confirmation_id, task_id, _closed(call, self.cipher), digest, time.time()))
        return confirmation_id

    def confirmation(self, confirmation_id: str, conn: sqlite3.Connection | None = None) -> Confirmation:
        with self.conn.lock:
            row = (conn or self.conn).execute("SELECT * FROM confirmations WHERE id = ?",
                                              (confirmation_id,)).fetchone()
        if row is None:
            raise NotFound(f"no confirmation {confirmation_id!r}", hint="pending ones: `tandem tasks list`")
        return Confirmation({**dict(row), "call": _opened(json.loads(row["call"]), self.cipher)})

    def confirmations(self, task_id: str) -> list[Confirmation]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT * FROM confirmations WHERE task_id = ? ORDER BY created_at",
                                     (task_id,)).fetchall()
        return [Confirmation({**dict(r), "call": _opened(json.loads(r["call"]), self.cipher)}) for r in rows]
