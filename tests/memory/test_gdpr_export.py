"""`tandem privacy export` (and /v1/privacy/export) hand over everything: ledger, memory, profile."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tandem.cli import cli
from tandem.memory import MemoryStore


def test_privacy_export_includes_memory_and_profile(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text('name = "Alex Muster"\npayment_token = "tok_test_4242"\n', encoding="utf-8")
    memory = MemoryStore.at_home(home)
    memory.add("diet", "vegetarian")
    memory.close()
    result = CliRunner().invoke(cli, ["privacy", "export"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "tandem-egress-ledger/1" and data["entries"] == []
    assert [(i["key"], i["value"]) for i in data["memory"]["items"]] == [("diet", "vegetarian")]
    assert data["profile"]["name"] == "Alex Muster"
    assert data["profile"]["payment_token"] == "…4242" and "tok_test_4242" not in result.output  # review R14-10
