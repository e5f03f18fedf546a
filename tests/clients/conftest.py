"""The compatibility suite: real client libraries against a real Tandem server with the real 0.5B.

Each test names the client and the feature it covers (``@pytest.mark.compat(client, feature)``); with
``TANDEM_CLIENTS_REPORT=<file>`` the outcomes are written there as JSON lines, which
``bench/clients.py`` turns into the compatibility table (docs/results/clients.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import LiveServer

SMALL = "device:qwen2.5-0.5b"
REQUEST = "Book two tickets for Dune on 2025-06-01."
ORDER = {"order_id": "A1", "status": "booked"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "compat(client, feature): a cell of the compatibility table")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("compat"):
            item.add_marker(pytest.mark.model)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("compat")
    path = os.environ.get("TANDEM_CLIENTS_REPORT")
    if marker is None or not path or (report.when != "call" and not report.failed):
        return
    row = {"client": marker.args[0], "feature": marker.args[1], "outcome": report.outcome,
           "test": item.nodeid, "detail": str(report.longrepr).splitlines()[-1][:200] if report.failed else ""}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")


@dataclass
class Bookings:
    """A booking tool with a side effect: every run is recorded, so a test can check it ran once.
    ``failures`` are raised by the first runs, one each, before anything is booked: a service that fails
    and then works, so the client sends an error result and the model must be free to call again."""

    made: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    tried: int = 0

    def tool(self) -> Callable[..., str]:
        def book_tickets(title: str, count: int, date: str) -> str:
            """Book cinema tickets for a film.

            Args:
                title: film title
                count: number of tickets
                date: date, e.g. 2026-11-29
            """
            self.tried += 1
            if self.failures:
                raise self.failures.pop(0)
            self.made.append({"title": title, "count": count, "date": date})
            return json.dumps(ORDER)

        return book_tickets

    def check_once(self, answer: str | None) -> None:
        assert len(self.made) == 1, f"the booking ran {len(self.made)} times: {self.made}"
        assert "dune" in str(self.made[0]["title"]).lower() and int(self.made[0]["count"]) == 2, self.made
        assert answer and answer.strip(), "no final answer"


BOOK_SCHEMA = {"type": "object",
               "properties": {"title": {"type": "string", "description": "film title"},
                              "count": {"type": "integer", "description": "number of tickets"},
                              "date": {"type": "string", "description": "date, e.g. 2026-11-29"}},
               "required": ["title", "count", "date"], "additionalProperties": False}


@pytest.fixture
def bookings() -> Bookings:
    return Bookings()


@pytest.fixture(scope="session")
def base_url(small_server: LiveServer) -> str:
    return small_server.url + "/v1"
