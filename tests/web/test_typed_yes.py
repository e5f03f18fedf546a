"""A "ja" typed while a purchase waits on its card opens that purchase's dialog, where only "Confirm and pay"
buys; it is no request and no chat model answers it (walk4 W4-7: the 0.5B answered "ja" with a Japanese greeting,
and a chat model may say "your order is placed" while nothing is bought)."""

from __future__ import annotations

from pathlib import Path

from tests.agent.conftest import partner_rows
from tests.web.conftest import Page

WAIT_MS = 60_000


def test_a_typed_yes_opens_the_dialog_and_buys_nothing_by_itself(tab: Page, home: Path) -> None:
    page = tab.open()
    page.fill("#prompt", "Bestell mir eine Pizza ins Büro")
    page.keyboard.press("Enter")
    page.locator(".card[data-state='awaiting-confirmation']").first.wait_for(timeout=WAIT_MS)
    page.fill("#prompt", "ja")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog#confirm")
    dialog.wait_for(state="visible", timeout=WAIT_MS)
    assert "Pizza Margherita" in dialog.inner_text()
    said = page.locator("#log .msg.assistant").last.inner_text()
    assert "Noch ist nichts gekauft" in said and "[t-" not in said, said  # the card shows the task, not its line
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []  # the typed word bought nothing
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    page.locator(".card .result").wait_for(timeout=WAIT_MS)
    assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
    assert page.locator(".cards .card").count() == 1 and not tab.errors, tab.errors


def test_a_typed_yes_with_nothing_waiting_is_chat(tab: Page) -> None:
    page = tab.open()
    page.fill("#prompt", "ja")
    page.keyboard.press("Enter")
    page.locator("#log .msg.assistant:not([aria-busy])").last.wait_for(timeout=WAIT_MS)
    assert not page.locator("dialog#confirm").is_visible() and page.locator(".card").count() == 0
