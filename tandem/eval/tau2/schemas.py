"""The retail tools as the agent sees them: names and arguments as in tau2-bench, JSON Schema parameters,
and descriptions that carry the same constraints as tau2's docstrings (id formats, when to ask for
confirmation, what each write does)."""

from __future__ import annotations

from typing import Any

from tandem.types import Tool

__all__ = ["RETAIL_TOOLS"]

_ORDER_ID = "The order id, such as '#W0000000'. Mind the '#' at the beginning."
_PAYMENT_ID = ("The payment method id to pay or receive the price difference, such as 'gift_card_0000000' or "
               "'credit_card_0000000'. Look it up in the user's or the order's details.")
_ITEM_IDS = "Item ids, each such as '1008292230'. The list may repeat an item."
_CONFIRM = " List the details and get the user's explicit confirmation (yes) before calling."


def _string(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _strings(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _tool(name: str, description: str, **params: dict[str, Any]) -> Tool:
    return Tool(name=name, description=description,
                parameters={"type": "object", "properties": params, "required": list(params)})


def _swap_tool(name: str, description: str, verb: str) -> Tool:
    """Exchanges and item modifications take the same arguments."""
    return _tool(name, description + " Returns the order." + _CONFIRM, order_id=_string(_ORDER_ID),
                 item_ids=_strings(f"The items to {verb}. " + _ITEM_IDS),
                 new_item_ids=_strings("The new items, in the same positions as item_ids and of the same "
                                       "products. " + _ITEM_IDS),
                 payment_method_id=_string(_PAYMENT_ID))


_ADDRESS = {
    "address1": _string("First line of the address, such as '123 Main St'."),
    "address2": _string("Second line of the address, such as 'Apt 1' or ''."),
    "city": _string("City, such as 'San Francisco'."),
    "state": _string("State, such as 'CA'."),
    "country": _string("Country, such as 'USA'."),
    "zip": _string("Zip code, such as '12345'."),
}

RETAIL_TOOLS: tuple[Tool, ...] = (
    _tool("calculate", "Calculate a mathematical expression of numbers, + - * /, parentheses and spaces.",
          expression=_string("The expression, such as '2 + 2'.")),
    _tool("cancel_pending_order",
          "Cancel a pending order (not one already processed or delivered). The status becomes 'cancelled'; a "
          "gift card payment is refunded at once, other methods in 5-7 business days. Returns the order."
          + _CONFIRM,
          order_id=_string(_ORDER_ID),
          reason=_string("Either 'no longer needed' or 'ordered by mistake'.")),
    _swap_tool("exchange_delivered_order_items",
               "Exchange items of a delivered order for other items of the same product; can be done once per "
               "order.", "exchange"),
    _tool("find_user_id_by_email", "Find a user id by e-mail address.",
          email=_string("The e-mail, such as 'something@example.com'.")),
    _tool("find_user_id_by_name_zip",
          "Find a user id by first name, last name and zip code. Use it only when the user cannot give an "
          "e-mail or is not found by e-mail.",
          first_name=_string("First name, such as 'John'."), last_name=_string("Last name, such as 'Doe'."),
          zip=_string("Zip code, such as '12345'.")),
    _tool("get_item_details", "Inventory details of one item (a product variant).",
          item_id=_string("The item id, such as '6086499569'; not the product id.")),
    _tool("get_order_details", "Status and details of an order.", order_id=_string(_ORDER_ID)),
    _tool("get_product_details", "Inventory details of a product and all its variant items.",
          product_id=_string("The product id, such as '6086499569'; not an item id.")),
    _tool("get_user_details", "Details of a user, including their orders and payment methods.",
          user_id=_string("The user id, such as 'sara_doe_496'.")),
    _tool("list_all_product_types", "Names and product ids of all 50 product types, as JSON."),
    _tool("modify_pending_order_address", "Change the shipping address of a pending order. Returns the order."
          + _CONFIRM, order_id=_string(_ORDER_ID), **_ADDRESS),
    _swap_tool("modify_pending_order_items",
               "Change items of a pending order to other available items of the same products; can be called "
               "only once per order.", "change"),
    _tool("modify_pending_order_payment",
          "Pay a pending order with another of the user's payment methods. Returns the order." + _CONFIRM,
          order_id=_string(_ORDER_ID), payment_method_id=_string(_PAYMENT_ID)),
    _tool("modify_user_address", "Change the default address of a user. Returns the user." + _CONFIRM,
          user_id=_string("The user id, such as 'sara_doe_496'."), **_ADDRESS),
    _tool("return_delivered_order_items",
          "Return items of a delivered order; the status becomes 'return requested' and the user gets an "
          "e-mail on how to send them. The refund goes to the original payment method or a gift card. "
          "Returns the order." + _CONFIRM,
          order_id=_string(_ORDER_ID), item_ids=_strings("The items to return. " + _ITEM_IDS),
          payment_method_id=_string(_PAYMENT_ID)),
    _tool("transfer_to_human_agents",
          "Transfer the user to a human agent with a summary of the issue, only if the user asks for one or "
          "the policy and tools cannot solve the issue.",
          summary=_string("A summary of the user's issue.")),
)
