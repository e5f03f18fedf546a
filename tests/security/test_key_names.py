"""A key's name is the user's label, not a kind of caller: a session opened with a key named like the
device's own callers ("local", "api_key") still ends when that key is revoked."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer
from tests.security.test_keys import create_key
from tests.test_cli import tandem

UI = {"X-Tandem-UI": "1"}


@pytest.mark.parametrize("name", ["local", "api_key"])
def test_a_session_ends_with_its_key_whatever_its_name(server: LiveServer, home: Path, name: str) -> None:
    key = create_key(home, name, "assistant")
    create_key(home, "phone", "assistant")  # still a key after this one is revoked: no keyless loopback caller
    with httpx.Client(base_url=server.url, timeout=60) as page:
        assert page.post("/api/ui/session", json={"key": key}, headers=UI).status_code == 200
        assert page.get("/api/ui/tasks").status_code == 200
        assert tandem("keys", "revoke", name, home=home).returncode == 0
        assert page.get("/api/ui/tasks").status_code == 401
