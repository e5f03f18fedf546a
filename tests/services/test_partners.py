"""Each reference partner, as a real MCP server process, driven by the official MCP SDK client."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession

from tests.services.conftest import mcp_session, partner_params

pytestmark = pytest.mark.anyio


async def call(session: ClientSession, tool: str, **arguments: Any) -> Any:
    result = await session.call_tool(tool, arguments)
    assert not result.isError, result.content
    data = result.structuredContent
    return data["result"] if isinstance(data, dict) and set(data) == {"result"} else data


async def call_error(session: ClientSession, tool: str, **arguments: Any) -> str:
    result = await session.call_tool(tool, arguments)
    assert result.isError
    return result.content[0].text  # type: ignore[union-attr]


async def tool_names(session: ClientSession) -> set[str]:
    return {t.name for t in (await session.list_tools()).tools}


@pytest.mark.parametrize(("region", "city", "currency"), [("EU", "München", "EUR"), ("CN", "杭州", "CNY")])
async def test_food(tmp_path: Path, region: str, city: str, currency: str) -> None:
    async with mcp_session(partner_params("food", region, tmp_path / "food.db")) as s:
        assert await tool_names(s) == {"search_restaurants", "menu", "quote", "place_order", "track_order",
                                       "cancel_order"}
        restaurant = (await call(s, "search_restaurants", city=city))[0]
        dish = (await call(s, "menu", restaurant_id=restaurant["id"]))[0]
        items = [{"dish_id": dish["dish_id"], "quantity": 2}]
        quote = await call(s, "quote", restaurant_id=restaurant["id"], items=items)
        assert quote["currency"] == currency and quote["subtotal"] == pytest.approx(dish["price"] * 2)
        order = await call(s, "place_order", restaurant_id=restaurant["id"], items=items, address="Am Markt 1",
                           phone="+49 30 1", name="Ada", payment_token="tok_1", idempotency_key="k1")
        assert order["total"] == quote["total"] and not order["replayed"]
        assert (await call(s, "track_order", order_id=order["order_id"]))["status"] == "accepted"
        cancel = await call(s, "cancel_order", order_id=order["order_id"], idempotency_key="c1")
        assert cancel["status"] == "cancelled"
        assert (await call(s, "track_order", order_id=order["order_id"]))["status"] == "cancelled"
        assert "cannot be cancelled" in await call_error(s, "cancel_order", order_id=order["order_id"],
                                                         idempotency_key="c2")
        assert "does not serve" in await call_error(s, "search_restaurants", city="Paris")


async def test_food_beijing_comes_from_crosswoz(tmp_path: Path) -> None:
    async with mcp_session(partner_params("food", "CN", tmp_path / "food.db")) as s:
        found = await call(s, "search_restaurants", city="北京", query="驴打滚")
        assert found and all(r["city"] == "Beijing" for r in found)


@pytest.mark.parametrize(("region", "city"), [("EU", "Berlin"), ("CN", "上海")])
async def test_tickets_hold_buy_refund(tmp_path: Path, region: str, city: str) -> None:
    async with mcp_session(partner_params("tickets", region, tmp_path / "t.db")) as s:
        event = (await call(s, "search_events", city=city))[0]
        sections = (await call(s, "seat_availability", event_id=event["id"]))["sections"]
        free_before = sum(len(x["free"]) for x in sections)
        hold = await call(s, "hold_seats", event_id=event["id"], count=2, idempotency_key="h1")
        after_hold = await call(s, "seat_availability", event_id=event["id"])
        assert sum(len(x["free"]) for x in after_hold["sections"]) == free_before - 2
        taken = await call_error(s, "hold_seats", event_id=event["id"], seats=hold["seats"], idempotency_key="h2")
        assert "no longer available" in taken
        order = await call(s, "buy_tickets", hold_id=hold["hold_id"], holder_name="Ada", payment_token="tok",
                           idempotency_key="b1")
        assert order["seats"] == hold["seats"] and order["status"] == "confirmed"
        assert "already bought" in await call_error(s, "buy_tickets", hold_id=hold["hold_id"], holder_name="Ada",
                                                     payment_token="tok", idempotency_key="b2")
        refund = await call(s, "refund", order_id=order["order_id"], idempotency_key="r1")
        assert refund["refunded"] == order["total"]
        final = await call(s, "seat_availability", event_id=event["id"])
        assert sum(len(x["free"]) for x in final["sections"]) == free_before


async def test_tickets_bought_without_a_hold(tmp_path: Path) -> None:
    async with mcp_session(partner_params("tickets", "EU", tmp_path / "t.db")) as s:
        event = (await call(s, "search_events", city="Berlin"))[0]
        rang = next(x for x in (await call(s, "seat_availability", event_id=event["id"]))["sections"]
                    if x["section"] == "Rang")
        order = await call(s, "buy_tickets", event_id=event["id"], count=3, section="Rang", holder_name="Ada",
                           payment_token="tok", idempotency_key="d1")
        assert order["seats"] == rang["free"][:3] and order["total"] == 3 * rang["price"]
        again = await call(s, "buy_tickets", event_id=event["id"], count=3, section="Rang", holder_name="Ada",
                           payment_token="tok", idempotency_key="d1")
        assert again["order_id"] == order["order_id"]  # the same key never buys twice
        left = next(x for x in (await call(s, "seat_availability", event_id=event["id"]))["sections"]
                    if x["section"] == "Rang")
        assert len(left["free"]) == len(rang["free"]) - 3
        assert "hold_id, or an event_id" in await call_error(s, "buy_tickets", holder_name="Ada", payment_token="t",
                                                             idempotency_key="d2")
        assert "between 1 and 10" in await call_error(s, "buy_tickets", event_id=event["id"], count=11,
                                                      holder_name="Ada", payment_token="t", idempotency_key="d3")


@pytest.mark.parametrize(("region", "city", "film"), [("EU", "Berlin", "Sieben Laternen"), ("CN", "北京", "七盏灯")])
async def test_cinema(tmp_path: Path, region: str, city: str, film: str) -> None:
    async with mcp_session(partner_params("cinema", region, tmp_path / "c.db")) as s:
        films = await call(s, "list_films")
        assert film in {f["title"] for f in films}
        film_id = next(f["film_id"] for f in films if f["title"] == film)
        shows = await call(s, "showtimes", city=city, film_id=film_id)
        assert shows and {x["film_id"] for x in shows} == {film_id}
        show = shows[0]
        order = await call(s, "buy_tickets", showtime_id=show["showtime_id"], seats=["B3", "B4"], holder_name="Ada",
                           payment_token="tok", idempotency_key="k")
        assert order["total"] == pytest.approx(show["price"] * 2)
        seat_map = await call(s, "seat_map", showtime_id=show["showtime_id"])
        assert {"B3", "B4"} <= set(seat_map["sold"]) and "B3" not in seat_map["free"]
        assert "no longer available" in await call_error(
            s, "buy_tickets", showtime_id=show["showtime_id"], seats=["B4", "B5"], holder_name="Bo",
            payment_token="tok", idempotency_key="k2")
        assert "B5" in (await call(s, "seat_map", showtime_id=show["showtime_id"]))["free"]  # all or nothing
        shown = await call(s, "get_order", order_id=order["order_id"])
        assert (shown["film"], shown["starts_at"], shown["status"]) == (film, show["starts_at"], "confirmed")
        cancelled = await call(s, "cancel_order", order_id=order["order_id"], idempotency_key="c")
        assert cancelled["status"] == "cancelled" and cancelled["refunded"] == order["total"]
        assert cancelled["seats"] == ["B3", "B4"]
        assert {"B3", "B4"} <= set((await call(s, "seat_map", showtime_id=show["showtime_id"]))["free"])
        assert (await call(s, "get_order", order_id=order["order_id"]))["status"] == "cancelled"
        assert "already cancelled" in await call_error(s, "cancel_order", order_id=order["order_id"],
                                                       idempotency_key="c2")
        assert "unknown order" in await call_error(s, "cancel_order", order_id="CIN-0", idempotency_key="c3")


@pytest.mark.parametrize(("region", "city", "a", "b", "line"), [
    ("CN", "北京", "故宫", "天坛", "5号线"), ("EU", "Berlin", "Fernsehturm", "Checkpoint Charlie", "U"),
])
async def test_navigation(tmp_path: Path, region: str, city: str, a: str, b: str, line: str) -> None:
    async with mcp_session(partner_params("navigation", region, tmp_path / "n.db")) as s:
        assert (await call(s, "search_places", city=city, query=a))[0]["name"] == a
        metro = await call(s, "route", city=city, origin=a, destination=b, mode="metro")
        assert metro["found"] and any(step.startswith(line) for step in metro["steps"])
        walk = await call(s, "route", city=city, origin=a, destination=b, mode="walk")
        car = await call(s, "route", city=city, origin=a, destination=b, mode="car")
        assert walk["minutes"] > car["minutes"] > 0 and walk["distance_km"] > 0
        await call(s, "save_place", label="home", city=city, place=b)
        assert (await call(s, "route", city=city, origin=a, destination="home"))["to"] == b


async def test_navigation_without_metro_data(tmp_path: Path) -> None:
    async with mcp_session(partner_params("navigation", "EU", tmp_path / "n.db")) as s:
        no_metro = await call(s, "route", city="Munich", origin="Marienplatz", destination="Olympiapark")
        assert no_metro["found"] is False and "no metro" in no_metro["reason"]
        walk = await call(s, "route", city="Munich", origin="Marienplatz", destination="Olympiapark", mode="walk")
        assert 40 < walk["minutes"] < 120  # ~4.5 km straight line


@pytest.mark.parametrize("region", ["EU", "CN"])
async def test_shopping_stock_is_real(tmp_path: Path, region: str) -> None:
    db = tmp_path / "shop.db"
    async with mcp_session(partner_params("shopping", region, db)) as s:
        product = next(p for p in await call(s, "search_products", category="electronics") if p["stock"] == 3)
        cart = await call(s, "add_to_cart", product_id=product["id"], quantity=2)
        order = await call(s, "place_order", cart_id=cart["cart_id"], name="Ada", address="Hauptstr. 1",
                           payment_token="tok", idempotency_key="o1")
        assert order["total"] == pytest.approx(product["price"] * 2)
        second = await call(s, "add_to_cart", product_id=product["id"], quantity=2)
        assert "out of stock" in await call_error(s, "place_order", cart_id=second["cart_id"], name="Bo",
                                                  address="x", payment_token="tok", idempotency_key="o2")
        assert (await call(s, "track_order", order_id=order["order_id"]))["status"] == "paid"
    # Orders and stock persist across a restart of the partner.
    async with mcp_session(partner_params("shopping", region, db)) as s:
        assert (await call(s, "search_products", query=product["name"]))[0]["stock"] == 1
        assert (await call(s, "track_order", order_id=order["order_id"]))["order_id"] == order["order_id"]


async def test_office(tmp_path: Path) -> None:
    async with mcp_session(partner_params("office", None, tmp_path / "o.db")) as s:
        event = await call(s, "add_event", title="Zahnarzt", starts_at="2026-12-01T09:00",
                           ends_at="2026-12-01T10:00", idempotency_key="e1")
        again = await call(s, "add_event", title="Zahnarzt", starts_at="2026-12-01T09:00",
                           ends_at="2026-12-01T10:00", idempotency_key="e1")
        assert again["id"] == event["id"] and again["replayed"]
        assert len(await call(s, "list_events", start="2026-12-01T00:00", end="2026-12-02T00:00")) == 1
        assert "ends_at must be after" in await call_error(s, "add_event", title="x", starts_at="2026-12-01T10:00",
                                                           ends_at="2026-12-01T09:00")
        await call(s, "add_note", title="Einkauf", body="Milch, Brot")
        assert (await call(s, "search_notes", query="Brot"))[0]["title"] == "Einkauf"
        reminder = await call(s, "add_reminder", text="Mama anrufen", due_at="2026-12-02T18:00")
        await call(s, "complete_reminder", reminder_id=reminder["id"])
        assert await call(s, "list_reminders") == []
        assert len(await call(s, "list_reminders", include_done=True)) == 1


async def test_the_office_lists_events_by_day_moment_and_words_and_deletes_one_once(tmp_path: Path) -> None:
    """What show_calendar and cancel_calendar_event read: a day, a moment, words of the title; the event by its id;
    a delete that answers what it deleted, the same on a retry with its key."""
    async with mcp_session(partner_params("office", None, tmp_path / "o.db")) as s:
        dentist = await call(s, "add_event", title="Zahnarzt Dr. Berg", starts_at="2026-12-01T09:00")
        await call(s, "add_event", title="Lunch with Anna", starts_at="2026-12-01T12:30", location="Kantine")
        await call(s, "add_event", title="Yoga", starts_at="2026-12-02T08:00")
        assert [e["title"] for e in await call(s, "list_events", start="2026-12-01")] == \
            ["Zahnarzt Dr. Berg", "Lunch with Anna"]
        assert [e["title"] for e in await call(s, "list_events", start="2026-12-01T10:00")] == ["Lunch with Anna"]
        assert [e["title"] for e in await call(s, "list_events", at="2026-12-01T09:30")] == ["Zahnarzt Dr. Berg"]
        assert [e["title"] for e in await call(s, "list_events", query="the lunch", start="2026-11-30",
                                               end="2026-12-31")] == ["Lunch with Anna"]
        assert (await call(s, "get_event", event_id=dentist["id"]))["title"] == "Zahnarzt Dr. Berg"
        gone = await call(s, "delete_event", event_id=dentist["id"], idempotency_key="d1")
        assert gone["deleted"] and gone["title"] == "Zahnarzt Dr. Berg"
        assert await call(s, "delete_event", event_id=dentist["id"], idempotency_key="d1") == {**gone, "replayed": True}
        assert "unknown event" in await call_error(s, "get_event", event_id=dentist["id"])
        await call(s, "add_note", title="WLAN", body="the wifi password is sunflower42")
        await call(s, "add_note", title="Key", body="spare key under the mat")
        assert [n["title"] for n in await call(s, "search_notes", query="wifi password")] == ["WLAN"]
        assert len(await call(s, "search_notes")) == 2
        await call(s, "add_note", title="门禁", body="奶奶家楼门禁密码2580")
        assert [n["title"] for n in await call(s, "search_notes", query="我记的门禁密码")] == ["门禁"]
        # a function word another note holds does not keep the right one out (review R14-7)
        await call(s, "add_note", title="Einkauf", body="我的购物清单：牛奶")
        assert [n["title"] for n in await call(s, "search_notes", query="我的门禁密码")] == ["门禁"]
        assert [n["title"] for n in await call(s, "search_notes", query="the wifi password")] == ["WLAN"]
        assert [n["title"] for n in await call(s, "search_notes", query="the spare key")] == ["Key"]


async def test_same_idempotency_key_gives_one_order(tmp_path: Path) -> None:
    db = tmp_path / "food.db"
    async with mcp_session(partner_params("food", "EU", db)) as s:
        restaurant = (await call(s, "search_restaurants", city="Berlin"))[0]
        dish = (await call(s, "menu", restaurant_id=restaurant["id"]))[0]
        order = {"restaurant_id": restaurant["id"], "items": [{"dish_id": dish["dish_id"]}], "address": "A 1",
                 "phone": "1", "name": "Ada", "payment_token": "tok"}
        first = await call(s, "place_order", **order, idempotency_key="same")
        second = await call(s, "place_order", **order, idempotency_key="same")
        assert second["order_id"] == first["order_id"] and second["replayed"] and not first["replayed"]
        reused = await call_error(s, "place_order", **{**order, "address": "B 2"}, idempotency_key="same")
        assert "different request" in reused
    async with mcp_session(partner_params("food", "EU", db)) as s:  # also after a restart
        third = await call(s, "place_order", **order, idempotency_key="same")
        assert third["order_id"] == first["order_id"]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 1
    assert json.loads(conn.execute("SELECT result FROM idempotency").fetchone()[0])["order_id"] == first["order_id"]


async def test_the_shop_finds_a_product_asked_for_with_an_article(tmp_path: Path) -> None:
    async with mcp_session(partner_params("shopping", "EU", tmp_path / "shop.db")) as s:
        for said in ("a powerbank", "eine Powerbank", "Powerbank", "powerbank klangwerk"):
            assert [p["id"] for p in await call(s, "search_products", query=said)] == ["p-eu-powerbank"], said
        assert await call(s, "search_products", query="a unicorn") == []  # a word no product has finds nothing
