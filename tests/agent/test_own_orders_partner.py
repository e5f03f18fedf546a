"""A reorder goes to the shop the earlier order went to ("same again", "das Gleiche nochmal", "再来一份"): before, it
went to the partner the user prefers now, a shop they had not asked for. While the earlier partner is offered it takes
the order again, whichever is preferred; when it is not (uninstalled, out of the region) the reply says so and the
order is prepared at the preferred one, named on the card: nothing is bought without a yes either way.

The second food partner is written here: the reference food server under another id and name, with its manifest's
trust metadata (tests/agent/toolsets.py). The phrasings are my own (dialog17), none from a bench set."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.own_orders_again import partner_moved
from tandem.agent.profile import load_profile
from tandem.agent.reply import Reply
from tandem.agent.tasks import Task, TaskState
from tandem.partners import MANIFEST_DIR, food
from tandem.partners.server import Options, Variant
from tandem.services.manifest import load_manifest
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import InMemoryPartners, in_memory_partners

pytestmark = pytest.mark.anyio

# region -> the shipped food partner, a second one written here (its id and name), the first request, a yes, a reorder
_CASES = {
    "DE": ("gabelpost.food", Variant("EU", "lieferblitz.food", "Lieferblitz GmbH", "EUR", ("Berlin", "Munich")),
           "Bestell mir zwei Pizza Margherita ins Büro", "ja", "das Gleiche nochmal"),
    "EN": ("gabelpost.food", Variant("EU", "lieferblitz.food", "Lieferblitz GmbH", "EUR", ("Berlin", "Munich")),
           "Order me two pizza margherita to the office", "yes", "same again"),
    "CN": ("kuaisong.food", Variant("CN", "feikuai.food", "飞快外卖", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
           "帮我点两份披萨送到办公室", "好的", "再来一份"),
}


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


@contextlib.asynccontextmanager
async def _second_food(partners: InMemoryPartners, home: Path, variant: Variant,
                       preferred: bool = True) -> AsyncIterator[None]:
    """The reference food server as another partner (``variant``'s id and name), added by the user and chosen by them
    for food from now on (unless not ``preferred``: then added only, the shipped one stays first)."""
    shipped = food.VARIANTS[variant.region]
    manifest = dataclasses.replace(load_manifest(MANIFEST_DIR / f"{shipped.service_id}.toml"), id=variant.service_id,
                                   partner=variant.partner)
    store = food.open_store(home / "partners" / f"{variant.service_id}.db", variant)
    try:  # the server reads its declared tools by the shipped id; its orders are in a store of its own
        server = food.build(dataclasses.replace(variant, service_id=shipped.service_id), store, Options())
        async with create_connected_server_and_client_session(server) as session:
            await partners.serve(session, manifest)
            for name, spec in list(partners.specs.items()):
                if spec.service_id == variant.service_id:
                    partners.specs[name] = dataclasses.replace(spec, preferred_for=("food",) if preferred else (),
                                                               rank=1 if preferred else 99)
            yield
    finally:
        store.close()


def _uninstall(partners: InMemoryPartners, service_id: str) -> None:
    for name in [n for n, s in partners.specs.items() if s.service_id == service_id]:
        del partners.specs[name]


def _assistant(partners: InMemoryPartners, home: Path) -> Assistant:
    return Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)


@contextlib.asynccontextmanager
async def _ordered_then_second(home: Path, case: str,
                               preferred: bool = True) -> AsyncIterator[tuple[InMemoryPartners, Task]]:
    """The case's first order bought at the shipped partner, then the second partner added (and preferred, unless
    not ``preferred``): the partners and the order."""
    _, second, first, yes, _ = _CASES[case]
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, "CN" if case == "CN" else "EU") as partners:
        assistant = _assistant(partners, home)
        shown = await take_turn(assistant, first)
        done = await take_turn(assistant, yes, shown.conversation_id)
        assert [t.state for t in done.tasks] == [TaskState.DONE]
        async with _second_food(partners, home, second, preferred):
            yield partners, done.tasks[0]


@pytest.mark.parametrize("case", list(_CASES))
async def test_same_again_goes_to_the_shop_of_the_earlier_order_not_the_one_preferred_now(home: Path,
                                                                                         case: str) -> None:
    shipped, second, first, yes, again = _CASES[case]
    async with _ordered_then_second(home, case) as (partners, before):
        assistant = _assistant(partners, home)
        asked = await take_turn(assistant, again)
        fresh = await take_turn(assistant, first)  # a new order goes to the partner the user chose
        assert len(partner_rows(home, shipped, "SELECT * FROM orders")) == 1  # nothing bought without a yes
        bought = await take_turn(assistant, yes, asked.conversation_id)
        placed = (partner_rows(home, shipped, "SELECT * FROM orders"),
                  partner_rows(home, second.service_id, "SELECT * FROM orders"))
    assert [(t.intent, t.state) for t in asked.tasks] == [(before.intent, TaskState.AWAITING_CONFIRMATION)]
    call = asked.tasks[0].call
    assert call is not None and before.call is not None
    assert call.service_id == shipped and call.summary == before.call.summary  # the same shop, dishes, place, price
    assert asked.text.startswith(f"[{asked.tasks[0].id}]")  # the card alone: nothing said of another partner
    assert [t.call.service_id for t in fresh.tasks if t.call] == [second.service_id]
    assert [t.state for t in bought.tasks] == [TaskState.DONE]
    assert (len(placed[0]), len(placed[1])) == (2, 0)


@pytest.mark.parametrize(("case", "said"), [("DE", "nicht verfügbar"), ("EN", "not available"), ("CN", "不可用")])
async def test_with_the_earlier_shop_gone_the_preferred_one_is_named_and_asked(home: Path, case: str,
                                                                               said: str) -> None:
    shipped, second, _, yes, again = _CASES[case]
    async with _ordered_then_second(home, case) as (partners, before):
        _uninstall(partners, shipped)
        assistant = _assistant(partners, home)
        asked = await take_turn(assistant, again)
        beside = await partner_moved(assistant, Reply(asked.conversation_id, None, (before, *asked.tasks), "…"),
                                     [before])  # a task the turn moved besides (reread26 L5): not the one made anew
        unbought = partner_rows(home, second.service_id, "SELECT * FROM orders")
        bought = await take_turn(assistant, yes, asked.conversation_id)
        placed = partner_rows(home, second.service_id, "SELECT * FROM orders")
        turns = assistant.journal.turns(asked.conversation_id)
    assert before.call is not None
    assert [t.state for t in asked.tasks] == [TaskState.AWAITING_CONFIRMATION]
    call = asked.tasks[0].call
    assert call is not None and call.service_id == second.service_id and unbought == []
    note = asked.text.splitlines()[0]  # said before the card, which names the partner too
    assert said in note and before.call.summary["partner"] in note and second.partner in note
    assert call.summary["partner"] == second.partner
    assert beside.text.splitlines() == [note, "…"]
    assert any(t["role"] == "assistant" and t["text"] == asked.text for t in turns)  # as said, so kept
    assert [t.state for t in bought.tasks] == [TaskState.DONE] and len(placed) == 1


async def test_a_declined_card_asked_for_after_all_stays_at_its_shop(home: Path) -> None:
    """"und die Karten auch" after declining: made anew at the partner it was declined at, while that is offered (the
    partner preferred now is another); nothing bought before the yes."""
    shipped, second, first, _, _ = _CASES["DE"]
    write_profile(home, "DE")
    async with in_memory_partners(home, "EU") as partners:
        assistant = _assistant(partners, home)
        shown = await take_turn(assistant, first)
        declined = await take_turn(assistant, "nein", shown.conversation_id)
        assert [t.state for t in declined.tasks] == [TaskState.CANCELLED]
        async with _second_food(partners, home, second):
            assistant = _assistant(partners, home)
            again = await take_turn(assistant, "und die Pizza auch", shown.conversation_id)
            rows = (partner_rows(home, shipped, "SELECT * FROM orders"),
                    partner_rows(home, second.service_id, "SELECT * FROM orders"))
    assert [t.state for t in again.tasks] == [TaskState.AWAITING_CONFIRMATION]
    call = again.tasks[0].call
    assert call is not None and call.service_id == shipped and rows == ([], [])


# a reorder naming the second partner, one naming a shipped partner of another kind (cinema), and that one's name
_NAMED = {
    "DE": ("das Gleiche nochmal bei Lieferblitz", "das Gleiche nochmal bei Lichtspiel", "Lichtspiel Kinos GmbH"),
    "EN": ("same again but from Lieferblitz", "same again but from Lichtspiel", "Lichtspiel Kinos GmbH"),
    "CN": ("再来一份，换飞快送", "上次那份，换光影影城", "光影影城有限公司"),
}


@pytest.mark.parametrize("case", list(_NAMED))
async def test_a_reorder_naming_another_partner_is_prepared_there_and_bought_on_the_yes(home: Path,
                                                                                         case: str) -> None:
    """The partner named is not the one preferred (the shipped one still is): the order goes where the user said, its
    card names that partner, and nothing is bought before the yes."""
    shipped, second, _, yes, _ = _CASES[case]
    async with _ordered_then_second(home, case, preferred=False) as (partners, before):
        assistant = _assistant(partners, home)
        asked = await take_turn(assistant, _NAMED[case][0])
        unbought = partner_rows(home, second.service_id, "SELECT * FROM orders")
        bought = await take_turn(assistant, yes, asked.conversation_id)
        placed = (partner_rows(home, shipped, "SELECT * FROM orders"),
                  partner_rows(home, second.service_id, "SELECT * FROM orders"))
    assert before.call is not None
    assert [(t.intent, t.state) for t in asked.tasks] == [(before.intent, TaskState.AWAITING_CONFIRMATION)]
    call = asked.tasks[0].call
    assert call is not None and call.service_id == second.service_id and unbought == []
    assert call.summary["partner"] == second.partner and second.partner in asked.text  # the card names it
    assert call.summary["items"] == before.call.summary["items"]  # the same dishes
    assert [t.state for t in bought.tasks] == [TaskState.DONE]
    assert (len(placed[0]), len(placed[1])) == (1, 1)  # the earlier order only at the shipped one


@pytest.mark.parametrize("case", list(_NAMED))
async def test_a_reorder_naming_a_partner_that_takes_no_such_order_says_so_and_does_nothing(home: Path,
                                                                                           case: str) -> None:
    shipped, second, _, yes, _ = _CASES[case]
    async with _ordered_then_second(home, case, preferred=False) as (partners, _before):
        assistant = _assistant(partners, home)
        said = await take_turn(assistant, _NAMED[case][1])
        after = await take_turn(assistant, yes, said.conversation_id)
        placed = (partner_rows(home, shipped, "SELECT * FROM orders"),
                  partner_rows(home, second.service_id, "SELECT * FROM orders"))
    assert said.tasks == () and _NAMED[case][2] in said.text
    assert [t for t in after.tasks if t.state == TaskState.DONE] == []
    assert (len(placed[0]), len(placed[1])) == (1, 0)


@pytest.mark.parametrize("said", ["上次那份在筷送点的", "上次那单在筷送", "照旧在筷送点的"])
async def test_a_statement_of_where_the_last_order_was_placed_is_no_reorder(home: Path, said: str) -> None:
    """reread27 M3: "the last one was ordered at Kuaisong" says where, asks for nothing: no card, the yes buys
    nothing."""
    write_profile(home, "CN")
    async with in_memory_partners(home, "CN") as partners:
        assistant = _assistant(partners, home)
        placed = await take_turn(assistant, "好的", (await take_turn(assistant, _CASES["CN"][2])).conversation_id)
        told = await take_turn(assistant, said, placed.conversation_id)
        after = await take_turn(assistant, "好的", placed.conversation_id)
        rows = partner_rows(home, "kuaisong.food", "SELECT * FROM orders")
    assert [t.state for t in placed.tasks] == [TaskState.DONE]
    assert [t for t in told.tasks if t.state == TaskState.AWAITING_CONFIRMATION] == []
    assert [t for t in after.tasks if t.state == TaskState.DONE and t.id != placed.tasks[0].id] == [] and len(rows) == 1
