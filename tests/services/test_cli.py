"""`tandem services` as a user runs it: a real subprocess with its own TANDEM_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from tandem.partners import MANIFEST_DIR


def tandem(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A guard against a hang, not a speed test: `services add` checks the partner's examples against every
    installed one (37 s of CPU here), and on a loaded machine that alone passed 120 s."""
    env = {**os.environ, "TANDEM_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tandem.cli", "services", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_list_by_region_json(home: Path) -> None:
    de = json.loads(tandem(home, "list", "--region", "DE", "--json").stdout)
    cn = json.loads(tandem(home, "list", "--region", "CN", "--json").stdout)
    for rows in (de, cn):
        assert all({"id", "partner", "categories", "regions", "healthy"} <= set(r) for r in rows)
        assert {c for r in rows for c in r["categories"]} == {"food", "tickets", "cinema", "navigation", "shopping",
                                                              "office"}
    assert {r["id"] for r in de} & {r["id"] for r in cn} == {"tandem.office"}
    assert all(r["healthy"] is None for r in de)  # nothing checked yet
    assert {r["partner"] for r in cn} >= {"筷送科技有限公司", "光影影城有限公司"}


def test_add_rejects_a_bad_field_by_name(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text((MANIFEST_DIR / "lichtspiel.cinema.toml").read_text()
                   .replace('id = "lichtspiel.cinema"', 'id = "demo.cinema"')
                   .replace('regions = ["EEA", "CH"]', 'regions = ["Germany"]'))
    result = tandem(home, "add", str(bad))
    assert result.returncode == 1
    assert "manifest field 'regions[0]'" in result.stderr and "Traceback" not in result.stderr


def test_add_disable_remove_and_check(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "demo.toml"
    good.write_text((MANIFEST_DIR / "guangying.cinema.toml").read_text()
                    .replace('id = "guangying.cinema"', 'id = "demo.cinema"'))
    assert tomllib.loads(good.read_text())["id"] == "demo.cinema"
    assert "added demo.cinema" in tandem(home, "add", str(good), "--yes").stdout
    assert tandem(home, "disable", "demo.cinema").returncode == 0
    rows = json.loads(tandem(home, "list", "--region", "CN", "--json").stdout)
    assert next(r for r in rows if r["id"] == "demo.cinema")["enabled"] is False
    assert tandem(home, "enable", "demo.cinema").returncode == 0
    checked = tandem(home, "check", "demo.cinema", "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == [{"id": "demo.cinema", "healthy": True, "tools": 6,
                                           "latency_ms": json.loads(checked.stdout)[0]["latency_ms"], "error": None}]
    rows = json.loads(tandem(home, "list", "--region", "CN", "--json").stdout)
    assert next(r for r in rows if r["id"] == "demo.cinema")["healthy"] is True
    called = tandem(home, "call", "demo.cinema/showtimes", '{"city": "上海"}', "--region", "CN")
    assert called.returncode == 0 and 'trust="untrusted"' in called.stdout and "光影影城(静安店)" in called.stdout
    denied = tandem(home, "call", "demo.cinema/list_films", "--region", "DE")
    assert denied.returncode == 1 and "not offered in DE" in denied.stderr and "Traceback" not in denied.stderr
    assert tandem(home, "remove", "demo.cinema").returncode == 0
    missing = tandem(home, "remove", "demo.cinema")
    assert missing.returncode == 1 and "no service 'demo.cinema'" in missing.stderr


def test_calling_a_tool_nobody_offers_says_how_to_list_them(home: Path) -> None:
    result = tandem(home, "call", "nothing", "{}")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "`tandem services tools` lists them" in result.stderr and "ServiceHub" not in result.stderr
