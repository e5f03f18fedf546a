"""Reference partner: food delivery (search restaurants and dishes, quote, order, track, cancel).

EU: "Gabelpost" (Berlin, Munich, EUR). CN: "筷送" (Beijing from CrossWOZ, Hangzhou, Shanghai, CNY).
An order's status follows the clock from the moment it was placed (accepted → preparing → on the
way → delivered); it can be cancelled until the courier picks it up.

    python -m tandem.partners.food --region EU
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel, Field

from tandem.partners import orders
from tandem.partners.server import Options, Variant, city_key, load_data, offload, partner_main
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError, words_match

__all__ = ["VARIANTS", "Item", "build", "main", "open_store", "order_status"]

VARIANTS = {
    "EU": Variant("EU", "gabelpost.food", "Gabelpost", "EUR", ("Berlin", "Munich")),
    "CN": Variant("CN", "kuaisong.food", "筷送", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
}
DELIVERY_FEE = {"EUR": 2.9, "CNY": 5.0}
# Minutes after ordering at which an order enters each stage.
STAGES = ((0, "accepted"), (5, "preparing"), (20, "on_the_way"), (40, "delivered"))

MIGRATIONS = [
    """
CREATE TABLE restaurants (id TEXT PRIMARY KEY, city TEXT NOT NULL, name TEXT NOT NULL, cuisine TEXT NOT NULL,
                          rating REAL, avg_price REAL, area TEXT);
CREATE TABLE dishes (id TEXT PRIMARY KEY, restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
                     name TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (id TEXT PRIMARY KEY, restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
                     items TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL, name TEXT NOT NULL,
                     total REAL NOT NULL, currency TEXT NOT NULL, placed_at REAL NOT NULL, cancelled_at REAL)
""" + ";\n" + IDEMPOTENCY_TABLE,
]


class Item(BaseModel):
    """One line of a food order."""

    dish_id: str
    quantity: int = Field(default=1, ge=1, le=20)


def _seed(variant: Variant) -> Any:
    def seed(conn: sqlite3.Connection) -> None:
        for r in (r for r in load_data("restaurants.json") if r["city"] in variant.cities):
            conn.execute("INSERT INTO restaurants VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (r["id"], r["city"], r["name"], r["cuisine"], r.get("rating"), r.get("avg_price"),
                          r.get("area") or r.get("station")))
            conn.executemany("INSERT INTO dishes VALUES (?, ?, ?, ?)",
                             [(d["id"], r["id"], d["name"], d["price"]) for d in r["dishes"]])
    return seed


def _menu_names() -> dict[str, list[dict[str, Any]]]:
    """Each restaurant's dishes (id, names per language) as the catalog gives them."""
    return {r["id"]: [{"id": d["id"], "names": d.get("names", {})} for d in r["dishes"]]
            for r in load_data("restaurants.json")}


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS, _seed(variant))


def order_status(placed_at: float, cancelled_at: float | None, now: float) -> str:
    """The stage an order is in ``now`` minutes after ``placed_at`` (or "cancelled")."""
    if cancelled_at is not None:
        return "cancelled"
    minutes = (now - placed_at) / 60
    return [name for start, name in STAGES if minutes >= start][-1]


def _quote(conn: sqlite3.Connection, variant: Variant, restaurant_id: str, items: list[Item]) -> dict[str, Any]:
    if not items:
        raise ToolError("an order needs at least one item")
    lines, subtotal = [], 0.0
    for item in items:
        dish = conn.execute("SELECT name, price FROM dishes WHERE id = ? AND restaurant_id = ?",
                            (item.dish_id, restaurant_id)).fetchone()
        if dish is None:
            raise ToolError(f"dish {item.dish_id!r} is not on the menu of {restaurant_id!r}")
        lines.append({"dish_id": item.dish_id, "name": dish["name"], "quantity": item.quantity,
                      "price": dish["price"]})
        subtotal += dish["price"] * item.quantity
    fee = DELIVERY_FEE[variant.currency]
    return {"restaurant_id": restaurant_id, "lines": lines, "subtotal": round(subtotal, 2), "delivery_fee": fee,
            "total": round(subtotal + fee, 2), "currency": variant.currency, "eta_minutes": STAGES[-1][0]}


def _record(variant: Variant, request: dict[str, Any]) -> orders.Record:
    def record(conn: sqlite3.Connection, order_id: str) -> dict[str, Any]:
        quote = _quote(conn, variant, request["restaurant_id"], [Item(**i) for i in request["items"]])
        conn.execute("INSERT INTO orders (id, restaurant_id, items, address, phone, name, total, currency, placed_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (order_id, request["restaurant_id"], json.dumps(quote["lines"], ensure_ascii=False),
                      request["address"], request["phone"], request["name"], quote["total"], variant.currency,
                      time.time()))
        return {"order_id": order_id, **quote, "status": "accepted"}
    return record


