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
