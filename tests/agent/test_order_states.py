"""An order's state as the user reads and hears it, from a partner Tandem does not ship: Pizzabote, written here (its
FastMCP server in this process, reached through the official MCP client), names its own states in its manifest
([values.status]); the assistant shows and says the partner's name in the user's language, else Tandem's own name for
a common state (say.toml), else the state as sent. "Where is my order" is answered with the order and its state, not
"Erledigt."."""

from __future__ import annotations

import contextlib
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_connected_server_and_client_session

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import capabilities
from tandem.agent.clauses import Intent
from tandem.agent.journal import Journal
from tandem.agent.profile import Profile
from tandem.agent.reply import describe
from tandem.agent.spoken import say
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tandem.services.manifest import parse_manifest
from tests.agent.toolsets import InMemoryPartners
from tests.manifests import manifest

pytestmark = pytest.mark.anyio

_TOOLS = """
    [[tools]]
    name = "track_order"
    reads_user_data = true
    intent = "track_pizza"
    items = {name = "name"}
    arguments = {order_id = "{order_id}"}
    description = {en = "Say where one of the user's pizza orders is."}
    [tools.parameters.order_id]
    required = true

    [[tools]]
    name = "cancel_order"
    transactional = true
    idempotency = "key"
    intent = "cancel_pizza"
    resolve = [{tool = "track_order", arguments = {order_id = "{order_id}"}}]
    arguments = {order_id = "{order_id}"}
    summary = {order = "{track_order.order_id}", status = "{track_order.status}"}
    description = {en = "Cancel one of the user's pizza orders."}
    [tools.parameters.order_id]
    required = true

    [values.status]  # its own states, and its own name for one Tandem names too
    in_kitchen = {en = "in the kitchen", de = "in der Küche", zh = "厨房制作中"}
    preparing = {de = "im Ofen"}
"""


def _server(order: dict[str, Any]) -> FastMCP:
    mcp = FastMCP("Pizzabote")

    @mcp.tool()
    def track_order(order_id: str) -> dict[str, Any]:
        """Where an order is."""
        return {**order, "order_id": order_id}

    @mcp.tool()
    def cancel_order(order_id: str, idempotency_key: str) -> dict[str, Any]:
        """Cancel an order."""
        return {"order_id": order_id, "status": "cancelled"}

    return mcp


_RIVAL = """
    [[tools]]
    name = "track_order"
    reads_user_data = true
    intent = "track_pizza"
    arguments = {order_id = "{order_id}"}
    [tools.parameters.order_id]
    required = true

    [values.status]  # names for states of its own answers: never for Pizzabote's
    cancelled = {en = "delivered", de = "geliefert", zh = "已送达"}
    in_kitchen = {de = "Anruf unter 0800 123 zum Umbuchen"}
"""


async def _asked(tmp_path: Path, intent: str, language: str, status: str, rival: int | None = None) -> Task:
    """``intent`` asked about order PB-7 in ``language`` while the partner says it is ``status`` (``rival``: another
    partner of the capability, which the user does not reach, declared before (0) or after (1) Pizzabote)."""
    doc = tomllib.loads(manifest("pizzabote.food", textwrap.dedent(_TOOLS), name="Pizzabote"))
    docs = [doc]
    if rival is not None:
        docs.insert(rival, tomllib.loads(manifest("zz-cheap.food", textwrap.dedent(_RIVAL), name="ZZ Cheap")))
    order = {"status": status, "total": 9.5, "items": [{"name": "Margherita", "quantity": 1}, {"name": "Tiramisu"}]}
    partners = InMemoryPartners()
    async with create_connected_server_and_client_session(_server(order)) as session:
        await partners.serve(session, parse_manifest(doc))
        assistant = Assistant(partners, Journal(tmp_path / f"{language}-{status}.db"), profile=Profile(),
                              intents=capabilities(docs))
        said = {"de": "Wo ist Bestellung PB-7?", "zh": "PB-7订单到哪了", "en": "where is order PB-7"}[language]
        understood = Understanding(intents=(Intent(intent, {"order_id": "PB-7"}, said),), tier="fast",
                                   confidence=1.0, language=language)
        (task,) = (await assistant.ask(said, understanding=understood)).tasks
    return task


@pytest.mark.parametrize(("language", "status", "named"), [
    ("de", "in_kitchen", "in der Küche"), ("en", "in_kitchen", "in the kitchen"), ("zh", "In kitchen", "厨房制作中"),
    ("de", "preparing", "im Ofen"),  # the partner's name before Tandem's ("wird zubereitet")
    ("en", "preparing", "being prepared"),  # a language the partner names it in none of: Tandem's
    ("zh", "delivered", "已送达"), ("de", "lost_at_sea", "lost_at_sea")])  # named by nobody: as sent
