"""Fixtures for the agent tests. The helpers (a film on a partner's schedule, a user profile, the orders a
partner recorded) live in ``tandem.testing.agent``, shared with the benches; tests import them from here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import Understander
from tandem.testing.agent import partner_rows, schedule_film, write_profile  # noqa: F401 (tests import them from here)


def noon_before(weekday: int) -> Callable[[], dt.datetime]:
    """A clock at noon today, or yesterday when today is ``weekday`` (0 = Monday), for a test that names that weekday
    ("on Friday"): said on the day itself it is next week's, past the week the cinema partners schedule from today
    (reread33 T-1, T-2: such tests failed on those days)."""
    def clock() -> dt.datetime:
        today = dt.date.today()
        return dt.datetime.combine(today - dt.timedelta(days=int(today.weekday() == weekday)), dt.time(12, 0))
    return clock


def named_day(clock: Callable[[], dt.datetime], weekday: int) -> dt.date:
    """The date ``weekday`` said by its name means at ``clock``'s time (never its own day)."""
    day = clock().date()
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def noon() -> dt.datetime:
    """Noon today, read when called: the clock tests share with the reference partners, so "tonight at 8" has not
    begun for either, whenever the suite runs (the partners sell only what has not begun by their clock)."""
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def understander() -> Understander:
    """The fast and learned tiers over the shipped capabilities (e5 on the device), built once per test module."""
    from tandem.models.embeddings import E5Embedder

    return Understander(learned=LearnedTier(E5Embedder(), shipped()))
