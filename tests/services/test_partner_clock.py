"""The ticket partners sell only what has not begun by their own clock (``Options.clock``; review32 R32-6): the cinema
listed a day asked for from its start and sold a showing that had begun, which it then refused to cancel; the event
partner held and sold seats of an event that had begun."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from tandem.partners import cinema, tickets
from tandem.partners.server import Options
from tests.services.test_partners import call, call_error

pytestmark = pytest.mark.anyio


class _Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


async def _serve(module: Any, tmp_path: Path, clock: _Clock) -> Any:
    variant = module.VARIANTS["EU"]
    store = module.open_store(tmp_path / f"{variant.service_id}.db", variant)
    return store, module.build(variant, store, Options(clock=clock))


async def test_the_cinema_neither_lists_nor_sells_a_showing_that_has_begun(tmp_path: Path) -> None:
    today = dt.date.today()
    clock = _Clock(dt.datetime.combine(today, dt.time(19, 55)))
    store, server = await _serve(cinema, tmp_path, clock)
    try:
        async with create_connected_server_and_client_session(server._mcp_server) as s:
            shows = await call(s, "showtimes", city="Berlin", date=today.isoformat())
            eight = next(x for x in shows if x["starts_at"] == f"{today} 20:00")
            clock.at = dt.datetime.combine(today, dt.time(20, 15))
            later = await call(s, "showtimes", city="Berlin", date=today.isoformat())
            assert later and min(x["starts_at"] for x in later) > f"{today} 20:15"
            refused = await call_error(s, "buy_tickets", showtime_id=eight["showtime_id"], count=2, holder_name="Ada",
                                       payment_token="tok", idempotency_key="k1")
            assert "began" in refused
            assert (await call(s, "seat_map", showtime_id=eight["showtime_id"]))["sold"] == []
            tomorrow = await call(s, "showtimes", city="Berlin", date=(today + dt.timedelta(days=1)).isoformat())
            assert min(x["starts_at"] for x in tomorrow) < f"{today + dt.timedelta(days=1)} 20:15"  # a day ahead: all
    finally:
        store.close()


async def test_the_event_partner_neither_holds_nor_sells_an_event_that_has_begun(tmp_path: Path) -> None:
    clock = _Clock(dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
    store, server = await _serve(tickets, tmp_path, clock)
    try:
        async with create_connected_server_and_client_session(server._mcp_server) as s:
            event = (await call(s, "search_events", city="Berlin"))[0]
            hold = await call(s, "hold_seats", event_id=event["id"], count=2, idempotency_key="h1")
            clock.at = dt.datetime.fromisoformat(event["starts_at"]) + dt.timedelta(minutes=5)
            assert event["id"] not in {e["id"] for e in await call(s, "search_events", city="Berlin")}
            for n, (tool, arguments) in enumerate((("buy_tickets", {"hold_id": hold["hold_id"]}),
                                                   ("buy_tickets", {"event_id": event["id"], "count": 1}),
                                                   ("hold_seats", {"event_id": event["id"], "count": 1}))):
                extra = {"holder_name": "Ada", "payment_token": "tok"} if tool == "buy_tickets" else {}
                assert "began" in await call_error(s, tool, **arguments, **extra, idempotency_key=f"k{n}")
            assert store.rows("SELECT id FROM orders") == []
    finally:
        store.close()
