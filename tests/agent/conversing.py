"""A conversation with the assistant on the in-memory reference partners of a region, its clock at noon today (read
when the test runs, not at import): for the dialogue tests of confirmation and own orders (dialog18)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.understand import Understander
from tandem.partners.server import Options
from tests.agent.conftest import write_profile
from tests.agent.toolsets import InMemoryPartners, in_memory_partners


@contextlib.asynccontextmanager
async def talking(home: Path, case: str, understander: Understander | None = None,
                  ) -> AsyncIterator[tuple[Assistant, InMemoryPartners]]:
    """The assistant of a user in ``case``'s region ("CN": China, else the EU, a German profile) and its partners;
    ``understander``: the tiers it reads with (the fast one alone by default; the shared learned one: conftest's)."""
    write_profile(home, "CN" if case == "CN" else "DE")

    def noon() -> dt.datetime:
        return dt.datetime.combine(dt.date.today(), dt.time(12, 0))

    # the partners share the assistant's clock: "tonight at 8" has not begun for either, whenever the test runs
    async with in_memory_partners(home, "CN" if case == "CN" else "EU", Options(clock=noon)) as partners:
        yield Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), understander=understander,
                        clock=noon), partners
