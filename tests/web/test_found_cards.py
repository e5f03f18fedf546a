"""A read-only answer that is a list shows its entries on the card (office5's note: the notes, the calendar, the
reminders showed only "✓ Done" on the web, while the chat line and the voice name them)."""

from __future__ import annotations

from tests.web.conftest import Page

WAIT_MS = 60_000


def test_the_notes_are_listed_on_their_card(tab: Page) -> None:
    page = tab.open()
    for said in ("Notiere: Milch kaufen", "Zeig meine Notizen"):
        page.fill("#prompt", said)
        page.keyboard.press("Enter")
        page.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached", timeout=WAIT_MS)
    listed = page.locator(".card[data-state='done'] ul.found li")
    listed.first.wait_for(timeout=WAIT_MS)
    assert listed.count() == 1 and listed.first.inner_text().startswith("Milch kaufen"), listed.all_inner_texts()
    # a list waits for no confirmation: not "I prepared 1 task(s). Nothing is bought before you confirm." (walk4)
    said = page.locator("#log .msg.assistant").last.inner_text()
    assert ("nothing waits for your OK" in said or "nichts wartet auf deine Bestätigung" in said) \
        and "Nothing is bought" not in said and "Gekauft wird erst" not in said, said
    assert tab.errors == []
