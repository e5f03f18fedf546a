"""Reference partner: event tickets (search events, seat availability, hold, buy, refund).

EU: "Rangplatz Tickets" (Berlin, Munich, EUR). CN: "票根网" (Beijing, Hangzhou, Shanghai, CNY).
A hold reserves seats for ``HOLD_MINUTES``; buying turns a hold, or free seats of an event, into an order; an event
that has begun (by ``Options.clock``) is neither listed, held nor sold. Seat state changes happen in one BEGIN
IMMEDIATE transaction each, so a seat is never sold twice.

    python -m tandem.partners.tickets --region CN
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP

from tandem.partners.server import Options, Variant, city_key, load_data, offload, partner_main
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError

__all__ = ["HOLD_MINUTES", "VARIANTS", "build", "main", "open_store"]

VARIANTS = {
    "EU": Variant("EU", "rangplatz.tickets", "Rangplatz Tickets", "EUR", ("Berlin", "Munich")),
    "CN": Variant("CN", "piaogen.tickets", "票根网", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
}
HOLD_MINUTES = 10

MIGRATIONS = [
    """
CREATE TABLE events (id TEXT PRIMARY KEY, city TEXT NOT NULL, venue TEXT NOT NULL, title TEXT NOT NULL,
                     kind TEXT NOT NULL, starts_at TEXT NOT NULL);
CREATE TABLE orders (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id), holder TEXT NOT NULL,
                     total REAL NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
                     created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE seats (event_id TEXT NOT NULL REFERENCES events(id), section TEXT NOT NULL, seat TEXT NOT NULL,
                    price REAL NOT NULL, hold_id TEXT, hold_until REAL, order_id TEXT REFERENCES orders(id),
                    PRIMARY KEY (event_id, seat));
