"""The tau2 retail domain's tools, over an in-memory copy of ``db.json`` (plain dicts, as published).

Each tool follows tau2-bench's ``RetailTools`` (sierra-research/tau2-bench, MIT): the same names,
arguments, checks and effects on the database, so replaying a task's expected actions here gives the
end state tau2 compares against. A failed check raises ``ToolError``; the conversation loop shows it to
the agent as ``Error: <message>``, as tau2's environment does.

One deliberate difference: tau2's ``modify_pending_order_items`` copies the price and options of the
*last* new item onto every modified item (the loop reuses a stale variable). Here each item gets its own
new variant's price and options, so the end state does not depend on the order the agent lists items in;
and the price difference it records is rounded to cents (tau2 rounds it only for exchanges).
"""

from __future__ import annotations

import ast
import hashlib
import json
import operator
import unicodedata
from collections.abc import Callable
from typing import Any

__all__ = [
    "TOOLS", "WRITES", "Db", "ToolError", "calculate", "call_tool", "cancel_pending_order", "db_hash",
    "exchange_delivered_order_items", "find_user_id_by_email", "find_user_id_by_name_zip", "get_item_details",
    "get_order_details", "get_product_details", "get_user_details", "list_all_product_types",
    "modify_pending_order_address", "modify_pending_order_items", "modify_pending_order_payment",
    "modify_user_address", "return_delivered_order_items", "transfer_to_human_agents",
]

Db = dict[str, Any]  # {"products": {...}, "users": {...}, "orders": {...}} as in db.json
_REASONS = ("no longer needed", "ordered by mistake")


class ToolError(ValueError):
    """A tool refused the call (unknown id, wrong status, policy check); the agent sees the message."""


def db_hash(db: Db) -> str:
    """A digest of the whole database; equal digests mean equal end states."""
    return hashlib.sha256(json.dumps(db, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _order(db: Db, order_id: str) -> dict[str, Any]:
    if order_id not in db["orders"]:
        raise ToolError("Order not found")
    return db["orders"][order_id]


def _order_in(db: Db, order_id: str, status: str, refusal: str) -> dict[str, Any]:
    """The order, if its status is exactly ``status``; a ToolError saying ``refusal`` otherwise."""
    order = _order(db, order_id)
    if order["status"] != status:
        raise ToolError(refusal)
    return order


def _user(db: Db, user_id: str) -> dict[str, Any]:
    if user_id not in db["users"]:
        raise ToolError("User not found")
    return db["users"][user_id]


def _product(db: Db, product_id: str) -> dict[str, Any]:
    if product_id not in db["products"]:
        raise ToolError("Product not found")
    return db["products"][product_id]


def _variant(db: Db, product_id: str, item_id: str) -> dict[str, Any]:
    variants = _product(db, product_id)["variants"]
    if item_id not in variants:
        raise ToolError("Variant not found")
    return variants[item_id]


def _payment_method(db: Db, user_id: str, payment_method_id: str) -> dict[str, Any]:
    methods = _user(db, user_id)["payment_methods"]
    if payment_method_id not in methods:
        raise ToolError("Payment method not found")
    return methods[payment_method_id]


def _is_gift_card(method: dict[str, Any]) -> bool:
    return method.get("source") == "gift_card"


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, as tau2 matches names and e-mails."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _check_items_present(order: dict[str, Any], item_ids: list[str], message: str) -> None:
    present = [item["item_id"] for item in order["items"]]
    for item_id in item_ids:
        if item_ids.count(item_id) > present.count(item_id):
            raise ToolError(message.format(item_id=item_id))


def _order_item(order: dict[str, Any], item_id: str) -> dict[str, Any]:
    item = next((i for i in order["items"] if i["item_id"] == item_id), None)
    if item is None:
        raise ToolError(f"Item {item_id} not found")
    return item


def _new_variants(db: Db, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str],
                  *, same_allowed: bool) -> list[dict[str, Any]]:
    """The available variant each old item becomes (same product), checked in order."""
    if len(item_ids) != len(new_item_ids):
        raise ToolError("The number of items to be exchanged should match.")
    variants = []
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        if not same_allowed and item_id == new_item_id:
            raise ToolError("The new item id should be different from the old item id")
        variant = _variant(db, _order_item(order, item_id)["product_id"], new_item_id)
        if not variant["available"]:
            raise ToolError(f"New item {new_item_id} not found or available")
        variants.append(variant)
    return variants


def _price_difference(order: dict[str, Any], item_ids: list[str], variants: list[dict[str, Any]]) -> float:
    old = [_order_item(order, item_id)["price"] for item_id in item_ids]
    return round(sum(v["price"] for v in variants) - sum(old), 2)


def _swap(db: Db, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str], payment_method_id: str,
          *, modify: bool) -> tuple[list[dict[str, Any]], float, dict[str, Any]]:
    """The checks exchanges and item modifications share (with their own messages, as in tau2): the new
    variants, the price difference and the payment method that pays or receives it."""
    _check_items_present(order, item_ids, "{item_id} not found" if modify else "Number of {item_id} not found.")
    variants = _new_variants(db, order, item_ids, new_item_ids, same_allowed=not modify)
    difference = _price_difference(order, item_ids, variants)
    method = _payment_method(db, order["user_id"], payment_method_id)
    if _is_gift_card(method) and method["balance"] < difference:
        raise ToolError("Insufficient gift card balance to pay for the "
                        + ("new item" if modify else "price difference"))
    return variants, difference, method


