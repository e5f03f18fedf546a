"""Inventory under contention: 200 parallel purchases for 100 seats, across four partner processes that
share one database. Exactly 100 succeed and no seat is sold twice."""

from __future__ import annotations

import sqlite3
import time
from contextlib import AsyncExitStack
from pathlib import Path

import anyio
import pytest

from tests.services.conftest import mcp_session, partner_params

pytestmark = pytest.mark.anyio

PROCESSES, BUYERS = 4, 200


async def test_200_parallel_purchases_for_100_seats(tmp_path: Path) -> None:
    db = tmp_path / "cinema.db"
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(mcp_session(partner_params("cinema", "EU", db)))
        sessions = [first] + [await stack.enter_async_context(mcp_session(partner_params("cinema", "EU", db)))
                              for _ in range(PROCESSES - 1)]
        shows = (await first.call_tool("showtimes", {"city": "Berlin", "cinema_id": "lsp-alex"})).structuredContent
        assert shows is not None
        show = next(s for s in shows["result"] if s["hall"] == "Saal 2" and s["free_seats"] == 100)
        outcomes: list[bool] = []

        async def buy(n: int) -> None:
            result = await sessions[n % PROCESSES].call_tool("buy_tickets", {
                "showtime_id": show["showtime_id"], "holder_name": f"buyer {n}", "payment_token": "tok",
                "idempotency_key": f"buyer-{n}", "count": 1})
            outcomes.append(not result.isError)
            if result.isError:
                assert "sold out" in result.content[0].text  # type: ignore[union-attr]

        started = time.monotonic()
        async with anyio.create_task_group() as group:
            for n in range(BUYERS):
                group.start_soon(buy, n)
        elapsed = time.monotonic() - started

    assert outcomes.count(True) == 100 and outcomes.count(False) == 100, elapsed
    conn = sqlite3.connect(db)
    sold = conn.execute("SELECT seat, order_id FROM seats WHERE showtime_id = ? AND order_id IS NOT NULL",
                        (show["showtime_id"],)).fetchall()
    assert len(sold) == len({seat for seat, _ in sold}) == 100
    assert len({order for _, order in sold}) == 100  # one seat per order, no seat in two orders
    orders = conn.execute("SELECT COUNT(*) FROM orders WHERE showtime_id = ?", (show["showtime_id"],)).fetchone()
    assert orders[0] == 100
    assert conn.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0] == 100


async def test_same_key_in_parallel_from_two_processes_gives_one_order(tmp_path: Path) -> None:
    db = tmp_path / "food.db"
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(mcp_session(partner_params("food", "CN", db)))
        second = await stack.enter_async_context(mcp_session(partner_params("food", "CN", db)))
        menu = (await first.call_tool("menu", {"restaurant_id": "sh-r000"})).structuredContent
        assert menu is not None
        order = {"restaurant_id": "sh-r000", "items": [{"dish_id": menu["result"][0]["dish_id"], "quantity": 1}],
                 "address": "南京东路 1 号", "phone": "138", "name": "李雷", "payment_token": "tok",
                 "idempotency_key": "one-tap"}
        ids: list[str] = []

        async def place(n: int) -> None:
            result = await (first, second)[n % 2].call_tool("place_order", order)
            assert not result.isError and result.structuredContent is not None
            ids.append(result.structuredContent["order_id"])

        async with anyio.create_task_group() as group:
            for n in range(20):
                group.start_soon(place, n)
    assert len(ids) == 20 and len(set(ids)) == 1
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 1
