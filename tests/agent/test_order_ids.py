"""Order ids that say whose order they are (a manifest parameter's ``shape``: FD-…, SH-…, TIX-…, CIN-…): a follow-up
naming one goes to the capability declaring that shape, of the same kind (a cancellation stays one), and the id fills
its parameter, so the order asked about is the one named. In-memory partners; no model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import capabilities, shipped
from tandem.agent.clauses import Intent
from tandem.agent.journal import Journal
from tandem.agent.order_ids import routed
from tandem.agent.profile import load_profile
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

SPECS = {s.name: s for s in shipped()}


@pytest.mark.parametrize(("read", "text", "goes", "order"), [
    ("track_food_order", "where is SH-1A2B?", "track_shopping_order", "SH-1A2B"),
    ("track_food_order", "wo ist meine Bestellung cin-4f2a", "show_movie_order", "cin-4f2a"),
    ("cancel_food_order", "cancel CIN-12AB please", "cancel_movie_tickets", "CIN-12AB"),
    ("cancel_movie_tickets", "storniere TIX-88", "refund_tickets", "TIX-88"),
    ("show_movie_order", "我的订单TIX-9F到哪了", "show_ticket_order", "TIX-9F"),
    ("track_food_order", "where is FD-12", "track_food_order", "FD-12"),  # its own: the id fills the parameter
    ("find_route", "where is FD-12", "track_food_order", "FD-12"),  # the id was read as a place
])
def test_an_id_goes_to_the_capability_that_declares_its_shape(read: str, text: str, goes: str, order: str) -> None:
    slots = {"destination": "FD-12"} if read == "find_route" else {}
    assert routed(Intent(read, slots, text), SPECS, SPECS) == Intent(goes, {"order_id": order}, text)


@pytest.mark.parametrize(("read", "text"), [
    ("cancel_food_order", "storniere SH-88"),  # no shop cancels: never turned into tracking
    ("cancel_food_order", "cancel my food order"),  # no id said
    ("order_food", "order a pizza to room FD-12"),  # no follow-up, and the id is no value of it
    ("track_food_order", "where is order 4711"),  # a number alone has no partner's shape
    ("take_note", "note down FD-1A2B3C"),  # review R23-2: what the user writes down keeps the id
    ("take_note", "记一下 TIX-88"),
    ("set_reminder", "remind me about FD-12AB"),
    ("add_calendar_event", "TIX-9F in den Kalender"),
    ("search_products", "search for SH-2000"),
])
def test_a_request_without_an_id_of_another_kind_stays(read: str, text: str) -> None:
    values = {"order_food": {"dish": "pizza"}, "take_note": {"text": text.split()[-1]},
              "set_reminder": {"todo": "FD-12AB"}, "add_calendar_event": {"title": "TIX-9F"},
              "search_products": {"item": "SH-2000"}}
    said = Intent(read, values.get(read, {}), text)
    assert routed(said, SPECS, SPECS) == said


def test_a_capability_offered_by_two_partners_knows_both_shapes() -> None:
    def doc(partner: str, shape: str) -> dict[str, object]:
        return {"id": partner, "categories": ["food"], "tools": [{"name": "track", "intent": "track_food_order",
                "parameters": {"order_id": {"kind": "text", "shape": shape}}}]}

    (spec,) = capabilities([doc("a.food", "FD-[0-9A-F]{1,10}"), doc("b.food", "ZT#[0-9]{6}")])
    assert spec.shapes == {"order_id": ("FD-[0-9A-F]{1,10}", "ZT#[0-9]{6}")}
    moved = routed(Intent("cancel_movie_tickets", {}, "cancel zt#123456"), {**SPECS, spec.name: spec}, SPECS)
    assert moved == Intent("cancel_movie_tickets", {}, "cancel zt#123456")  # a track is no cancellation
    assert routed(Intent("show_movie_order", {}, "where is ZT#123456"), {**SPECS, spec.name: spec}, SPECS) == \
        Intent("track_food_order", {"order_id": "ZT#123456"}, "where is ZT#123456")


def _noon() -> dt.datetime:
    """Noon on the day the test runs, never the day collected."""
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


async def _placed(assistant: Assistant, said: str) -> str:
    (task,) = (await assistant.ask(said)).tasks
    assert task.state == TaskState.AWAITING_CONFIRMATION, task
    done = await assistant.confirm(task.confirmation_id or "")
    assert done.state == TaskState.DONE, done
    return str(done.result["order_id"])


async def _asked(assistant: Assistant, intent: str, text: str) -> Task:
    """``text`` read as ``intent`` (what the understanding tiers may read a follow-up naming an id as)."""
    read = Understanding((Intent(intent, {}, text),), "learned", 0.5, "en")
    (task,) = (await assistant.ask(text, understanding=read)).tasks
    return task


@pytest.mark.anyio
async def test_the_order_named_by_its_id_is_the_one_shown(home: Path) -> None:
    """Before: 'where is my order TIX-…' read as the food order's tracking asked which food order was meant, and 'where
    is FD-…' (the first of two food orders) showed the latest."""
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        first = await _placed(assistant, "Bestell mir eine Pizza ins Büro")
        await _placed(assistant, "Bestell mir eine Lasagne ins Büro")
        tickets = await _placed(assistant, "book two concert tickets for Nordlicht Quartett")
        event = await _asked(assistant, "track_food_order", f"where is my order {tickets}?")
        food = await _asked(assistant, "track_food_order", f"where is {first.lower()}")
    assert (event.intent, event.state, (event.result or {}).get("id")) == ("show_ticket_order", TaskState.DONE, tickets)
    assert (food.intent, food.state, (food.result or {}).get("order_id")) == ("track_food_order", TaskState.DONE, first)