# ---- read tools -------------------------------------------------------------------------------------


def find_user_id_by_email(db: Db, email: str) -> str:
    wanted = _fold(email)
    for user_id, user in db["users"].items():
        if _fold(user["email"]) == wanted:
            return str(user_id)
    raise ToolError("User not found")


def find_user_id_by_name_zip(db: Db, first_name: str, last_name: str, zip: str) -> str:
    first, last = _fold(first_name), _fold(last_name)
    for user_id, user in db["users"].items():
        name = user["name"]
        if _fold(name["first_name"]) == first and _fold(name["last_name"]) == last and user["address"]["zip"] == zip:
            return str(user_id)
    raise ToolError("User not found")


def get_user_details(db: Db, user_id: str) -> dict[str, Any]:
    return _user(db, user_id)


def get_order_details(db: Db, order_id: str) -> dict[str, Any]:
    return _order(db, order_id)


def get_product_details(db: Db, product_id: str) -> dict[str, Any]:
    return _product(db, product_id)


def get_item_details(db: Db, item_id: str) -> dict[str, Any]:
    for product in db["products"].values():
        if item_id in product["variants"]:
            return product["variants"][item_id]
    raise ToolError("Item not found")


def list_all_product_types(db: Db) -> str:
    return json.dumps({p["name"]: p["product_id"] for p in db["products"].values()}, sort_keys=True)


_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos}


def _arithmetic(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arithmetic(node.left), _arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arithmetic(node.operand))
    raise ToolError("Invalid expression")


def calculate(db: Db, expression: str) -> str:
    """``+ - * /`` and parentheses over numbers, rounded to cents (tau2 evaluates the same characters)."""
    if not all(c in "0123456789+-*/(). " for c in expression):
        raise ToolError("Invalid characters in expression")
    try:
        return str(round(_arithmetic(ast.parse(expression, mode="eval").body), 2))
    except (SyntaxError, ZeroDivisionError) as exc:
        raise ToolError(f"Invalid expression: {exc}") from exc


def transfer_to_human_agents(db: Db, summary: str) -> str:
    return "Transfer successful"


# ---- write tools ------------------------------------------------------------------------------------


def cancel_pending_order(db: Db, order_id: str, reason: str) -> dict[str, Any]:
    order = _order_in(db, order_id, "pending", "Non-pending order cannot be cancelled")
    if reason not in _REASONS:
        raise ToolError("Invalid reason")
    refunds = []
    for payment in order["payment_history"]:
        refunds.append({"transaction_type": "refund", "amount": payment["amount"],
                        "payment_method_id": payment["payment_method_id"]})
        method = _payment_method(db, order["user_id"], payment["payment_method_id"])
        if _is_gift_card(method):  # refunded at once; other methods take 5-7 business days
            method["balance"] = round(method["balance"] + payment["amount"], 2)
    order["status"] = "cancelled"
    order["cancel_reason"] = reason
    order["payment_history"].extend(refunds)
    return order


def exchange_delivered_order_items(db: Db, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                   payment_method_id: str) -> dict[str, Any]:
    order = _order_in(db, order_id, "delivered", "Non-delivered order cannot be exchanged")
    difference = _swap(db, order, item_ids, new_item_ids, payment_method_id, modify=False)[1]
    order["status"] = "exchange requested"
    order["exchange_items"] = sorted(item_ids)
    order["exchange_new_items"] = sorted(new_item_ids)
    order["exchange_payment_method_id"] = payment_method_id
    order["exchange_price_difference"] = difference
    return order


