"""My details in the web app: a fresh device fills its profile in the form, the token is masked when it
comes back, and the next order uses the details."""

from __future__ import annotations

from pathlib import Path

from tandem.agent.profile import load_profile
from tests.web.conftest import Page

WAIT_MS = 60_000


def test_fill_details_then_the_order_uses_them(tab: Page, home: Path) -> None:
    (home / "profile.toml").unlink()  # a fresh device: nothing known about the user
    page = tab.open("/#memory")
    form = page.locator("form.profile")
    form.wait_for(timeout=WAIT_MS)
    form.locator("input[name=name]").fill("Kim Berger")
    form.locator("input[name=city]").fill("Berlin")
    form.locator("input[name=payment_token]").fill("tok_visa_9911")
    form.locator("input[name=phone]").press("Enter")
    page.locator("form.profile[data-saved='1']").wait_for(timeout=WAIT_MS)
    profile = load_profile(home)
    assert (profile.name, profile.city, profile.payment_token) == ("Kim Berger", "Berlin", "tok_visa_9911")

    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    token = page.locator("form.profile input[name=payment_token]")
    token.wait_for(timeout=WAIT_MS)
    assert token.input_value() == "" and token.get_attribute("placeholder") == "…9911"  # never shown in full
    assert page.locator("form.profile input[name=name]").input_value() == "Kim Berger"

    page.goto("/#chat")
    page.fill("#prompt", "buch zwei Kinokarten für Dune heute um 20 Uhr")
    page.keyboard.press("Enter")
    card = page.locator(".card[data-state='awaiting-confirmation']")
    card.wait_for(timeout=WAIT_MS)
    assert "Dune" in card.inner_text()
    card.get_by_role("button", name="Prüfen und bestätigen").click()
    dialog = page.locator("dialog#confirm")
    dialog.wait_for(state="visible")
    assert "Kim Berger" in dialog.inner_text()  # whose name the tickets go under is part of what is confirmed
    assert tab.errors == []
