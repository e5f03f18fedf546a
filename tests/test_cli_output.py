"""``-o FILE`` of the GDPR exports (tandem.cli.output), through the real CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from click.testing import CliRunner

from tandem.cli import cli
from tandem.memory import MemoryStore


def test_memory_export_to_a_file_only_its_owner_reads(home: Path, tmp_path: Path) -> None:
    with MemoryStore.at_home(home) as store:
        store.add("seat", "aisle")
    out = tmp_path / "memory.json"
    result = CliRunner().invoke(cli, ["memory", "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"exported to {out}\n"
    assert [i["value"] for i in json.loads(out.read_text(encoding="utf-8"))["items"]] == ["aisle"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_to_stdout_is_the_same_json(home: Path, tmp_path: Path) -> None:
    runner, out = CliRunner(), tmp_path / "export.json"
    assert runner.invoke(cli, ["privacy", "export", "--output", str(out)]).exit_code == 0
    printed = json.loads(runner.invoke(cli, ["privacy", "export"]).stdout)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert printed.keys() == written.keys() and printed["format"] == written["format"] == "tandem-egress-ledger/1"


def test_an_unwritable_file_is_a_one_line_error(home: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["privacy", "export", "-o", str(tmp_path / "missing" / "x.json")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot write {tmp_path / 'missing' / 'x.json'}: "
                                                  "No such file or directory"]
