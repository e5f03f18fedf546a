"""A conversation with the assistant on the in-memory reference partners of a region, its clock at noon today (read
when the test runs, not at import): for the dialogue tests of confirmation and own orders (dialog18); ``talked`` and
``orders``: a conversation's replies and what the partners recorded after it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.reply import Reply
from tandem.agent.understand import Understander
from tandem.partners.server import Options
from tests.agent.conftest import noon, partner_rows, write_profile
from tests.agent.toolsets import InMemoryPartners, in_memory_partners


@contextlib.asynccontextmanager
async def talking(home: Path, case: str, understander: Understander | None = None,
                  clock: Callable[[], dt.datetime] = noon) -> AsyncIterator[tuple[Assistant, InMemoryPartners]]:
    """The assistant of a user in ``case``'s region ("CN": China, else the EU, a German profile) and its partners;
    ``understander``: the tiers it reads with (the fast one alone by default; the shared learned one: conftest's);
    ``clock``: the time of both, the assistant's and the partners' (noon today by default)."""
    write_profile(home, "CN" if case == "CN" else "DE")
    async with in_memory_partners(home, "CN" if case == "CN" else "EU", Options(clock=clock)) as partners:
        yield Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), understander=understander,
                        clock=clock), partners


_PARTNERS = {"cinema": ("lichtspiel.cinema", "guangying.cinema"), "food": ("gabelpost.food", "kuaisong.food"),
             "tickets": ("rangplatz.tickets", "piaogen.tickets")}


async def talked(home: Path, case: str, turns: Sequence[str], understander: Understander | None = None,
               clock: Callable[[], dt.datetime] = noon) -> list[Reply]:
    """The replies to ``turns`` said one after another in one conversation of ``case``'s user (``talking``): "say,
    yes" and what the partners recorded after it (``orders``) is most of a dialogue test."""
    replies: list[Reply] = []
    async with talking(home, case, understander, clock) as (assistant, _):
        for turn in turns:
            replies.append(await take_turn(assistant, turn, replies[-1].conversation_id if replies else None))
    return replies


def orders(home: Path, case: str, kind: str, columns: str = "*") -> list[dict[str, Any]]:
    """The orders ``case``'s region's partner of ``kind`` ("cinema", "food", "tickets") recorded under ``home``."""
    return partner_rows(home, _PARTNERS[kind][case == "CN"], f"SELECT {columns} FROM orders")
