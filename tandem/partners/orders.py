"""Placing a delivery order at a reference partner (food, shopping): the same checks, one idempotent
transaction, and the payment inside it.

The payment provider answers (after ``Options.payment_latency_s``, simulated) while the order's write
transaction is still open, as at a shop that charges before it commits: concurrent buyers queue behind
it instead of overselling, and a process killed while paying leaves neither the order nor its key
behind, so the agent's retry with the same key places it exactly once.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable
from typing import Any

from tandem.partners.server import Options, offload
from tandem.partners.store import PartnerStore, ToolError

__all__ = ["Record", "find_order", "place_order"]

# Checks what is ordered, takes it (stock, a cart) and writes the order under the id given; returns the
# tool's answer. Runs inside the order's transaction; a ToolError there rolls everything back.
Record = Callable[[sqlite3.Connection, str], dict[str, Any]]


async def place_order(store: PartnerStore, options: Options, prefix: str, payment_token: str,
                      request: dict[str, Any], record: Record) -> dict[str, Any]:
    """Place the order ``request`` describes once per its ``idempotency_key``; the same key and request
    again return the first answer with ``replayed`` set. Order ids are ``prefix-`` and ten hex digits."""
    if not payment_token.strip() or not str(request.get("address", "")).strip():
        raise ToolError("payment_token and address are required")
    return await offload(_place, store, options, prefix, dict(request), record)


def find_order(conn: sqlite3.Connection, order_id: str) -> sqlite3.Row:
    """The row of an order; a ToolError for an id this partner never gave out."""
    order: sqlite3.Row | None = conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
    if order is None:
        raise ToolError(f"unknown order {order_id!r}")
    return order


def _place(store: PartnerStore, options: Options, prefix: str, request: dict[str, Any],
           record: Record) -> dict[str, Any]:
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        answer = record(conn, f"{prefix}-{uuid.uuid4().hex[:10].upper()}")
        if options.payment_latency_s:
            time.sleep(options.payment_latency_s)  # the payment, while this transaction holds the write lock
        return answer

    return store.idempotent(request.pop("idempotency_key"), "place_order", request, effect)
