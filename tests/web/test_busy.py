"""The web app when the server's line for heavy work is full (429, tandem.api.admission): it says it is busy and
when it tries again, in the page's language, and sends the turn again after the server's wait; the turn is then
answered as any other (no raw error)."""

from __future__ import annotations

import json
from typing import Any

from tandem.api.errors import error_body, status_of
from tandem.errors import RateLimited
from tests.web.conftest import Page

SENTENCE = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"
WAIT_MS = 60_000
BUSY = json.dumps(error_body("the server is busy: 4 assistant requests are running and 32 waiting; retry after 1 s",
                             "requests", code="rate_limit_exceeded"))  # as tandem.api.admission writes it


def test_a_busy_server_is_said_and_the_turn_sent_again(tab: Page) -> None:
    page = tab.open()
    refused: list[str] = []

    def busy_once(route: Any) -> None:  # the server's own 429, as admission writes it, for the first turn
        if refused:
            route.continue_()
            return
        refused.append(route.request.post_data or "")
        route.fulfill(status=429, body=BUSY, headers={"content-type": "application/json", "retry-after": "1",
                                                      "retry-after-ms": "800"})

    page.route("**/api/ui/turn", busy_once)
    page.fill("#prompt", SENTENCE)
    page.keyboard.press("Enter")
    page.locator("#toast", has_text="neuer Versuch in 1 s").wait_for(timeout=WAIT_MS)
    page.locator(".card").first.wait_for(timeout=WAIT_MS)  # sent again: the turn's cards
    assert len(refused) == 1 and SENTENCE in refused[0]
    assert page.locator(".error").count() == 0  # no "Etwas ist schiefgegangen"
    assert not [e for e in tab.errors if "429" not in e]  # the browser logs the refused fetch itself


def test_a_cloud_s_429_is_shown_not_sent_again(tab: Page) -> None:
    """A cloud model's 429 passed on (``rate_limited``) comes after the turn's work began: sending it again could make
    the turn twice (review R25-3). It is shown as an error, once."""
    page = tab.open()
    sent: list[str] = []
    cloud = status_of(RateLimited("the cloud said: slow down"))[1]  # as tandem.api.errors answers it

    def cloud_busy(route: Any) -> None:
        sent.append(route.request.post_data or "")
        route.fulfill(status=429, body=json.dumps(cloud), headers={"content-type": "application/json"})

    page.route("**/api/ui/turn", cloud_busy)
    page.fill("#prompt", SENTENCE)
    page.keyboard.press("Enter")
    page.locator(".error", has_text="the cloud said: slow down").wait_for(timeout=WAIT_MS)
    assert len(sent) == 1
