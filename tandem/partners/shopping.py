"""Reference partner: shopping (product search, cart, order, track).

EU: "Korbwerk" (EUR). CN: "好物集" (CNY). Stock is real: an order takes its items out of stock in the
same transaction that records it, with a conditional UPDATE per line, so stock never goes negative.

    python -m tandem.partners.shopping --region EU
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP

from tandem.partners import orders
from tandem.partners.server import Options, Variant, load_data, partner_main
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError, words_match

__all__ = ["VARIANTS", "build", "main", "open_store"]

VARIANTS = {
    "EU": Variant("EU", "korbwerk.shopping", "Korbwerk", "EUR", ("Berlin", "Munich")),
    "CN": Variant("CN", "haowuji.shopping", "好物集", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
}
SHIPPING_DAYS = 2

MIGRATIONS = [
    """
CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, brand TEXT NOT NULL, category TEXT NOT NULL,
                       price REAL NOT NULL, stock INTEGER NOT NULL CHECK (stock >= 0));
CREATE TABLE carts (id TEXT PRIMARY KEY, created_at TEXT NOT NULL DEFAULT (datetime('now')), ordered INTEGER NOT NULL
                    DEFAULT 0);
CREATE TABLE cart_items (cart_id TEXT NOT NULL REFERENCES carts(id), product_id TEXT NOT NULL REFERENCES products(id),
                         quantity INTEGER NOT NULL CHECK (quantity > 0), PRIMARY KEY (cart_id, product_id));
CREATE TABLE orders (id TEXT PRIMARY KEY, cart_id TEXT NOT NULL UNIQUE REFERENCES carts(id), lines TEXT NOT NULL,
                     name TEXT NOT NULL, address TEXT NOT NULL, total REAL NOT NULL, currency TEXT NOT NULL,
                     placed_at REAL NOT NULL)
""" + ";\n" + IDEMPOTENCY_TABLE,
]


def _seed(variant: Variant) -> Any:
    def seed(conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT INTO products VALUES (:id, :name, :brand, :category, :price, :stock)",
                         load_data("products.json")[variant.region])
    return seed


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS, _seed(variant))


def _cart(conn: sqlite3.Connection, cart_id: str, currency: str) -> dict[str, Any]:
    lines = [dict(r) for r in conn.execute(
        "SELECT p.id AS product_id, p.name, p.price, c.quantity, p.stock >= c.quantity AS in_stock "
        "FROM cart_items c JOIN products p ON p.id = c.product_id WHERE c.cart_id = ? ORDER BY p.name", (cart_id,))]
    total = round(sum(line["price"] * line["quantity"] for line in lines), 2)
    return {"cart_id": cart_id, "lines": lines, "total": total, "currency": currency}


def _add(store: PartnerStore, variant: Variant, cart_id: str | None, product_id: str, quantity: int) -> dict[str, Any]:
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM products WHERE id = ?", (product_id,)).fetchone() is None:
            raise ToolError(f"unknown product {product_id!r}")
        if cart_id is None:
            cart_id = f"CART-{uuid.uuid4().hex[:10].upper()}"
            conn.execute("INSERT INTO carts (id) VALUES (?)", (cart_id,))
        cart = conn.execute("SELECT ordered FROM carts WHERE id = ?", (cart_id,)).fetchone()
        if cart is None or cart["ordered"]:
            raise ToolError(f"cart {cart_id!r} is unknown or already ordered")
        if quantity == 0:
            conn.execute("DELETE FROM cart_items WHERE cart_id = ? AND product_id = ?", (cart_id, product_id))
        else:
            conn.execute("INSERT INTO cart_items VALUES (?, ?, ?) ON CONFLICT (cart_id, product_id) "
                         "DO UPDATE SET quantity = excluded.quantity", (cart_id, product_id, quantity))
        return _cart(conn, cart_id, variant.currency)


def _record(variant: Variant, request: dict[str, Any]) -> orders.Record:
    def record(conn: sqlite3.Connection, order_id: str) -> dict[str, Any]:
        cart = _cart(conn, request["cart_id"], variant.currency)
        if not cart["lines"]:
            raise ToolError(f"cart {request['cart_id']!r} is empty or unknown")
        for line in cart["lines"]:
            cur = conn.execute("UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?",
                               (line["quantity"], line["product_id"], line["quantity"]))
            if cur.rowcount != 1:
                raise ToolError(f"out of stock: {line['name']}")
        conn.execute("UPDATE carts SET ordered = 1 WHERE id = ?", (request["cart_id"],))
        conn.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (order_id, request["cart_id"], json.dumps(cart["lines"], ensure_ascii=False), request["name"],
                      request["address"], cart["total"], variant.currency, time.time()))
        return {"order_id": order_id, "total": cart["total"], "currency": variant.currency, "status": "paid",
                "lines": cart["lines"]}
    return record


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The shopping MCP server for one regional variant."""
    mcp = options.server(variant, f"{variant.partner}: an online shop. Search, fill a cart, then order it. "
                                  f"Prices in {variant.currency}.")

    @mcp.tool()
    def search_products(query: str | None = None, category: str | None = None,
                        max_price: float | None = None) -> list[dict[str, Any]]:
        """Products by words in name (in any language the catalog gives: ``names``) or brand, category (home,
        electronics, outdoor, grocery, books, fashion) and maximum price; each with its current stock."""
        sql, params = "SELECT * FROM products WHERE 1 = 1", []
        for clause, value in (("category = ?", category), ("price <= ?", max_price)):
            if value is not None:
                sql += f" AND {clause}"
                params.append(value)
        names = {p["id"]: p.get("names", {}) for p in load_data("products.json")[variant.region]}
        rows = [{**r, "names": names.get(r["id"], {})} for r in store.rows(sql + " ORDER BY price", tuple(params))]
        found = words_match(rows, query or "", ("name", "names", "brand"))  # any language the catalog names it in
        return [{**r, "currency": variant.currency} for r in found]

    @mcp.tool()
    def add_to_cart(product_id: str, quantity: int = 1, cart_id: str | None = None) -> dict[str, Any]:
        """Set a product's quantity in a cart (0 removes it); without cart_id a new cart is created."""
        if not 0 <= quantity <= 50:
            raise ToolError("quantity must be between 0 and 50")
        return _add(store, variant, cart_id, product_id, quantity)

    @mcp.tool()
    def view_cart(cart_id: str) -> dict[str, Any]:
        """The lines and total of a cart."""
        with store.read() as conn:
            return _cart(conn, cart_id, variant.currency)

    @mcp.tool()
    async def place_order(cart_id: str, name: str, address: str, payment_token: str,
                          idempotency_key: str) -> dict[str, Any]:
        """Order a cart, charging the payment token. The same key never orders twice."""
        request = {"cart_id": cart_id, "name": name, "address": address, "idempotency_key": idempotency_key}
        return await orders.place_order(store, options, "SH", payment_token, request, _record(variant, request))

    @mcp.tool()
    def track_order(order_id: str) -> dict[str, Any]:
        """Order status: paid, shipped (after a day) or delivered (after SHIPPING_DAYS days)."""
        with store.read() as conn:
            order = orders.find_order(conn, order_id)
        days = (time.time() - order["placed_at"]) / 86400
        status = "delivered" if days >= SHIPPING_DAYS else "shipped" if days >= 1 else "paid"
        return {"order_id": order_id, "status": status, "total": order["total"], "currency": order["currency"],
                "lines": json.loads(order["lines"])}

    return mcp


def main(argv: list[str] | None = None) -> None:
    partner_main("shopping", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