async def test_a_partner_names_its_own_order_states_in_the_users_language(tmp_path: Path, language: str,
                                                                         status: str, named: str) -> None:
    """A partner's own state ("in_kitchen") was shown and said as sent, a German user heard "Erledigt.": now the
    partner's name for it in the user's language, and "where is my order" is answered with the order, what is in it
    and that state."""
    track = await _asked(tmp_path, "track_pizza", language, status)
    assert track.state == TaskState.DONE, track
    status_label = {"de": "Status", "en": "status", "zh": "状态"}[language]
    assert f"{status_label}: {named}" in describe(track), describe(track)
    spoken = {"de": f"Deine Bestellung PB-7 (Margherita, Tiramisu): {named}.",
              "en": f"Your order PB-7 (Margherita, Tiramisu): {named}.",
              "zh": f"你的订单PB-7（Margherita、Tiramisu）：{named}。"}[language]
    assert say(track) == spoken
    # what the API and the web card show of the task: the same name (a state nobody names: none, the card shows it)
    assert (track.public()["named"] or {}).get("status", status) == named, track.public()
    cancel = await _asked(tmp_path, "cancel_pizza", language, status)
    assert cancel.state == TaskState.AWAITING_CONFIRMATION, cancel
    assert f"{status_label}: {named}" in describe(cancel) and named in say(cancel), (describe(cancel), say(cancel))
    assert (cancel.public()["named"] or {}).get("status", status) == named, cancel.public()


@pytest.mark.parametrize(("rival", "status", "named"), [
    (1, "cancelled", "storniert"), (1, "in_kitchen", "in der Küche"),  # Pizzabote's own names, Tandem's, never ZZ's
    (0, "cancelled", "storniert"), (0, "in_kitchen", "in der Küche")])  # ZZ declared first: still Pizzabote's own
async def test_a_partner_never_names_another_partners_states(tmp_path: Path, rival: int, status: str,
                                                              named: str) -> None:
    """review R20-7: the names of a capability's partners were merged, so a partner declared beside Pizzabote named
    Pizzabote's cancelled order "geliefert". A partner's names are for its own answers only, and its own are used
    whether it was declared first or after another partner of the capability (its items too)."""
    track = await _asked(tmp_path, "track_pizza", "de", status, rival)
    assert say(track) == f"Deine Bestellung PB-7 (Margherita, Tiramisu): {named}.", say(track)
    assert f"Status: {named}" in describe(track) and track.public()["named"] == {"status": named}, describe(track)


_PASTA = """
    [[tools]]
    name = "track_order"
    reads_user_data = true
    intent = "track_pizza"
    items = {name = "dish"}
    arguments = {order_id = "{order_id}"}
    [tools.parameters.order_id]
    required = true

    [values.status]
    in_kitchen = {de = "am Herd", en = "on the stove", zh = "灶上"}
"""


@pytest.mark.parametrize("first", ["pizzabote.food", "pastaflitzer.food"])
@pytest.mark.parametrize(("reached", "status", "spoken"), [
    ("pastaflitzer.food", "in_kitchen", "Deine Bestellung PB-7 (Carbonara): am Herd."),
    ("pastaflitzer.food", "preparing", "Deine Bestellung PB-7 (Carbonara): wird zubereitet."),  # not Pizzabote's
    ("pizzabote.food", "in_kitchen", "Deine Bestellung PB-7 (Margherita, Tiramisu): in der Küche."),
    ("pizzabote.food", "preparing", "Deine Bestellung PB-7 (Margherita, Tiramisu): im Ofen.")])
async def test_each_partner_of_a_capability_speaks_for_itself(tmp_path: Path, first: str, reached: str, status: str,
                                                               spoken: str) -> None:
    """Two partners track orders, each naming its states and its order's items its own way: the answer of the one the
    call went to is said with its own names and items, whichever was declared first (session 20 kept the first one's
    for the capability, so the other one's answers were named by nobody, or by the first one's manifest), and a
    state it does not name is Tandem's word, never the other partner's."""
    docs = {"pizzabote.food": tomllib.loads(manifest("pizzabote.food", textwrap.dedent(_TOOLS), name="Pizzabote")),
            "pastaflitzer.food": tomllib.loads(manifest("pastaflitzer.food", textwrap.dedent(_PASTA),
                                                        name="Pastaflitzer"))}
    lines = {"pizzabote.food": [{"name": "Margherita"}, {"name": "Tiramisu"}],
             "pastaflitzer.food": [{"dish": "Carbonara", "quantity": 1}]}
    partners = InMemoryPartners()
    async with contextlib.AsyncExitStack() as stack:
        for partner, doc in docs.items():
            served = _server({"status": status, "items": lines[partner]})
            await partners.serve(await stack.enter_async_context(create_connected_server_and_client_session(served)),
                                 parse_manifest(doc))
        partners.down = set(docs) - {reached}  # both installed; the order is the reachable one's
        order = [docs[first], *(doc for partner, doc in docs.items() if partner != first)]
        assistant = Assistant(partners, Journal(tmp_path / "j.db"), profile=Profile(), intents=capabilities(order))
        said = "Wo ist Bestellung PB-7?"
        understood = Understanding(intents=(Intent("track_pizza", {"order_id": "PB-7"}, said),), tier="fast",
                                   confidence=1.0, language="de")
        (track,) = (await assistant.ask(said, understanding=understood)).tasks
    assert track.state == TaskState.DONE and track.call is not None and track.call.service_id == reached, track
    assert say(track) == spoken, say(track)
    state = spoken.rsplit(": ", 1)[1].rstrip(".")
    assert f"Status: {state}" in describe(track) and track.public()["named"] == {"status": state}, describe(track)
