"""tandem.storage: shared SQLite files (connect, ordered migrations, immediate transactions)."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tandem.errors import ConfigError
from tandem.storage import connect, immediate, migrate, schema_version

MIGRATIONS = [
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);\nCREATE INDEX notes_text ON notes (text)",
    lambda conn: conn.execute("ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT ''"),
    # a ';' inside a string and inside a trigger's body does not end the statement
    """INSERT INTO notes (text) VALUES ('a; b');
CREATE TABLE log (text TEXT);
CREATE TRIGGER notes_log AFTER INSERT ON notes BEGIN INSERT INTO log VALUES (new.text); END;""",
]


def test_connect_creates_the_directory_and_sets_up_the_file(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a" / "b.db", "foreign_keys=ON", "synchronous=NORMAL")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert dict(conn.execute("SELECT 1 AS one").fetchone()) == {"one": 1}
    finally:
        conn.close()


def test_migrations_run_in_order_once(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    assert migrate(conn, MIGRATIONS[:1]) == 0
    assert migrate(conn, MIGRATIONS) == 1
    assert migrate(conn, MIGRATIONS) == 3
    assert schema_version(conn) == 3
    conn.execute("INSERT INTO notes (text, tag) VALUES ('x', 'y')")
    assert [r[0] for r in conn.execute("SELECT text FROM notes ORDER BY id")] == ["a; b", "x"]
    assert [r[0] for r in conn.execute("SELECT text FROM log")] == ["x"]
    conn.close()


def test_seed_runs_only_for_a_new_file(tmp_path: Path) -> None:
    def seed(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO notes (text) VALUES ('seeded')")

    for _ in range(2):
        conn = connect(tmp_path / "s.db")
        migrate(conn, MIGRATIONS[:1], seed)
        conn.close()
    conn = connect(tmp_path / "s.db")
    assert conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 1
    conn.close()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [MIGRATIONS[0], "CREATE TABLE broken (", "CREATE TABLE never (x)"])
    assert schema_version(conn) == 0
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert not conn.in_transaction
    conn.close()


def test_a_file_from_a_newer_tandem_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    migrate(conn, MIGRATIONS)
    with pytest.raises(ConfigError, match=r"s\.db has schema version 3; this Tandem knows 1"):
        migrate(conn, MIGRATIONS[:1])
    assert not conn.in_transaction
    conn.close()


def test_immediate_commits_or_rolls_back(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    migrate(conn, MIGRATIONS[:1])
    with immediate(conn) as tx:
        tx.execute("INSERT INTO notes (text) VALUES ('kept')")
    with pytest.raises(KeyError), immediate(conn) as tx:
        tx.execute("INSERT INTO notes (text) VALUES ('dropped')")
        raise KeyError("boom")
    assert [r[0] for r in conn.execute("SELECT text FROM notes")] == ["kept"]
    conn.close()


def test_immediate_holds_the_write_lock_from_its_start(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    migrate(conn, MIGRATIONS[:1])
    other = sqlite3.connect(tmp_path / "s.db", timeout=0, isolation_level=None)
    with immediate(conn):  # nothing written yet, and still no other writer gets in
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        assert other.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0  # readers still read
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    conn.close()


def _count_up(path: Path, start: threading.Barrier, times: int, failures: list[BaseException]) -> None:
    try:
        start.wait(timeout=60)  # all open the new file together, then all write together
        conn = connect(path)
        migrate(conn, ["CREATE TABLE counter (n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)"])
        start.wait(timeout=60)
        for _ in range(times):
            with immediate(conn) as tx:  # read, then write what was read plus one
                n = tx.execute("SELECT n FROM counter").fetchone()[0]
                tx.execute("UPDATE counter SET n = ?", (n + 1,))
        conn.close()
    except BaseException as exc:
        failures.append(exc)
        start.abort()  # the others stop waiting for this one


def test_writers_opening_and_writing_one_file_lose_nothing(tmp_path: Path) -> None:
    # One connection each: SQLite locks separate connections against each other exactly as it locks
    # separate processes, and threads start together reliably where spawned processes may not.
    path, start, failures = tmp_path / "shared.db", threading.Barrier(3), list[BaseException]()
    writers = [threading.Thread(target=_count_up, args=(path, start, 150, failures)) for _ in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert failures == []
    conn = connect(path)
    assert conn.execute("SELECT n FROM counter").fetchone()[0] == 450
    assert schema_version(conn) == 2
    conn.close()


# Files written before tandem.storage existed (commit d633a9d) keep working. Each ``_old_*`` function is
# the migration loop a store ran then, copied unchanged, so it writes what those versions wrote.


def _old_scripts_in_one_transaction(path: Path, migrations: list[str], seed: Any = None) -> sqlite3.Connection:
    """agent/journal.py, partners/store.py and services/registry.py."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(migrations[version:], start=version + 1):
        for statement in filter(str.strip, script.split(";\n")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={number}")
    if version == 0 and seed is not None:
        seed(conn)
    conn.execute("COMMIT")
    return conn


def test_a_partner_file_from_before_is_opened_without_seeding_it_again(tmp_path: Path) -> None:
    from tandem.partners import food

    path, variant = tmp_path / "food.db", food.VARIANTS["EU"]
    old = _old_scripts_in_one_transaction(path, food.MIGRATIONS, food._seed(variant))
    restaurants = old.execute("SELECT COUNT(*) FROM restaurants").fetchone()[0]
    old.execute("INSERT INTO idempotency (key, tool, request_hash, result) VALUES ('k', 'place_order', 'h', '{}')")
    old.close()
    store = food.open_store(path, variant)
    try:
        assert schema_version(store.conn) == len(food.MIGRATIONS)
        assert store.row("SELECT COUNT(*) AS n FROM restaurants") == {"n": restaurants}
        assert store.row("SELECT tool FROM idempotency WHERE key = 'k'") == {"tool": "place_order"}
    finally:
        store.close()


@pytest.mark.parametrize("done", [1, 2, 3])
def test_a_journal_from_before_is_migrated_and_keeps_its_rows(tmp_path: Path, done: int) -> None:
    from tandem.agent import journal

    old = _old_scripts_in_one_transaction(tmp_path / "agent.db", journal.MIGRATIONS[:done])
    old.execute("INSERT INTO conversations VALUES ('conv-1', 'en', 1.0)")
    old.close()
    store = journal.Journal(tmp_path / "agent.db")
    try:
        assert schema_version(store.conn) == len(journal.MIGRATIONS)
        assert [c["id"] for c in store.conversations()] == ["conv-1"]
        store.remember_tools([{"name": "food.place_order"}])  # the last migration's table
        assert store.known_tools() == [{"name": "food.place_order"}]
    finally:
        store.close()


def test_a_service_registry_from_before_keeps_its_services_and_removals(home: Path) -> None:
    from tandem.config import load_settings
    from tandem.services import registry

    home.mkdir(parents=True)
    old = _old_scripts_in_one_transaction(home / "services.db", registry.MIGRATIONS)
    old.execute("INSERT INTO services (id, manifest, source, builtin) VALUES ('gabelpost.food', '{}', 'builtin', 1)")
    old.execute("INSERT INTO removed_builtins VALUES ('korbwerk.shopping')")  # the user removed it back then
    old.close()
    services = registry.ServiceRegistry(load_settings())
    try:
        assert schema_version(services._conn) == len(registry.MIGRATIONS)
        ids = {r.id for r in services.all()}
        assert "gabelpost.food" in ids and "korbwerk.shopping" not in ids  # the stale manifest was refreshed
        services.mark("gabelpost.food", registry.Health(healthy=True, checked_at=1.0))
        services.remove("gabelpost.food")
        assert services._conn.execute("SELECT COUNT(*) FROM health").fetchone()[0] == 0  # foreign keys are on
    finally:
        services.close()


def _old_functions_one_transaction_each(path: Path, migrations: list[Any]) -> sqlite3.Connection:
    """privacy/ledger.py."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    done = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(migrations[done:], start=done + 1):
        conn.execute("BEGIN")
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    return conn


@pytest.mark.parametrize("done", [1, 2, 3])
def test_a_ledger_from_before_is_migrated_and_keeps_its_rows(tmp_path: Path, done: int) -> None:
    from tandem.privacy import ledger

    old = _old_functions_one_transaction_each(tmp_path / "ledger.db", ledger.MIGRATIONS[:done])
    old.execute("INSERT INTO egress (time, endpoint, region, model, purpose, legal_basis, payload_sha256, "
                "payload_bytes, categories, status) VALUES ('t', 'e', 'DE', 'm', 'p', 'b', 'h', 1, 'EMAIL', 'ok')")
    old.close()
    store = ledger.Ledger(tmp_path / "ledger.db")
    try:
        assert schema_version(store._db) == len(ledger.MIGRATIONS)
        store.finish(store.record(replace(store.entries()[0], endpoint="e2")), "ok", cost=0.5)
        assert [(e.endpoint, e.categories, e.cost) for e in store.entries()] == [("e2", ("EMAIL",), 0.5),
                                                                                 ("e", ("EMAIL",), 0.0)]
    finally:
        store.close()


def _old_one_executescript_each(path: Path, migrations: tuple[str, ...]) -> sqlite3.Connection:
    """memory/store.py."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for number, script in enumerate(migrations[version:], start=version + 1):
        conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
    return conn


@pytest.mark.parametrize("done", [1, 2, 3])
def test_a_memory_store_from_before_is_migrated_and_keeps_its_items(home: Path, done: int) -> None:
    from tandem.memory.crypto import Cipher, key_path, load_or_create_key
    from tandem.memory.store import MIGRATIONS, MemoryStore, memory_dir

    (memory_dir(home)).mkdir(parents=True)
    cipher = Cipher(load_or_create_key(key_path(home)))
    old = _old_one_executescript_each(memory_dir(home) / "memory.db", MIGRATIONS[:done])
    old.execute("INSERT INTO items (kind, key, tag, value, polarity, weight, source, created_at, updated_at) "
                "VALUES ('preference', 'seat', ?, ?, 1, 3, ?, 't', 't')",
                (cipher.tag("aisle"), cipher.seal("aisle"), cipher.seal("user")))
    old.close()
    with MemoryStore.at_home(home) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [(i.key, i.value, i.source) for i in store.items()] == [("seat", "aisle", "user")]
        store.add("seat", "aisle")
        assert len(store.items()) == 1  # the same item again, found by its tag
        store.record("accept", "food:bj-r000", {"cuisine": "京菜"})  # the tables of the later migrations
        store.save_vectors("m", {"t": b"v"})
        assert store.vectors("m", ["t"]) == {"t": b"v"}


_WRITER = """
import sys, time
from pathlib import Path
from tandem.storage import connect, immediate, migrate

path, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
conn = connect(path, "synchronous=FULL")  # every process opens, switches to WAL and migrates the new file at once
migrate(conn, ["CREATE TABLE counter (n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)"])
for _ in range(int(sys.argv[3])):
    with immediate(conn) as tx:
        tx.execute("UPDATE counter SET n = n + 1")
conn.close()
"""


def test_processes_opening_one_new_file_at_once_never_see_locked(tmp_path: Path) -> None:
    """Real processes (``tandem serve``, ``tandem ask`` and partners open one store at once), released
    together onto a file that does not exist yet, several rounds."""
    import subprocess
    import sys

    for round_ in range(3):
        path, go = tmp_path / f"shared-{round_}.db", tmp_path / f"go-{round_}"
        writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(go), "40"],
                                    stderr=subprocess.PIPE, text=True) for _ in range(4)]
        go.touch()
        errors = [w.communicate(timeout=120)[1] for w in writers]
        assert [w.returncode for w in writers] == [0] * 4, errors
        conn = connect(path)
        assert conn.execute("SELECT n FROM counter").fetchone()[0] == 160
        conn.close()


def test_a_file_that_is_no_database_is_named_not_a_driver_error(tmp_path: Path) -> None:
    """walk4 W4-13: every store raised sqlite3.DatabaseError ("file is not a database"), an API 500 naming nothing."""
    path = tmp_path / "memory.db"
    path.write_bytes(b"garbage, not SQLite" * 100)
    with pytest.raises(ConfigError, match=r"memory\.db under TANDEM_HOME cannot be read") as refused:
        connect(path)
    assert str(path) in (refused.value.hint or "")
    assert path.read_bytes() == b"garbage, not SQLite" * 100  # nothing is written over what may be restored
