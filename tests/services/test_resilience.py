"""A partner dies mid-call: the hub marks it down in the registry, nothing is half-written in its
database, and it comes back when it restarts (stdio: on the next call; HTTP: when the server is back)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from tandem.config import load_settings
from tandem.errors import ServiceUnavailable
from tandem.partners import MANIFEST_DIR
from tandem.services.hub import ServiceHub
from tandem.services.manifest import parse_manifest
from tandem.services.registry import ServiceRegistry
from tests.services.conftest import HttpPartner, children, kill

pytestmark = pytest.mark.anyio


def cinema_manifest(transport: dict[str, Any], service_id: str = "test.cinema") -> Any:
    import tomllib

    doc = tomllib.loads((MANIFEST_DIR / "lichtspiel.cinema.toml").read_text())
    doc.update(id=service_id, transport=transport)
    return parse_manifest(doc)


def assert_consistent(db: Path) -> int:
    """Every order has its seats and every sold seat belongs to a complete order; returns the order count."""
    conn = sqlite3.connect(db)
    orders = conn.execute("SELECT id, seats, total FROM orders").fetchall()
    for order_id, seats, total in orders:
        rows = {r[0] for r in conn.execute("SELECT seat FROM seats WHERE order_id = ?", (order_id,))}
        assert seats and rows == set(json.loads(seats)) and total > 0, order_id
    orphans = conn.execute("SELECT COUNT(*) FROM seats WHERE order_id IS NOT NULL AND order_id NOT IN "
                           "(SELECT id FROM orders)").fetchone()[0]
    assert orphans == 0
    assert conn.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0] == len(orders)
    return len(orders)


def data_dir(tmp_path: Path) -> Path:
    """Where a test partner's database goes: a directory of its own, since a sandboxed partner may write
    only where its command points, and never beside TANDEM_HOME (tmp_path holds the test's home)."""
    (tmp_path / "partner-data").mkdir(exist_ok=True)
    return tmp_path / "partner-data"


async def first_showtime(hub: ServiceHub, service: str) -> str:
    shows = await hub.call(f"{service}/showtimes", {"city": "Berlin", "cinema_id": "lsp-pots"})
    return str(shows.data[0]["showtime_id"])


async def test_stdio_partner_killed_mid_purchase(home: Path, tmp_path: Path) -> None:
    db = data_dir(tmp_path) / "cinema.db"
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 20, "command": [
        sys.executable, "-m", "tandem.partners.cinema", "--region", "EU", "--db", str(db),
        "--payment-latency-ms", "400"]}), "test")
    async with ServiceHub(registry, region="DE") as hub:
        showtime = await first_showtime(hub, "test.cinema")
        (pid,) = children(str(db))
        results: dict[int, Any] = {}

        async def buy(n: int) -> None:
            try:
                results[n] = await hub.call("test_cinema__buy_tickets", {
                    "showtime_id": showtime, "holder_name": "Ada", "payment_token": "tok",
                    "idempotency_key": f"k{n}", "count": 2})
            except ServiceUnavailable as exc:
                results[n] = exc

        async with anyio.create_task_group() as group:
            for n in range(4):
                group.start_soon(buy, n)
            await anyio.sleep(0.6)  # the first purchase is committed, the second is inside its transaction
            kill(pid)

        failed = [n for n, r in results.items() if isinstance(r, ServiceUnavailable)]
        assert failed, "the kill should interrupt at least one purchase"
        health = registry.get("test.cinema").health
        assert health is not None and not health.healthy and "test.cinema" in (health.error or "")
        # A purchase may have committed just before the kill without its answer arriving: that is what the
        # idempotency key is for. Everything in the database is whole either way.
        assert 4 - len(failed) <= assert_consistent(db) <= 4

        # The next call starts a fresh server process; retrying with the same keys never doubles an order.
        for n in failed:
            assert (await hub.call("test.cinema/buy_tickets", {
                "showtime_id": showtime, "holder_name": "Ada", "payment_token": "tok", "idempotency_key": f"k{n}",
                "count": 2})).ok
        assert hub.connection(registry.get("test.cinema").manifest).starts == 2
        assert registry.get("test.cinema").health.healthy  # type: ignore[union-attr]
    assert assert_consistent(db) == 4


async def test_http_partner_down_and_back(home: Path, tmp_path: Path, http_partner: Any) -> None:
    partner: HttpPartner = http_partner("cinema", "EU")
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add_manifest(cinema_manifest({"type": "http", "url": partner.url, "timeout_s": 5}), partner.url)
    async with ServiceHub(registry, region="DE") as hub:
        assert (await hub.check())["test.cinema"].healthy
        showtime = await first_showtime(hub, "test.cinema")
        partner.kill()
        with pytest.raises(ServiceUnavailable):
            await hub.call("test.cinema/seat_map", {"showtime_id": showtime})
        assert not registry.get("test.cinema").health.healthy  # type: ignore[union-attr]
        assert not (await hub.check())["test.cinema"].healthy
        assert await hub.tools() == []  # a dead partner is left out, not fatal
        partner.start()
        assert (await hub.check())["test.cinema"].healthy
        assert (await hub.call("test.cinema/seat_map", {"showtime_id": showtime})).ok


