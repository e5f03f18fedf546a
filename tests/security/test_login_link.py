"""The web app's link (issue 13): its login code opens one web session, within ``LINK_TTL_S``, and
``tandem keys link --rotate`` makes every earlier link, and the sessions opened with them, stop working, also
on a running server. Before, the code was a fixed HMAC of the local token: it never expired, opened any
number of sessions, and could not be changed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tandem.api.auth import Keys
from tandem.config import Settings
from tandem.keys import LINK_TTL_S, SCOPES, login_code
from tandem.models.registry import ModelRegistry
from tests.test_cli import tandem

UI = {"X-Tandem-UI": "1"}
_CODE = re.compile(r"#login=(tw-[\w-]+)$")


@pytest.fixture
def http(tiny_registry: ModelRegistry) -> Iterator[httpx.Client]:
    from starlette.testclient import TestClient

    from tandem.api.app import create_app

    with TestClient(create_app(tiny_registry), base_url="http://127.0.0.1:8700", client=("127.0.0.1", 50000)) as c:
        yield c


def _open(http: httpx.Client, code: str) -> httpx.Response:
    http.cookies.clear()
    return http.post("/api/ui/session", json={"key": code}, headers=UI)


def _spent(answer: httpx.Response) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]["type"] == "authentication_error"
    assert "tandem keys link" in answer.json()["error"]["message"]  # says how to get a new one


def _link(home: Path, *args: str) -> str:
    done = tandem("keys", "link", *args, home=home)
    assert done.returncode == 0, done.stderr
    found = _CODE.search(done.stdout.strip())
    assert found, done.stdout
    return found.group(1)


def test_a_login_code_opens_one_session(http: httpx.Client, home: Path) -> None:
    code = login_code(home)
    opened = _open(http, code)
    assert opened.status_code == 200 and opened.json()["scopes"] == sorted(SCOPES), opened.text
    assert http.get("/v1/privacy/ledger").status_code == 200  # the session holds every scope
    _spent(_open(http, code))  # a second browser (or whoever read the link) gets nothing
    assert http.get("/v1/privacy/ledger").status_code == 403  # without the cookie: a keyless caller


def test_a_login_code_expires(http: httpx.Client, home: Path) -> None:
    old = login_code(home, now=time.time() - LINK_TTL_S - 1)
    _spent(_open(http, old))
    expires, rest = old[3:].split("-", 1)  # a later expiry written into the code breaks its signature
    _spent(_open(http, f"tw-{int(expires, 16) + 2 * LINK_TTL_S:x}-{rest}"))
    short = _link(home, "--minutes", "1")
    assert _open(http, short).status_code == 200


def test_rotating_ends_earlier_links_and_their_sessions(http: httpx.Client, home: Path) -> None:
    first, unused = _link(home), _link(home)
    assert first != unused  # every link is new
    assert _open(http, first).status_code == 200
    assert http.get("/v1/privacy/ledger").status_code == 200
    fresh = _link(home, "--rotate")  # the running server sees the new secret at once
    refused = http.get("/v1/privacy/ledger")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_scope"
    _spent(_open(http, unused))
    assert _open(http, fresh).status_code == 200
    assert http.get("/v1/privacy/ledger").status_code == 200


def test_a_long_lived_code_stays_used_until_it_expires(home: Path, tiny_settings: Settings) -> None:
    """A link made with ``--minutes 600`` is still refused a second time hours later, also by a restarted
    server or another one on the same home (a used code is kept in ``keys/link.used`` until its own expiry)."""
    keys, restarted = Keys(tiny_settings), Keys(tiny_settings)
    try:
        start = time.time()
        code, other = login_code(home, ttl_s=10 * 3600, now=start), login_code(home, now=start)
        assert keys.login(code, now=start + 1) is not None
        for later in (start + 2, start + LINK_TTL_S + 60, start + 9 * 3600):
            assert keys.login(code, now=later) is None and restarted.login(code, now=later) is None
        assert keys.login(code, now=start + 10 * 3600 + 1) is None  # and then it has expired
        assert restarted.login(other, now=start + 3) is not None  # another code is not affected
    finally:
        keys.close()
        restarted.close()


def test_a_flood_of_keyless_sessions_neither_grows_nor_ends_the_users(http: httpx.Client, home: Path) -> None:
    assert _open(http, login_code(home)).status_code == 200
    mine = dict(http.cookies)
    for _ in range(200):  # any local process may open keyless sessions in a loop
        http.cookies.clear()
        assert http.post("/api/ui/session", json={}, headers=UI).status_code == 200
    sessions = http.app.state.sessions  # type: ignore[attr-defined]
    assert len(sessions._items) <= sessions.per_caller + 1  # the newest keyless ones, and the user's
    http.cookies.clear()
    http.cookies.update(mine)
    assert http.get("/v1/privacy/ledger").status_code == 200


def test_a_damaged_used_codes_file_still_refuses_what_it_lists(home: Path, tiny_settings: Settings) -> None:
    """``keys/link.used`` with bytes that are no text (a torn write, a disk error) answered every login with a
    500 (UnicodeDecodeError). The readable rows still count; the rest is dropped when the file is written next."""
    keys = Keys(tiny_settings)
    try:
        start = time.time()
        used, fresh = login_code(home, now=start), login_code(home, now=start)
        assert keys.login(used, now=start) is not None
        path = home / "keys" / "link.used"
        path.write_bytes(b"\xff\xfe\x00 torn\n" + path.read_bytes())
        assert keys.login(used, now=start + 1) is None  # still listed as used
        assert keys.login(fresh, now=start + 1) is not None
        assert keys.login(fresh, now=start + 2) is None
    finally:
        keys.close()
