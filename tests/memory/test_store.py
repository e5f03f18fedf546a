"""The memory store: CRUD with provenance, migrations, encryption at rest, key kept apart, erase."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tandem.errors import ConfigError, InvalidRequest, NotFound
from tandem.memory import MemoryStore
from tandem.memory.crypto import key_path
from tandem.memory.store import MIGRATIONS, memory_dir
from tandem.privacy.erase import erase_user_data


def test_items_have_provenance_and_merge(home: Path) -> None:
    with MemoryStore.at_home(home) as store:
        stated = store.add("seat", "aisle")
        first = store.observe("cinema", "Lichtspiel Alexanderplatz", source="task:t-1")
        again = store.observe("cinema", "lichtspiel  alexanderplatz", source="task:t-2")
        assert (stated.kind, stated.source, stated.weight) == ("preference", "user", 3.0)
        assert again.id == first.id and again.weight == 2.0 and again.source == "task:t-2"
        avoid = store.add("genre", "horror", polarity=-1)
        assert {i.key for i in store.items(kind="preference")} == {"seat", "genre"}
        assert store.items(key="genre") == [avoid]


def test_edit_makes_a_fact_the_users_and_delete_removes(home: Path) -> None:
    with MemoryStore.at_home(home) as store:
        fact = store.observe("cuisine", "turkish", source="task:t-9")
        edited = store.edit(fact.id, value="vietnamese")
        assert (edited.kind, edited.value, edited.source) == ("preference", "vietnamese", "user")
        store.delete(fact.id)
        with pytest.raises(NotFound):
            store.get(fact.id)
        with pytest.raises(NotFound):
            store.delete(fact.id)


@pytest.mark.parametrize(("key", "value", "polarity"), [
    ("Bad Key", "x", 1), ("seat", "", 1), ("seat", "x", 0),
    ("genre", "horror\x1b[31m", 1), ("genre", "hor\x00ror", 1),  # control characters were stored and shown
    ("brand", "Good\u202eSNOISAV", 1), ("venue", "Kino\u2066 am Park", 1)])  # and bidi overrides, isolates (walk4)
def test_invalid_items_are_refused(home: Path, key: str, value: str, polarity: int) -> None:
    with MemoryStore.at_home(home) as store, pytest.raises(InvalidRequest):
        store.add(key, value, polarity=polarity)


def test_values_are_encrypted_at_rest_and_the_key_lives_apart(home: Path) -> None:
    with MemoryStore.at_home(home) as store:
        store.add("place", "Friedrichstraße 100, 10117 Berlin", source="user")
        store.record("complete", "cinema:lsp-alex:f-orbit", {"holder": "Alex Muster", "phone": "+49 30 1234567"})
        db = store.path
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir())
    for secret in (b"Friedrichstra", b"Alex Muster", b"1234567", b"lsp-alex"):
        assert secret not in raw
    key = key_path(home)
    assert key.parent != db.parent and key.exists()
    if os.name == "posix":
        assert key.stat().st_mode & 0o777 == 0o600
    with MemoryStore.at_home(home) as store:  # reopened with the key: readable again
        assert store.items()[0].value == "Friedrichstraße 100, 10117 Berlin"


def test_a_foreign_key_cannot_read_the_store(home: Path) -> None:
    with MemoryStore.at_home(home) as store:
        store.add("diet", "vegetarian")
    key_path(home).unlink()
    with MemoryStore.at_home(home) as store, pytest.raises(ConfigError):
        store.items()


def test_migrations_run_in_order_and_upgrade_an_old_store(home: Path) -> None:
    path = memory_dir(home) / "memory.db"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(f"{MIGRATIONS[0]}; PRAGMA user_version = 1;")
    conn.close()
    with MemoryStore.at_home(home) as store:
        assert store.schema_version == len(MIGRATIONS)
        store.record("accept", "food:bj-r000", {"cuisine": "京菜"})
        assert store.events()[0].detail == {"cuisine": "京菜"}


def test_export_then_erase_leaves_nothing_of_the_user(home: Path) -> None:
    name, phone, address = "Alex Muster", "+49 30 1234567", "Friedrichstraße 100"
    with MemoryStore.at_home(home) as store:
        store.add("place", address)
        store.observe("holder", name, source="task:t-1")
        store.record("complete", "task:t-1", {"phone": phone})
        exported = store.export()
    assert {i["value"] for i in exported["items"]} == {address, name}
    assert exported["events"][0]["detail"] == {"phone": phone}
    done = erase_user_data(home)
    assert "memory" in done.removed and "keys/memory.key" in done.removed
    leftovers = [p for p in home.rglob("*") if p.is_file()]
    for path in leftovers:
        data = path.read_bytes()
        for secret in (name, phone, address):
            assert secret.encode() not in data, path
    assert not memory_dir(home).exists() and not key_path(home).exists()


def test_in_place_erase_empties_the_store(home: Path) -> None:
    with MemoryStore.at_home(home) as store:
        store.add("diet", "vegetarian")
        store.record("dismiss", "food:x")
        assert store.erase() == 2
        assert store.items() == [] and store.events() == []