def _cancel(store: PartnerStore, request: dict[str, Any]) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        order = orders.find_order(conn, request["order_id"])
        status = order_status(order["placed_at"], order["cancelled_at"], time.time())
        if status not in ("accepted", "preparing"):
            raise ToolError(f"order {order['id']} cannot be cancelled: it is {status}")
        conn.execute("UPDATE orders SET cancelled_at = ? WHERE id = ?", (time.time(), order["id"]))
        return {"order_id": order["id"], "status": "cancelled", "refunded": order["total"],
                "currency": order["currency"]}

    return store.idempotent(request.pop("idempotency_key"), "cancel_order", request, effect)


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The food-delivery MCP server for one regional variant."""
    mcp = options.server(variant, f"{variant.partner}: food delivery in {', '.join(variant.cities)}. "
                                  f"Quote before ordering; prices in {variant.currency}.")

    @mcp.tool()
    def search_restaurants(city: str, query: str | None = None, cuisine: str | None = None,
                           max_avg_price: float | None = None) -> list[dict[str, Any]]:
        """Restaurants in a city; ``query``'s words match the restaurant's name or its dishes' names, in any
        language the catalog names a dish in ("披萨" finds Pizza Margherita)."""
        sql = "SELECT * FROM restaurants r WHERE city = ?"
        params: list[Any] = [city_key(city, variant)]
        for clause, value in (("cuisine = ?", cuisine), ("avg_price <= ?", max_avg_price)):
            if value is not None:
                sql += f" AND {clause}"
                params.append(value)
        rows = store.rows(sql + " ORDER BY rating DESC, name", tuple(params))
        if query:
            names = _menu_names()
            found = {r["id"] for r in words_match([{**r, "dishes": names.get(r["id"], [])} for r in rows], query,
                                                  ("name", "dishes"))}
            rows = [r for r in rows if r["id"] in found]
        return [{**r, "currency": variant.currency} for r in rows[:20]]

    @mcp.tool()
    def menu(restaurant_id: str) -> list[dict[str, Any]]:
        """The dishes of a restaurant with prices."""
        rows = store.rows("SELECT id AS dish_id, name, price FROM dishes WHERE restaurant_id = ? ORDER BY id",
                          (restaurant_id,))
        if not rows:
            raise ToolError(f"unknown restaurant {restaurant_id!r}")
        names = {d["id"]: d.get("names", {}) for dishes in _menu_names().values() for d in dishes}
        return [{**r, "names": names.get(r["dish_id"], {})} for r in rows]

    @mcp.tool()
    def quote(restaurant_id: str, items: list[Item]) -> dict[str, Any]:
        """Price an order (subtotal, delivery fee, total, estimated minutes) without placing it."""
        with store.read() as conn:
            return _quote(conn, variant, restaurant_id, items)

    _order_tools(mcp, variant, store, options)
    return mcp


def _order_tools(mcp: FastMCP, variant: Variant, store: PartnerStore, options: Options) -> None:
    """Tools that place, follow and cancel orders."""

    @mcp.tool()
    async def place_order(restaurant_id: str, items: list[Item], address: str, phone: str, name: str,
                          payment_token: str, idempotency_key: str) -> dict[str, Any]:
        """Order food for delivery, charging the payment token. The same key never orders twice."""
        request = {"restaurant_id": restaurant_id, "items": [i.model_dump() for i in items], "address": address,
                   "phone": phone, "name": name, "idempotency_key": idempotency_key}
        return await orders.place_order(store, options, "FD", payment_token, request, _record(variant, request))

    @mcp.tool()
    def track_order(order_id: str) -> dict[str, Any]:
        """Where an order is: accepted, preparing, on_the_way, delivered or cancelled."""
        with store.read() as conn:
            order = orders.find_order(conn, order_id)
        eta = dt.datetime.fromtimestamp(order["placed_at"] + STAGES[-1][0] * 60, dt.UTC)
        return {"order_id": order_id, "status": order_status(order["placed_at"], order["cancelled_at"], time.time()),
                "eta": eta.isoformat(timespec="minutes"), "total": order["total"], "currency": order["currency"],
                "items": json.loads(order["items"])}

    @mcp.tool()
    async def cancel_order(order_id: str, idempotency_key: str) -> dict[str, Any]:
        """Cancel an order before the courier picks it up; the payment is refunded."""
        return await offload(_cancel, store, {"order_id": order_id, "idempotency_key": idempotency_key})


def main(argv: list[str] | None = None) -> None:
    partner_main("food", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
