"""``tandem privacy erase`` while ``tandem serve`` runs and API keys exist (issue 13).

Once any key exists every API request needs one, also from loopback; the CLI erases through the running
server (it holds the stores open) but had no key, so the user could not erase at all while the server
ran. The server now leaves a local token for the CLI of the user who owns ``TANDEM_HOME`` (mode 0600):
it holds every scope (its reader can change every file under the home anyway), from this device only.
"""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tandem.api.auth import Caller, Keys, Sessions, caller_of
from tandem.config import Settings, load_settings
from tandem.keys import SCOPES, read_local_token
from tandem.privacy.erase import running_server
from tests.agent.conftest import write_profile
from tests.agent.serve_flows import Serve
from tests.privacy.test_erase import tandem
from tests.security.test_keys import bearer, create_key


def test_the_cli_erases_through_a_server_that_needs_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_API_KEY", raising=False)
    write_profile(home, "DE")
    admin = create_key(home, "everything", "all")
    serve = Serve(home)
    serve.start()
    try:
        assert httpx.get(f"{serve.url}/v1/privacy/ledger", timeout=30).status_code == 401  # keys exist
        token = read_local_token(home)
        assert token is not None
        path = home / "keys" / "local.token"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        with httpx.Client(base_url=serve.url, timeout=60, headers=bearer(token)) as local:
            assert local.get("/v1/privacy/ledger").status_code == 200
            for method, path_ in [("GET", "/v1/profile"), ("GET", "/v1/assistant/tasks"), ("GET", "/metrics"),
                                  ("GET", "/v1/models")]:  # the token is the owner's CLI: every scope
                assert local.request(method, path_).status_code == 200, path_
            assert local.post("/v1/assistant/confirmations/c-12345678/confirm").status_code == 404  # none such
        done = tandem(home, "privacy", "erase", "--yes")
        assert done.returncode == 0, done.stderr
        assert "through the server" in done.stdout and not (home / "profile.toml").exists()
        assert httpx.get(f"{serve.url}/v1/profile", headers=bearer(admin), timeout=30).status_code == 200
    finally:
        serve.stop()
    assert running_server(home) is None


def _scope(client: str, token: str) -> dict[str, object]:
    return {"type": "http", "path": "/v1/privacy/data", "client": (client, 50000),
            "headers": [(b"host", b"127.0.0.1:8700"), (b"authorization", f"Bearer {token}".encode())]}


def test_the_local_token_counts_on_this_device_only(home: Path) -> None:
    settings: Settings = replace(load_settings(), home=home)
    keys = Keys(settings)
    assert keys.local is not None and keys.local == read_local_token(home)
    assert Keys(settings).local == keys.local  # a second server on the same home shares it
    create_key(home, "phone", "assistant")
    here = caller_of(_scope("127.0.0.1", keys.local), keys, Sessions())
    assert isinstance(here, Caller) and here.scopes == frozenset(SCOPES)
    assert caller_of(_scope("192.0.2.7", keys.local), keys, Sessions()) == "invalid API key"
    keys.close()
