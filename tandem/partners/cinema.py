"""Reference partner: cinema tickets (showtimes by city, cinema and film; seat maps; purchases; cancellations).

EU: "Lichtspiel Kinos" (Berlin, Munich, EUR). CN: "光影影城" (Beijing, Hangzhou, Shanghai, CNY).
Seats are rows in SQLite, each sold at most once: a purchase claims its seats with one conditional
UPDATE inside a BEGIN IMMEDIATE transaction, and fails whole if any seat is gone. Only a showing that has not
begun (by ``Options.clock``) is listed and sold; an order can be cancelled until its showing starts: its seats are
free again and its total is refunded.

    python -m tandem.partners.cinema --region EU [--transport http --port 8801]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP

from tandem.partners.server import Options, Variant, city_key, load_data, offload, partner_main
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError

__all__ = ["VARIANTS", "build", "extend_schedule", "main", "open_store"]

VARIANTS = {
    "EU": Variant("EU", "lichtspiel.cinema", "Lichtspiel Kinos", "EUR", ("Berlin", "Munich")),
    "CN": Variant("CN", "guangying.cinema", "光影影城", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
}
SCHEDULE_DAYS = 7

MIGRATIONS = [
    """
CREATE TABLE cinemas (id TEXT PRIMARY KEY, city TEXT NOT NULL, name TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE halls (cinema_id TEXT NOT NULL REFERENCES cinemas(id), name TEXT NOT NULL, rows INTEGER NOT NULL,
                    seats_per_row INTEGER NOT NULL, PRIMARY KEY (cinema_id, name));
CREATE TABLE films (id TEXT PRIMARY KEY, title TEXT NOT NULL, title_en TEXT NOT NULL, minutes INTEGER, age INTEGER);
CREATE TABLE showtimes (id TEXT PRIMARY KEY, cinema_id TEXT NOT NULL REFERENCES cinemas(id), hall TEXT NOT NULL,
                        film_id TEXT NOT NULL REFERENCES films(id), starts_at TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (id TEXT PRIMARY KEY, showtime_id TEXT NOT NULL REFERENCES showtimes(id), seats TEXT NOT NULL,
                     holder TEXT NOT NULL, total REAL NOT NULL, currency TEXT NOT NULL,
                     created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE seats (showtime_id TEXT NOT NULL REFERENCES showtimes(id), seat TEXT NOT NULL, row_no INTEGER NOT NULL,
                    col_no INTEGER NOT NULL, order_id TEXT REFERENCES orders(id), PRIMARY KEY (showtime_id, seat));
CREATE INDEX showtimes_by_time ON showtimes (starts_at);
""" + ";\n" + IDEMPOTENCY_TABLE,
    "ALTER TABLE orders ADD COLUMN cancelled_at TEXT",
]


def _seat_name(row: int, col: int) -> str:
    return f"{chr(ord('A') + row)}{col + 1}"


def _seed(variant: Variant) -> Any:
    def seed(conn: sqlite3.Connection) -> None:
        data = load_data("cinemas.json")
        lang = "de" if variant.region == "EU" else "zh"
        for film in data["films"]:
            conn.execute("INSERT INTO films VALUES (?, ?, ?, ?, ?)",
                         (film["id"], film["title"][lang], film["title"]["en"], film["minutes"], film["age"]))
        for cinema in (c for c in data["cinemas"] if c["city"] in variant.cities):
            conn.execute("INSERT INTO cinemas VALUES (?, ?, ?, ?)",
                         (cinema["id"], cinema["city"], cinema["name"], cinema["price"]))
            for hall in cinema["halls"]:
                conn.execute("INSERT INTO halls VALUES (?, ?, ?, ?)",
                             (cinema["id"], hall["name"], hall["rows"], hall["seats_per_row"]))
    return seed


def extend_schedule(conn: sqlite3.Connection, start: dt.date) -> int:
    """Add the showtimes (and their seats) of the next ``SCHEDULE_DAYS`` days that do not exist yet.

    Ids are derived from cinema, hall, date and time, so re-running is a no-op; films rotate by a hash
    so the schedule is the same on every machine."""
    data = load_data("cinemas.json")
    premiere = data.get("premiere")
    films = [r[0] for r in conn.execute("SELECT id FROM films ORDER BY id") if not premiere or r[0] != premiere["film"]]
    times = data["times"]
    halls = conn.execute("SELECT h.cinema_id, h.name, h.rows, h.seats_per_row, c.price FROM halls h "
                         "JOIN cinemas c ON c.id = h.cinema_id ORDER BY h.cinema_id, h.name").fetchall()
    added = 0
    for day in (start + dt.timedelta(days=n) for n in range(SCHEDULE_DAYS)):
        for index, (cinema_id, hall, rows, per_row, price) in enumerate(halls):
            for clock in times:
                sid = f"{cinema_id}-{index}-{day:%Y%m%d}-{clock.replace(':', '')}"
                film = films[int(hashlib.sha256(sid.encode()).hexdigest(), 16) % len(films)]
                cur = conn.execute("INSERT OR IGNORE INTO showtimes VALUES (?, ?, ?, ?, ?, ?)",
                                   (sid, cinema_id, hall, film, f"{day:%Y-%m-%d} {clock}", price))
                if cur.rowcount:
                    added += 1
                    conn.executemany("INSERT INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                                     [(sid, _seat_name(r, c), r, c) for r in range(rows) for c in range(per_row)])
    return added + (_schedule_premiere(conn, start, premiere) if premiere else 0)


def _schedule_premiere(conn: sqlite3.Connection, start: dt.date, premiere: dict[str, str]) -> int:
    """The featured film plays daily at a fixed time in the first hall of each city's first cinema."""
    firsts = conn.execute("SELECT c.id, MIN(h.name), c.price FROM cinemas c JOIN halls h ON h.cinema_id = c.id "
                          "WHERE c.id IN (SELECT MIN(id) FROM cinemas GROUP BY city) GROUP BY c.id").fetchall()
    added = 0
    for day in (start + dt.timedelta(days=n) for n in range(SCHEDULE_DAYS)):
        for cinema_id, hall, price in firsts:
            rows, per_row = conn.execute("SELECT rows, seats_per_row FROM halls WHERE cinema_id = ? AND name = ?",
                                         (cinema_id, hall)).fetchone()
            sid = f"{cinema_id}-premiere-{day:%Y%m%d}-{premiere['time'].replace(':', '')}"
            cur = conn.execute("INSERT OR IGNORE INTO showtimes VALUES (?, ?, ?, ?, ?, ?)",
                               (sid, cinema_id, hall, premiere["film"], f"{day:%Y-%m-%d} {premiere['time']}", price))
            if cur.rowcount:
                added += 1
                conn.executemany("INSERT INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                                 [(sid, _seat_name(r, c), r, c) for r in range(rows) for c in range(per_row)])
    return added


def open_store(path: Path, variant: Variant) -> PartnerStore:
    store = PartnerStore(path, MIGRATIONS, _seed(variant))
    with store.write() as conn:
        extend_schedule(conn, dt.date.today())
    return store


def _showtimes(store: PartnerStore, variant: Variant, now: str, city: str, film_id: str | None,
               cinema_id: str | None, date: str | None) -> list[dict[str, Any]]:
    sql = ("SELECT s.id AS showtime_id, s.starts_at, c.id AS cinema_id, c.name AS cinema, s.hall, f.id AS film_id, "
           "f.title AS film, f.minutes, s.price, (SELECT COUNT(*) FROM seats x WHERE x.showtime_id = s.id AND "
           "x.order_id IS NULL) AS free_seats FROM showtimes s JOIN cinemas c ON c.id = s.cinema_id "
           "JOIN films f ON f.id = s.film_id WHERE c.city = ? AND s.starts_at >= ?")
    params: list[Any] = [city_key(city, variant), max(date or now, now)]  # a day asked: what has not begun of it
    if date:
        sql += " AND s.starts_at < ?"
        params.append(f"{date} 99")
    for column, value in (("f.id", film_id), ("c.id", cinema_id)):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    rows = store.rows(sql + " ORDER BY s.starts_at, c.name LIMIT 60", tuple(params))
    return [{**r, "currency": variant.currency} for r in rows]


def _claim(conn: sqlite3.Connection, showtime_id: str, seats: list[str], count: int, order_id: str) -> list[str]:
    """Mark seats as sold to ``order_id``; all or nothing (the caller's transaction rolls back on error)."""
    if not seats:
        seats = [r[0] for r in conn.execute("SELECT seat FROM seats WHERE showtime_id = ? AND order_id IS NULL "
                                            "ORDER BY row_no, col_no LIMIT ?", (showtime_id, count))]
        if len(seats) < count:
            raise ToolError(f"sold out: only {len(seats)} seats left for {showtime_id}")
    marks = ",".join("?" * len(seats))
    cur = conn.execute(f"UPDATE seats SET order_id = ? WHERE showtime_id = ? AND seat IN ({marks}) "
                       "AND order_id IS NULL", (order_id, showtime_id, *seats))
    if cur.rowcount != len(seats):
        raise ToolError(f"seats no longer available: {', '.join(seats)}")
    return seats


def _buy(store: PartnerStore, variant: Variant, options: Options, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        show = conn.execute("SELECT price, starts_at FROM showtimes WHERE id = ?", (request["showtime_id"],)).fetchone()
        if show is None:
            raise ToolError(f"unknown showtime {request['showtime_id']!r}")
        if show["starts_at"] <= options.now():  # sold, it could no longer be cancelled: never sold
            raise ToolError(f"showtime {request['showtime_id']} began at {show['starts_at']}: choose a later showing")
        order_id = f"CIN-{uuid.uuid4().hex[:10].upper()}"
        conn.execute("INSERT INTO orders (id, showtime_id, seats, holder, total, currency) VALUES (?, ?, '', ?, 0, ?)",
                     (order_id, request["showtime_id"], request["holder_name"], variant.currency))
        seats = _claim(conn, request["showtime_id"], request["seats"], request["count"], order_id)
        if options.payment_latency_s:
            time.sleep(options.payment_latency_s)  # payment authorisation while the seats are held
        total = round(show["price"] * len(seats), 2)
        conn.execute("UPDATE orders SET seats = ?, total = ? WHERE id = ?", (json.dumps(seats), total, order_id))
        return {"order_id": order_id, "showtime_id": request["showtime_id"], "seats": seats, "total": total,
                "currency": variant.currency, "status": "confirmed"}

    return store.idempotent(request.pop("idempotency_key"), "buy_tickets", request, effect)


def _cancel(store: PartnerStore, options: Options, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        order = conn.execute("SELECT o.*, s.starts_at FROM orders o JOIN showtimes s ON s.id = o.showtime_id "
                             "WHERE o.id = ?", (request["order_id"],)).fetchone()
        if order is None:
            raise ToolError(f"unknown order {request['order_id']!r}")
        if order["cancelled_at"]:
            raise ToolError(f"order {order['id']} is already cancelled")
        if order["starts_at"] <= options.now():  # the cinema's local clock, as its schedule
            raise ToolError(f"order {order['id']} cannot be cancelled: its showing began at {order['starts_at']}")
        conn.execute("UPDATE orders SET cancelled_at = datetime('now') WHERE id = ?", (order["id"],))
        conn.execute("UPDATE seats SET order_id = NULL WHERE order_id = ?", (order["id"],))
        return {"order_id": order["id"], "status": "cancelled", "seats": json.loads(order["seats"]),
                "refunded": order["total"], "currency": order["currency"]}

    return store.idempotent(request.pop("idempotency_key"), "cancel_order", request, effect)


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The cinema MCP server for one regional variant."""
    mcp = options.server(variant, f"{variant.partner}: cinema showtimes, seat maps and ticket purchases in "
                                  f"{', '.join(variant.cities)}. Prices in {variant.currency}.")

    @mcp.tool()
    def list_films() -> list[dict[str, Any]]:
        """Films currently showing, with running time in minutes, minimum age and their titles in every language the
        catalog names them in (``names``: {"en": "Dune", "zh": "沙丘"}), for a caller's own language."""
        names = {film["id"]: film["title"] for film in load_data("cinemas.json")["films"]}
        return [{**row, "names": names.get(row["film_id"], {})}
                for row in store.rows("SELECT id AS film_id, title, title_en, minutes, age FROM films ORDER BY title")]

    @mcp.tool()
    def showtimes(city: str, film_id: str | None = None, cinema_id: str | None = None,
                  date: str | None = None) -> list[dict[str, Any]]:
        """Upcoming showtimes in a city, optionally for one film, one cinema or one date (YYYY-MM-DD); a showing that
        has begun is no longer listed (nor sold)."""
        return _showtimes(store, variant, options.now(), city, film_id, cinema_id, date)

    @mcp.tool()
    def seat_map(showtime_id: str) -> dict[str, Any]:
        """Free and sold seats of a showtime (seat names like "C7": row letter, seat number)."""
        seats = store.rows("SELECT seat, order_id IS NULL AS free FROM seats WHERE showtime_id = ? "
                           "ORDER BY row_no, col_no", (showtime_id,))
        if not seats:
            raise ToolError(f"unknown showtime {showtime_id!r}")
        return {"showtime_id": showtime_id, "free": [s["seat"] for s in seats if s["free"]],
                "sold": [s["seat"] for s in seats if not s["free"]]}

    @mcp.tool()
    async def buy_tickets(showtime_id: str, holder_name: str, payment_token: str, idempotency_key: str,
                          seats: list[str] | None = None, count: int = 1) -> dict[str, Any]:
        """Buy tickets: the named seats, or the best ``count`` free seats, of a showing that has not begun. Charges
        the payment token. The same idempotency_key never buys twice; it returns the first purchase."""
        if not payment_token.strip():
            raise ToolError("payment_token is required")
        if not 1 <= (len(seats) if seats else count) <= 10:
            raise ToolError("between 1 and 10 tickets per purchase")
        request = {"showtime_id": showtime_id, "holder_name": holder_name, "seats": sorted(seats or []),
                   "count": len(seats) if seats else count, "idempotency_key": idempotency_key}
        return await offload(_buy, store, variant, options, request)

    @mcp.tool()
    def get_order(order_id: str) -> dict[str, Any]:
        """A ticket order with its film, cinema, showing time, seats, total and status ("confirmed" or "cancelled")."""
        order = store.row("SELECT o.*, f.title AS film, c.name AS cinema, s.starts_at FROM orders o JOIN showtimes s "
                          "ON s.id = o.showtime_id JOIN films f ON f.id = s.film_id JOIN cinemas c "
                          "ON c.id = s.cinema_id WHERE o.id = ?", (order_id,))
        if order is None:
            raise ToolError(f"unknown order {order_id!r}")
        status = "cancelled" if order.pop("cancelled_at") else "confirmed"
        # what a caller shows first first: the film, its time, whether it stands, what it cost
        return {"id": order["id"], "film": order.pop("film"), "starts_at": order.pop("starts_at"), "status": status,
                **order, "seats": json.loads(order["seats"])}

    @mcp.tool()
    async def cancel_order(order_id: str, idempotency_key: str) -> dict[str, Any]:
        """Cancel a ticket order before its showing starts: the seats are free again and the total is refunded."""
        return await offload(_cancel, store, options, {"order_id": order_id, "idempotency_key": idempotency_key})

    return mcp


def main(argv: list[str] | None = None) -> None:
    partner_main("cinema", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
