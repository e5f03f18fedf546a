"""tandem.partners.orders: placing a delivery order once per key, in-process on a real partner store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tandem.partners import food, orders
from tandem.partners.server import Options
from tandem.partners.store import PartnerStore, ToolError

pytestmark = pytest.mark.anyio
VARIANT = food.VARIANTS["EU"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PartnerStore]:
    opened = food.open_store(tmp_path / "food.db", VARIANT)
    yield opened
    opened.close()


def _request(store: PartnerStore, key: str = "k1", quantity: int = 1, address: str = "Am Markt 1") -> dict[str, Any]:
    dish = store.row("SELECT id, restaurant_id FROM dishes ORDER BY id LIMIT 1")
    assert dish is not None
    return {"restaurant_id": dish["restaurant_id"], "items": [{"dish_id": dish["id"], "quantity": quantity}],
            "address": address, "phone": "+49 30 1", "name": "Ada", "idempotency_key": key}


async def _place(store: PartnerStore, request: dict[str, Any], payment_token: str = "tok_1") -> dict[str, Any]:
    return await orders.place_order(store, Options(), "FD", payment_token, request,
                                    food._record(VARIANT, request))


async def test_one_order_per_key(store: PartnerStore) -> None:
    first = await _place(store, _request(store))
    again = await _place(store, _request(store))
    assert first["order_id"].startswith("FD-") and not first["replayed"]
    assert again == {**first, "replayed": True}
    assert orders.find_order(store.conn, first["order_id"])["name"] == "Ada"
    with pytest.raises(ToolError, match="already used for a different request"):
        await _place(store, _request(store, quantity=2))
    assert store.rows("SELECT id FROM orders") == [{"id": first["order_id"]}]


@pytest.mark.parametrize(("payment_token", "address"), [(" ", "Am Markt 1"), ("tok_1", "")])
async def test_no_order_without_payment_token_and_address(store: PartnerStore, payment_token: str,
                                                          address: str) -> None:
    with pytest.raises(ToolError, match="payment_token and address are required"):
        await _place(store, _request(store, address=address), payment_token)
    assert store.rows("SELECT * FROM orders") == store.rows("SELECT * FROM idempotency") == []


async def test_a_refused_order_leaves_nothing_and_its_key_free(store: PartnerStore) -> None:
    def refuse(conn: sqlite3.Connection, order_id: str) -> dict[str, Any]:
        conn.execute("INSERT INTO orders (id, restaurant_id, items, address, phone, name, total, currency, "
                     "placed_at) SELECT ?, id, '[]', 'a', 'p', 'n', 1, 'EUR', 0 FROM restaurants LIMIT 1", (order_id,))
        raise ToolError("the kitchen is closed")

    request = _request(store)
    with pytest.raises(ToolError, match="kitchen is closed"):
        await orders.place_order(store, Options(), "FD", "tok_1", request, refuse)
    assert store.rows("SELECT * FROM orders") == store.rows("SELECT * FROM idempotency") == []
    assert not (await _place(store, _request(store)))["replayed"]  # the same key places the order now


async def test_an_unknown_order_is_a_tool_error(store: PartnerStore) -> None:
    with pytest.raises(ToolError, match="unknown order 'FD-NOPE'"):
        orders.find_order(store.conn, "FD-NOPE")