async def test_slow_partner_times_out_and_a_retry_does_not_double(home: Path, tmp_path: Path) -> None:
    """A timeout is ambiguous (the partner may still finish the order); the idempotency key makes the
    retry safe."""
    db = data_dir(tmp_path) / "cinema.db"
    command = [sys.executable, "-m", "tandem.partners.cinema", "--region", "EU", "--db", str(db)]
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 6, "command": [
        *command, "--payment-latency-ms", "9000"]}), "test")
    async with ServiceHub(registry, region="DE") as hub:
        showtime = await first_showtime(hub, "test.cinema")
        (hung,) = children(str(db))
        with pytest.raises(ServiceUnavailable, match="timed out"):
            await hub.call("test.cinema/buy_tickets", {"showtime_id": showtime, "holder_name": "Ada",
                                                        "payment_token": "tok", "idempotency_key": "slow"})
        assert not registry.get("test.cinema").health.healthy  # type: ignore[union-attr]
        with anyio.fail_after(60):  # the hung server is stopped (its transaction rolled back or committed)
            while hung in children(str(db)):
                await anyio.sleep(0.1)
        assert assert_consistent(db) <= 1
        # The partner fixed its payment provider (a new manifest, so the hub opens a new connection).
        registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 6, "command": command}), "test")
        retry = await hub.call("test.cinema/buy_tickets", {"showtime_id": showtime, "holder_name": "Ada",
                                                            "payment_token": "tok", "idempotency_key": "slow"})
        assert retry.ok
    assert assert_consistent(db) == 1


async def test_add_by_mcp_endpoint_url(home: Path, http_partner: Any) -> None:
    """An HTTP partner publishes its manifest next to its endpoint; the URL given becomes the transport."""
    partner: HttpPartner = http_partner("food", "CN")
    registry = ServiceRegistry(load_settings(), builtins=False)
    record = registry.add(partner.url)
    assert record.id == "kuaisong.food" and record.manifest.transport.url == partner.url
    assert record.manifest.transport.type == "http"
    async with ServiceHub(registry, region="CN") as hub:
        assert (await hub.check())["kuaisong.food"].healthy
        assert (await hub.call("kuaisong.food/search_restaurants", {"city": "上海"})).data


async def test_stdio_partner_that_died_while_idle_is_restarted_by_the_next_call(home: Path, tmp_path: Path) -> None:
    registry = ServiceRegistry(load_settings(), builtins=False)
    db = data_dir(tmp_path) / "c.db"
    registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 90, "command": [
        sys.executable, "-m", "tandem.partners.cinema", "--region", "EU", "--db", str(db)]}), "test")
    async with ServiceHub(registry, region="DE") as hub:
        showtime = await first_showtime(hub, "test.cinema")
        connection = hub.connection(registry.get("test.cinema").manifest)
        (pid,) = children(str(db))
        kill(pid)
        with anyio.fail_after(30):
            while connection.alive:  # noticed from the closed stream, without any request
                await anyio.sleep(0.05)
        with anyio.fail_after(45):  # a restart, not waiting out the 90 s request timeout
            assert (await hub.call("test.cinema/seat_map", {"showtime_id": showtime})).ok
        assert connection.starts == 2


async def test_a_server_that_fails_to_start_is_retried_with_back_off(home: Path, tmp_path: Path) -> None:
    marker = data_dir(tmp_path) / "starts"
    crash = "import sys; open(sys.argv[1], 'a').write('x'); raise SystemExit(3)"
    registry = ServiceRegistry(load_settings(), builtins=False)
    command = [sys.executable, "-c", crash, str(marker)]
    registry.add_manifest(cinema_manifest({"type": "stdio", "command": command}), "test")
    async with ServiceHub(registry, region="DE") as hub:
        with pytest.raises(ServiceUnavailable, match="did not start"):
            await hub.call("test.cinema/list_films", {})
        with pytest.raises(ServiceUnavailable, match="next start attempt"):
            await hub.call("test.cinema/list_films", {})
        assert await hub.tools() == []
        assert marker.read_text() == "x"  # one launch, not three
        assert not (await hub.check())["test.cinema"].healthy  # an explicit check tries again
        assert marker.read_text() == "xx"
        assert "did not start" in (registry.get("test.cinema").health.error or "")  # type: ignore[union-attr]


async def test_bearer_auth_from_the_manifest(home: Path, http_partner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_PARTNER_RANGPLATZ_TICKETS_TOKEN", "s3cret")
    partner: HttpPartner = http_partner("tickets", "EU", "--token-env", "TANDEM_PARTNER_RANGPLATZ_TICKETS_TOKEN")
    assert httpx.post(partner.url, json={}).status_code == 401  # no token, no MCP
    registry = ServiceRegistry(load_settings(), builtins=False)
    record = registry.add(partner.url)  # the published manifest is public and declares the bearer auth
    assert record.manifest.auth_token_env == "TANDEM_PARTNER_RANGPLATZ_TICKETS_TOKEN"
    async with ServiceHub(registry, region="DE") as hub:
        assert (await hub.check())["rangplatz.tickets"].healthy
    monkeypatch.setenv("TANDEM_PARTNER_RANGPLATZ_TICKETS_TOKEN", "wrong")
    async with ServiceHub(registry, region="DE") as hub:
        health = (await hub.check())["rangplatz.tickets"]
        assert not health.healthy and "401" in (health.error or "")
