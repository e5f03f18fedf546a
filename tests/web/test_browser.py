"""The web app in headless Debian Chromium against a real server and the real partner processes: the German
two-task sentence becomes two cards, both confirmed through the dialog, both orders done; it looks right
at phone and desktop sizes; one card failing to render leaves the others working; the privacy page shows
a cloud call with the categories removed from it, and erase empties it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.web.conftest import DESKTOP, PHONE, Page

SENTENCE = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"
TIMEOUT_MS = 60_000


def ask(page: Any, text: str) -> None:
    page.fill("#prompt", text)
    page.keyboard.press("Enter")
    page.wait_for_selector(".card[data-state='awaiting-confirmation'] >> nth=1", timeout=TIMEOUT_MS)


def confirm(page: Any, intent_title: str) -> None:
    card = page.locator(".card", has_text=intent_title)
    card.get_by_role("button", name="Prüfen und bestätigen").click()
    dialog = page.locator("dialog#confirm")
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    card.locator(".result").wait_for(timeout=TIMEOUT_MS)


def test_german_sentence_two_cards_confirmed_both_done(tab: Page, home: Path, tmp_path: Path) -> None:
    page = tab.open()
    ask(page, SENTENCE)
    page.screenshot(path=str(tmp_path / "cards-1280x800.png"), full_page=True)
    confirm(page, "Essensbestellung")
    confirm(page, "Kinokarten")
    states = page.locator(".card").evaluate_all("cards => cards.map(c => c.dataset.state)")
    assert states == ["done", "done"]
    assert tab.errors == []
