"""Every built-in manifest describes its server truthfully: started exactly as the manifest says, the
server lists exactly the declared tools, and every keyed tool takes an idempotency_key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.partners import builtin_manifest_paths
from tandem.services.manifest import load_manifest
from tests.services.conftest import list_builtin_tools

pytestmark = pytest.mark.anyio


async def test_manifests_match_their_servers(home: Path) -> None:
    manifests = [load_manifest(p) for p in builtin_manifest_paths()]
    listed = await list_builtin_tools(home)

    for manifest in manifests:
        tools = {t.name: t for t in listed[manifest.id]}
        assert set(tools) == {t.name for t in manifest.tools}, manifest.id
        for policy in manifest.tools:
            takes_key = "idempotency_key" in tools[policy.name].inputSchema.get("properties", {})
            assert takes_key == (policy.idempotency == "key"), (manifest.id, policy.name)
            assert tools[policy.name].description, (manifest.id, policy.name)
    databases = {p.name for p in (home / "partners").glob("*.db")}
    assert databases == {f"{m.id}.db" for m in manifests}  # each partner keeps its own state under TANDEM_HOME
