"""API keys with scopes against a running server: keys made with ``tandem keys`` (a real subprocess) and
stored hashed; a ``models`` key cannot confirm, read the ledger or use the assistant; revoking works on a
running server; the web app's session is a cookie bound to its host; with no key only loopback is served."""

from __future__ import annotations

import socket
import stat
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import openai
import pytest
import uvicorn

from tandem.config import Settings
from tandem.keys import SCOPES
from tandem.models.registry import ModelRegistry
from tests.conftest import LiveServer
from tests.test_cli import tandem


def create_key(home: Path, name: str, *scopes: str) -> str:
    done = tandem("keys", "create", name, *[a for s in scopes for a in ("--scope", s)], home=home)
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert key.startswith("tk-") and "only time" in done.stderr
    return key


@pytest.fixture
def keyed(tiny_settings: Settings, home: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    from tandem.api.app import create_app

    keys = {"models": create_key(home, "editor plugin", "models"),
            "privacy": create_key(home, "privacy app", "privacy"),
            "assistant": create_key(home, "phone", "assistant,confirm"),
            "metrics": create_key(home, "prometheus", "metrics"),
            "all": create_key(home, "everything", "all")}
    with LiveServer(create_app(ModelRegistry(tiny_settings))) as server:
        yield server, keys


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_are_stored_hashed(home: Path) -> None:
    key = create_key(home, "app", "models")
    stored = (home / "keys.db").read_bytes()
    assert key.encode() not in stored and key.split("-", 2)[2].encode() not in stored
    assert stat.S_IMODE((home / "keys.db").stat().st_mode) == 0o600
    listed = tandem("keys", "list", home=home)
    assert "app" in listed.stdout and "models" in listed.stdout and key not in listed.stdout
    bad = tandem("keys", "create", "x", "--scope", "root", home=home)
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown or no scope: root")


def test_scopes(keyed: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = keyed
    with httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.get("/v1/models").status_code == 401  # keys exist: loopback alone is not enough
        assert http.get("/v1/models", headers=bearer("tk-000000000000-" + "x" * 43)).status_code == 401
        models = bearer(keys["models"])
        assert http.get("/v1/models", headers=models).status_code == 200
        for method, path in [("POST", "/v1/assistant/confirmations/c-12345678/confirm"),
                             ("POST", "/api/ui/confirmations/c-12345678/confirm"),
                             ("GET", "/v1/privacy/ledger"), ("GET", "/v1/privacy/export"),
                             ("POST", "/v1/memory/erase"), ("GET", "/v1/profile"), ("GET", "/v1/assistant/tasks")]:
            refused = http.request(method, path, headers={**models, "X-Tandem-UI": "1"})
            assert refused.status_code == 403, (path, refused.text)
            assert refused.json()["error"]["code"] == "insufficient_scope"
        privacy = bearer(keys["privacy"])
        assert http.get("/v1/privacy/ledger", headers=privacy).json()["object"] == "list"
        assert http.post("/v1/assistant/confirmations/c-12345678/confirm", headers=privacy).status_code == 403
        confirm = http.post("/v1/assistant/confirmations/c-12345678/confirm", headers=bearer(keys["assistant"]))
        assert confirm.status_code == 404  # allowed through; there is no such confirmation
        assert http.get("/v1/profile", headers=bearer(keys["all"])).status_code == 200


def test_metrics_need_a_metrics_or_admin_key_once_keys_exist(keyed: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = keyed
    with httpx.Client(base_url=server.url, timeout=60) as http:
        http.get("/v1/models", headers=bearer(keys["models"]))  # something for the counters to tell
        assert http.get("/metrics").status_code == 401
        refused = http.get("/metrics", headers=bearer(keys["models"]))
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_scope"
        assert "tandem_http_requests_total" not in refused.text
        scraped = http.get("/metrics", headers=bearer(keys["all"]))
        assert scraped.status_code == 200 and 'path="/v1/models"' in scraped.text
        scraper = bearer(keys["metrics"])  # read-only: the counters and nothing else
        assert http.get("/metrics", headers=scraper).status_code == 200
        for method, path in [("GET", "/v1/models"), ("GET", "/v1/profile"), ("GET", "/v1/privacy/ledger"),
                             ("GET", "/v1/assistant/tasks"), ("POST", "/v1/assistant/confirmations/c-12345678/confirm"),
                             ("GET", "/api/ui/services")]:
            assert http.request(method, path, headers=scraper).status_code == 403, path
        assert http.get("/healthz").status_code == 200  # liveness stays open


def test_models_key_cannot_use_the_assistant_model(keyed: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = keyed
    client = openai.OpenAI(base_url=server.url + "/v1", api_key=keys["models"], max_retries=0)
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="tandem:assistant", messages=[{"role": "user", "content": "yes"}])
    assert "tandem:assistant" in [m.id for m in client.models.list()]


def test_revoked_key_stops_at_once(keyed: tuple[LiveServer, dict[str, str]], home: Path) -> None:
    server, keys = keyed
    assert httpx.get(f"{server.url}/v1/models", headers=bearer(keys["models"])).status_code == 200
    done = tandem("keys", "revoke", "editor plugin", home=home)
    assert done.returncode == 0 and "revoked" in done.stdout
    assert httpx.get(f"{server.url}/v1/models", headers=bearer(keys["models"])).status_code == 401
    assert "revoked" in tandem("keys", "list", home=home).stdout


def test_web_session_is_an_httponly_cookie_bound_to_its_host(keyed: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = keyed
    ui = {"X-Tandem-UI": "1"}
    with httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.post("/api/ui/session", json={}, headers=ui).status_code == 401
        assert http.post("/api/ui/session", json={"key": "wrong"}, headers=ui).status_code == 401
        assert http.get("/api/ui/services").status_code == 401
        opened = http.post("/api/ui/session", json={"key": keys["all"]}, headers=ui)
        assert opened.status_code == 200 and opened.json()["scopes"] == sorted(SCOPES)
        cookie = opened.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        assert keys["all"] not in opened.text
        assert http.get("/api/ui/services").status_code == 200  # the cookie alone is enough now
        token = http.cookies["tandem_session"]
    elsewhere = httpx.get(f"http://localhost:{server.port}/api/ui/services", cookies={"tandem_session": token})
    assert elsewhere.status_code == 401  # a session is valid under the host it was opened for only


def test_api_key_setting_is_a_key_with_every_scope(tiny_settings: Settings) -> None:
    from tandem.api.app import create_app

    with LiveServer(create_app(ModelRegistry(replace(tiny_settings, api_key="s3cret")))) as server:
        assert httpx.get(f"{server.url}/v1/profile").status_code == 401
        assert httpx.get(f"{server.url}/v1/profile", headers=bearer("s3cret")).status_code == 200
        assert httpx.get(f"{server.url}/v1/privacy/ledger", headers=bearer("s3cret")).status_code == 200


def _lan_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent; this picks the outgoing interface
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


class AllInterfaces(LiveServer):
    """The server bound to 0.0.0.0, as ``tandem serve --host 0.0.0.0`` does."""

    def __init__(self, app: object) -> None:
        super().__init__(app)
        self.server = uvicorn.Server(uvicorn.Config(app, host="0.0.0.0", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)


def test_without_keys_only_loopback_is_served(tiny_settings: Settings) -> None:
    from tandem.api.app import create_app

    lan = _lan_address()
    if lan is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with AllInterfaces(create_app(ModelRegistry(replace(tiny_settings, host="0.0.0.0")))) as live:
        assert httpx.get(f"http://127.0.0.1:{live.port}/v1/models", headers=bearer("local")).status_code == 200
        remote = httpx.get(f"http://{lan}:{live.port}/v1/models", headers=bearer("local"))
        assert remote.status_code == 401 and "tandem keys create" in remote.json()["error"]["message"]
        assert httpx.get(f"http://{lan}:{live.port}/healthz").status_code == 200
        assert httpx.get(f"http://{lan}:{live.port}/metrics").status_code == 401
        assert httpx.get(f"http://127.0.0.1:{live.port}/metrics").status_code == 200
