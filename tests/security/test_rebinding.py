"""DNS rebinding (issue 13): a page on evil.example whose name now resolves to 127.0.0.1 talks to the
server as its own origin, so the browser lets it read the answers and send anything. Its requests name
the attacker's host: they must be refused before any route runs, and the profile must stay unchanged."""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest

from tandem.keys import read_local_token
from tests.conftest import LiveServer
from tests.security.conftest import route_hits

READS = ["/v1/profile", "/v1/privacy/export", "/v1/memory/export", "/v1/assistant/tasks", "/api/ui/privacy",
         "/v1/privacy/ledger", "/"]


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.nip.io:{port}",
                                  "localhost.evil.example:{port}", "attacker@127.0.0.1:{port}", ""])
def test_foreign_host_is_refused(server: LiveServer, home: Path, host: str) -> None:
    foreign = {"Host": host.format(port=server.port)}
    office = tomllib.loads((home / "profile.toml").read_text())["places"]["office"]["address"]
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for path in READS:
            answer = client.get(path, headers=foreign)
            assert answer.status_code == 421, (path, answer.text[:200])
            assert answer.json()["error"]["code"] == "host_not_allowed"
            assert "Alex" not in answer.text and "Friedrich" not in answer.text
        patch = client.patch("/v1/profile", json={"places": {"office": {"address": "Evil Street 1"}}},
                             headers={**foreign, "Origin": f"http://{host.format(port=server.port)}"})
        assert patch.status_code == 421
    assert tomllib.loads((home / "profile.toml").read_text())["places"]["office"]["address"] == office
    assert route_hits(server, "/v1/profile") == 0


def test_own_names_are_served(server: LiveServer, home: Path) -> None:
    local = {"Authorization": f"Bearer {read_local_token(home)}"}  # the profile needs a credential
    for host in ("127.0.0.1:{port}", "localhost:{port}", "LOCALHOST.:{port}", "[::1]:{port}", "127.0.0.1"):
        answer = httpx.get(f"{server.url}/v1/profile", headers={"Host": host.format(port=server.port), **local},
                           timeout=30)
        assert answer.status_code == 200, (host, answer.text)
        assert answer.headers["x-frame-options"] == "DENY"