CREATE INDEX seats_by_hold ON seats (hold_id)
""" + ";\n" + IDEMPOTENCY_TABLE,
]


def _seed(variant: Variant) -> Any:
    def seed(conn: sqlite3.Connection) -> None:
        data = load_data("events.json")
        venues = {v["id"]: v for v in data["venues"] if v["city"] in variant.cities}
        for event in (e for e in data["events"] if e["venue"] in venues):
            venue = venues[event["venue"]]
            day = dt.date.today() + dt.timedelta(days=event["day_offset"])
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                         (event["id"], venue["city"], venue["name"], event["title"], event["kind"],
                          f"{day:%Y-%m-%d} {event['time']}"))
            for section in venue["sections"]:
                conn.executemany(
                    "INSERT INTO seats (event_id, section, seat, price) VALUES (?, ?, ?, ?)",
                    [(event["id"], section["name"], f"{section['name']}-{r + 1}-{c + 1}", section["price"])
                     for r in range(section["rows"]) for c in range(section["seats_per_row"])])
    return seed


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS, _seed(variant))


def _release_expired(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE seats SET hold_id = NULL, hold_until = NULL WHERE hold_id IS NOT NULL AND hold_until < ?",
                 (time.time(),))


def _pick(conn: sqlite3.Connection, event_id: str, seats: list[str], count: int, section: str | None) -> list[str]:
    if seats:
        return seats
    sql = "SELECT seat FROM seats WHERE event_id = ? AND order_id IS NULL AND hold_id IS NULL"
    params: list[Any] = [event_id]
    if section:
        sql += " AND section = ?"
        params.append(section)
    found = [r[0] for r in conn.execute(sql + " ORDER BY rowid LIMIT ?", (*params, count))]
    if len(found) < count:
        raise ToolError(f"not enough free seats: {len(found)} left")
    return found


def _upcoming(conn: sqlite3.Connection, event_id: str, now: str) -> None:
    """A ToolError unless the event exists and has not begun (by the partner's clock): a begun event is not sold."""
    event = conn.execute("SELECT starts_at FROM events WHERE id = ?", (event_id,)).fetchone()
    if event is None:
        raise ToolError(f"unknown event {event_id!r}")
    if event["starts_at"] <= now:
        raise ToolError(f"event {event_id} began at {event['starts_at']}: choose a later event")


def _hold(store: PartnerStore, options: Options, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        _release_expired(conn)
        _upcoming(conn, request["event_id"], options.now())
        seats = _pick(conn, request["event_id"], request["seats"], request["count"], request["section"])
        hold_id, until = f"H-{uuid.uuid4().hex[:10].upper()}", time.time() + HOLD_MINUTES * 60
        marks = ",".join("?" * len(seats))
        cur = conn.execute(f"UPDATE seats SET hold_id = ?, hold_until = ? WHERE event_id = ? AND seat IN ({marks}) "
                           "AND order_id IS NULL AND hold_id IS NULL", (hold_id, until, request["event_id"], *seats))
        if cur.rowcount != len(seats):
            raise ToolError(f"seats no longer available: {', '.join(seats)}")
        return {"hold_id": hold_id, "event_id": request["event_id"], "seats": seats,
                "expires_at": dt.datetime.fromtimestamp(until, dt.UTC).isoformat(timespec="seconds")}

    return store.idempotent(request.pop("idempotency_key"), "hold_seats", request, effect)


def _held(conn: sqlite3.Connection, request: dict[str, Any]) -> str:
    """The hold to buy: the one named, or a hold made here on ``count`` free seats of the event."""
    if request.get("hold_id"):
        return str(request["hold_id"])
    if conn.execute("SELECT 1 FROM events WHERE id = ?", (request["event_id"],)).fetchone() is None:
        raise ToolError(f"unknown event {request['event_id']!r}")
    seats = _pick(conn, request["event_id"], [], request["count"], request["section"])
    hold_id, marks = f"H-{uuid.uuid4().hex[:10].upper()}", ",".join("?" * len(seats))
    conn.execute(f"UPDATE seats SET hold_id = ?, hold_until = ? WHERE event_id = ? AND seat IN ({marks})",
                 (hold_id, time.time() + 60, request["event_id"], *seats))
    return hold_id


def _buy(store: PartnerStore, variant: Variant, options: Options, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        _release_expired(conn)
        hold_id = _held(conn, request)
        rows = conn.execute("SELECT event_id, seat, price FROM seats WHERE hold_id = ? AND order_id IS NULL",
                            (hold_id,)).fetchall()
        if not rows:
            raise ToolError(f"hold {hold_id!r} is unknown, expired or already bought")
        _upcoming(conn, rows[0]["event_id"], options.now())  # held before it began, bought after: not sold
        order_id = f"TIX-{uuid.uuid4().hex[:10].upper()}"
        total = round(sum(r["price"] for r in rows), 2)
        conn.execute("INSERT INTO orders (id, event_id, holder, total, currency, status) VALUES (?, ?, ?, ?, ?, ?)",
                     (order_id, rows[0]["event_id"], request["holder_name"], total, variant.currency, "confirmed"))
        if options.payment_latency_s:
            time.sleep(options.payment_latency_s)
        conn.execute("UPDATE seats SET order_id = ?, hold_id = NULL, hold_until = NULL WHERE hold_id = ?",
                     (order_id, hold_id))
        return {"order_id": order_id, "event_id": rows[0]["event_id"], "seats": [r["seat"] for r in rows],
                "total": total, "currency": variant.currency, "status": "confirmed"}

    return store.idempotent(request.pop("idempotency_key"), "buy_tickets", request, effect)


def _refund(store: PartnerStore, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        order = conn.execute("SELECT * FROM orders WHERE id = ?", (request["order_id"],)).fetchone()
        if order is None or order["status"] != "confirmed":
            raise ToolError(f"order {request['order_id']!r} is unknown or not refundable")
        conn.execute("UPDATE orders SET status = 'refunded' WHERE id = ?", (request["order_id"],))
        conn.execute("UPDATE seats SET order_id = NULL WHERE order_id = ?", (request["order_id"],))
        return {"order_id": order["id"], "status": "refunded", "refunded": order["total"],
                "currency": order["currency"]}

    return store.idempotent(request.pop("idempotency_key"), "refund", request, effect)


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The event-ticket MCP server for one regional variant."""
    mcp = options.server(variant, f"{variant.partner}: concerts, theatre and comedy in {', '.join(variant.cities)}. "
                                  "Hold seats first, then buy the hold.")

    @mcp.tool()
    def search_events(city: str, query: str | None = None, kind: str | None = None,
                      date: str | None = None) -> list[dict[str, Any]]:
        """Upcoming events in a city; filter by words in the title, kind (concert, theatre, comedy) or date."""
        sql = ("SELECT e.*, (SELECT MIN(price) FROM seats s WHERE s.event_id = e.id) AS price_from "
               "FROM events e WHERE city = ? AND starts_at >= ?")
        params: list[Any] = [city_key(city, variant), options.now()]
        for clause, value in (("title LIKE ?", f"%{query}%" if query else None), ("kind = ?", kind),
                              ("starts_at LIKE ?", f"{date}%" if date else None)):
            if value:
                sql += f" AND {clause}"
                params.append(value)
        return [{**r, "currency": variant.currency} for r in store.rows(sql + " ORDER BY starts_at", tuple(params))]

    @mcp.tool()
    def seat_availability(event_id: str) -> dict[str, Any]:
        """Free seats per section with prices (held and sold seats are not free)."""
        rows = store.rows("SELECT section, price, seat FROM seats WHERE event_id = ? AND order_id IS NULL AND "
                          "(hold_id IS NULL OR hold_until < ?) ORDER BY rowid", (event_id, time.time()))
        sections: dict[str, dict[str, Any]] = {}
        for r in rows:
            entry = sections.setdefault(r["section"], {"section": r["section"], "price": r["price"], "free": []})
            entry["free"].append(r["seat"])
        return {"event_id": event_id, "currency": variant.currency, "sections": list(sections.values())}

    _sale_tools(mcp, variant, store, options)
    return mcp


def _sale_tools(mcp: FastMCP, variant: Variant, store: PartnerStore, options: Options) -> None:
    """Tools that hold, sell and refund seats."""

    @mcp.tool()
    async def hold_seats(event_id: str, idempotency_key: str, seats: list[str] | None = None, count: int = 1,
                         section: str | None = None) -> dict[str, Any]:
        """Reserve seats for 10 minutes (the named seats, or ``count`` free seats, optionally in a section)."""
        if not 1 <= (len(seats) if seats else count) <= 10:
            raise ToolError("between 1 and 10 seats per hold")
        request = {"event_id": event_id, "seats": sorted(seats or []), "count": len(seats) if seats else count,
                   "section": section, "idempotency_key": idempotency_key}
        return await offload(_hold, store, options, request)

    @mcp.tool()
    async def buy_tickets(holder_name: str, payment_token: str, idempotency_key: str, hold_id: str | None = None,
                          event_id: str | None = None, count: int = 1, section: str | None = None) -> dict[str, Any]:
        """Buy the seats of a hold, or ``count`` free seats of an event (optionally in a section), charging the
        payment token. The same key never buys twice."""
        if not payment_token.strip():
            raise ToolError("payment_token is required")
        if not hold_id and not event_id:
            raise ToolError("name a hold_id, or an event_id and a count")
        if not hold_id and not 1 <= count <= 10:
            raise ToolError("between 1 and 10 seats per purchase")
        request = {"hold_id": hold_id, "event_id": event_id, "count": count, "section": section,
                   "holder_name": holder_name, "idempotency_key": idempotency_key}
        return await offload(_buy, store, variant, options, request)

    @mcp.tool()
    async def refund(order_id: str, idempotency_key: str) -> dict[str, Any]:
        """Refund a ticket order in full; its seats become free again."""
        return await offload(_refund, store, {"order_id": order_id, "idempotency_key": idempotency_key})

    @mcp.tool()
    def get_order(order_id: str) -> dict[str, Any]:
        """A ticket order with its seats."""
        order = store.row("SELECT * FROM orders WHERE id = ?", (order_id,))
        if order is None:
            raise ToolError(f"unknown order {order_id!r}")
        seats = store.rows("SELECT seat FROM seats WHERE order_id = ?", (order_id,))
        return {**order, "seats": [s["seat"] for s in seats]}


def main(argv: list[str] | None = None) -> None:
    partner_main("tickets", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
