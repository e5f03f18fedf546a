"""A TANDEM_HOME the command cannot use (a file, a directory under a file) is one line and exit 1: it was a
NotADirectoryError or sqlite3 "unable to open database file" traceback from every command that opens a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import tandem


@pytest.mark.parametrize("command", [("memory", "list"), ("services", "list"), ("tasks", "list")])
@pytest.mark.parametrize("under", ["", "sub"])
def test_a_home_that_cannot_be_a_directory_is_one_line(tmp_path: Path, command: tuple[str, ...], under: str) -> None:
    file = tmp_path / "home"
    file.write_text("not a directory", encoding="utf-8")
    home = file / under if under else file
    said = tandem(*command, home=home)
    assert said.returncode == 1 and "Traceback" not in said.stderr, said.stderr
    assert len(said.stderr.strip().splitlines()) == 1 and "TANDEM_HOME" in said.stderr, said.stderr
    assert "not a directory" in said.stderr.lower(), said.stderr


@pytest.mark.parametrize(("command", "store"), [(("memory", "list"), "memory/memory.db"),
                                                (("tasks", "list"), "agent.db")])
def test_a_store_that_is_no_database_is_one_line(home: Path, command: tuple[str, ...], store: str) -> None:
    """A store's file overwritten or damaged (walk4 W4-13: `tandem memory list` was a sqlite3.DatabaseError
    traceback, "file is not a database")."""
    (home / store).parent.mkdir(parents=True, exist_ok=True)
    (home / store).write_bytes(b"garbage, not SQLite" * 100)
    said = tandem(*command, home=home)
    assert said.returncode == 1 and "Traceback" not in said.stderr, said.stderr
    assert len(said.stderr.strip().splitlines()) == 1 and "cannot be read" in said.stderr, said.stderr
