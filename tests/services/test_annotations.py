"""Every partner tool carries MCP annotations and a title, and they say what its manifest says: a generic
MCP client (or the Inspector) can tell a search from a refund without reading Tandem's manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.partners import builtin_manifest_paths
from tandem.services.manifest import load_manifest
from tests.services.conftest import list_builtin_tools

pytestmark = pytest.mark.anyio


async def test_annotations_agree_with_the_manifests(home: Path) -> None:
    manifests = [load_manifest(p) for p in builtin_manifest_paths()]
    listed = await list_builtin_tools(home)
    seen = 0
    for manifest in manifests:
        declared = {t["name"]: t for t in manifest.raw["tools"]}
        for tool in listed[manifest.id]:
            policy, facts, hints = manifest.tool(tool.name), declared[tool.name], tool.annotations
            assert policy is not None and hints is not None, (manifest.id, tool.name)
            where = f"{manifest.id}/{tool.name}"
            assert tool.title and hints.title == tool.title, where
            if policy.transactional:
                assert hints.destructiveHint is True and hints.readOnlyHint is False, where
            assert hints.idempotentHint is (policy.idempotency in ("safe", "key")), where
            effect = facts.get("effect", "read" if policy.idempotency == "safe" and not policy.transactional
                               else "write")
            assert hints.readOnlyHint is (effect == "read" and not policy.transactional), where
            assert hints.destructiveHint is (policy.transactional or effect == "delete"), where
            seen += 1
    assert seen >= 34
    office = {t.name: t.annotations for t in listed["tandem.office"]}
    assert office["delete_event"] is not None and office["delete_event"].destructiveHint is True
    assert office["list_events"] is not None and office["list_events"].readOnlyHint is True


def test_services_tools_shows_what_a_tool_does(home: Path) -> None:
    env = {**os.environ, "TANDEM_HOME": str(home)}
    run = subprocess.run([sys.executable, "-m", "tandem.cli", "services", "tools", "--region", "DE", "--json"],
                         capture_output=True, text=True, env=env, timeout=180)
    assert run.returncode == 0, run.stderr
    rows = {(r["service"], r["tool"]): r for r in json.loads(run.stdout)}
    assert rows[("tandem.office", "delete_event")]["effect"] == "destructive"
    assert rows[("tandem.office", "list_events")]["effect"] == "read"
    assert rows[("tandem.office", "add_note")]["effect"] == "write"
    assert rows[("lichtspiel.cinema", "buy_tickets")]["effect"] == "destructive"
    text = subprocess.run([sys.executable, "-m", "tandem.cli", "services", "tools", "--region", "DE"],
                          capture_output=True, text=True, env=env, timeout=180).stdout
    line = next(x for x in text.splitlines() if "delete_event" in x)
    assert "destructive $" in line and "key" in line  # deleting an appointment is confirmed first, with a key