def _address(address1: str, address2: str, city: str, state: str, country: str, zip: str) -> dict[str, str]:
    return {"address1": address1, "address2": address2, "city": city, "country": country, "state": state,
            "zip": zip}


def modify_pending_order_address(db: Db, order_id: str, address1: str, address2: str, city: str, state: str,
                                 country: str, zip: str) -> dict[str, Any]:
    order = _order(db, order_id)
    if "pending" not in order["status"]:
        raise ToolError("Non-pending order cannot be modified")
    order["address"] = _address(address1, address2, city, state, country, zip)
    return order


def modify_pending_order_items(db: Db, order_id: str, item_ids: list[str], new_item_ids: list[str],
                               payment_method_id: str) -> dict[str, Any]:
    order = _order_in(db, order_id, "pending", "Non-pending order cannot be modified")
    variants, difference, method = _swap(db, order, item_ids, new_item_ids, payment_method_id, modify=True)
    order["payment_history"].append({"transaction_type": "payment" if difference > 0 else "refund",
                                     "amount": abs(difference), "payment_method_id": payment_method_id})
    if _is_gift_card(method):
        method["balance"] = round(method["balance"] - difference, 2)
    for item_id, variant in zip(item_ids, variants, strict=True):
        item = _order_item(order, item_id)
        item.update(item_id=variant["item_id"], price=variant["price"], options=variant["options"])
    order["status"] = "pending (item modified)"
    return order


def modify_pending_order_payment(db: Db, order_id: str, payment_method_id: str) -> dict[str, Any]:
    order = _order(db, order_id)
    if "pending" not in order["status"]:
        raise ToolError("Non-pending order cannot be modified")
    method = _payment_method(db, order["user_id"], payment_method_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise ToolError("There should be exactly one payment for a pending order")
    old_id, amount = history[0]["payment_method_id"], history[0]["amount"]
    if old_id == payment_method_id:
        raise ToolError("The new payment method should be different from the current one")
    if _is_gift_card(method) and method["balance"] < amount:
        raise ToolError("Insufficient gift card balance to pay for the order")
    history.extend([{"transaction_type": "payment", "amount": amount, "payment_method_id": payment_method_id},
                    {"transaction_type": "refund", "amount": amount, "payment_method_id": old_id}])
    if _is_gift_card(method):
        method["balance"] = round(method["balance"] - amount, 2)
    old_method = _payment_method(db, order["user_id"], old_id)
    if _is_gift_card(old_method):
        old_method["balance"] = round(old_method["balance"] + amount, 2)
    return order


def modify_user_address(db: Db, user_id: str, address1: str, address2: str, city: str, state: str,
                        country: str, zip: str) -> dict[str, Any]:
    user = _user(db, user_id)
    user["address"] = _address(address1, address2, city, state, country, zip)
    return user


def return_delivered_order_items(db: Db, order_id: str, item_ids: list[str],
                                 payment_method_id: str) -> dict[str, Any]:
    order = _order_in(db, order_id, "delivered", "Non-delivered order cannot be returned")
    method = _payment_method(db, order["user_id"], payment_method_id)
    if not _is_gift_card(method) and payment_method_id != order["payment_history"][0]["payment_method_id"]:
        raise ToolError("Payment method should be the original payment method")
    _check_items_present(order, item_ids, "Some item not found")
    order["status"] = "return requested"
    order["return_items"] = sorted(item_ids)
    order["return_payment_method_id"] = payment_method_id
    return order


TOOLS: dict[str, Callable[..., Any]] = {f.__name__: f for f in (
    calculate, cancel_pending_order, exchange_delivered_order_items, find_user_id_by_email,
    find_user_id_by_name_zip, get_item_details, get_order_details, get_product_details, get_user_details,
    list_all_product_types, modify_pending_order_address, modify_pending_order_items,
    modify_pending_order_payment, modify_user_address, return_delivered_order_items, transfer_to_human_agents)}
WRITES = frozenset({"cancel_pending_order", "exchange_delivered_order_items", "modify_pending_order_address",
                    "modify_pending_order_items", "modify_pending_order_payment", "modify_user_address",
                    "return_delivered_order_items"})


def call_tool(db: Db, name: str, arguments: dict[str, Any]) -> str:
    """Run one tool on ``db`` (changing it in place) and return its output as the agent reads it."""
    if name not in TOOLS:
        raise ToolError(f"Tool {name} not found")
    try:
        result = TOOLS[name](db, **arguments)
    except TypeError as exc:  # missing or unknown arguments
        raise ToolError(f"Invalid arguments for {name}: {exc}") from exc
    return result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
