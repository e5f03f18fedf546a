"""The web app in headless Debian Chromium against a real server and the real partner processes: the German
two-task sentence becomes two cards, both confirmed through the dialog, both orders done; it works by
keyboard on a phone-sized screen in three languages; one card failing to render leaves the others working.
Screenshots go to the test's tmp dir (see the path printed with ``-s``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.vision.conftest import render
from tests.web.conftest import PHONE, Page

SENTENCE = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"
WAIT_MS = 60_000
HANG_MS = 10 * WAIT_MS  # a bound for what waits on the server's own outcome: only a hang reaches it


def ask(page: Any, text: str) -> None:
    page.fill("#prompt", text)
    page.keyboard.press("Enter")
    page.locator(".card[data-state='awaiting-confirmation']").nth(1).wait_for(timeout=WAIT_MS)


def answer(page: Any, card: Any, text: str) -> None:
    """Type ``text`` into the card's question and wait for the server's answer to it, as long as it takes: at a load
    of 12 the 'Für wann?' card came after more than 60 s (review21), and a fixed wait failed the test for no fault."""
    card.evaluate("c => { c.dataset.asked = '1'; }")  # the card the answer's outcome replaces
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/answer"),
                              timeout=HANG_MS) as answered:
        card.get_by_role("textbox").fill(text)
        card.get_by_role("textbox").press("Enter")
    assert answered.value.ok, answered.value.text()
    page.locator(".card:not([data-asked])").wait_for()  # drawn


def states(page: Any) -> list[str]:
    result: list[str] = page.locator(".card").evaluate_all("cards => cards.map(c => c.dataset.state)")
    return result


def test_german_sentence_two_cards_confirmed_both_done(tab: Page, home: Path, tmp_path: Path) -> None:
    page = tab.open()
    ask(page, SENTENCE)
    cards = page.locator(".cards .card")
    assert cards.count() == 2
    food, movie = cards.nth(0), cards.nth(1)
    boxes = [food.bounding_box(), movie.bounding_box()]
    assert boxes[0] and boxes[1] and boxes[0]["y"] == boxes[1]["y"]  # side by side on a desktop
    assert "Gabelpost" in food.inner_text() and "12,70\xa0€" in food.inner_text()
    assert "Dune" in movie.inner_text() and "25,00\xa0€" in movie.inner_text()
    page.screenshot(path=str(tmp_path / "cards-1280x800.png"))

    food.get_by_role("button", name="Prüfen und bestätigen").click()
    dialog = page.locator("dialog#confirm")
    dialog.wait_for(state="visible")
    assert "Pizza Margherita" in dialog.inner_text() and "12,70\xa0€" in dialog.inner_text()
    assert "Gabelpost" in dialog.locator(".partner").inner_text()
    page.screenshot(path=str(tmp_path / "confirm-1280x800.png"))
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []  # the dialog alone buys nothing
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    food.locator(".result").wait_for(timeout=WAIT_MS)
    assert states(page) == ["done", "awaiting-confirmation"]

    movie.get_by_role("button", name="Prüfen und bestätigen").click()
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    movie.locator(".result").wait_for(timeout=WAIT_MS)
    assert states(page) == ["done", "done"]
    page.screenshot(path=str(tmp_path / "done-1280x800.png"))
    [order] = partner_rows(home, "gabelpost.food", "SELECT * FROM orders")
    [tickets] = partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")
    assert order["id"] in food.inner_text() and tickets["id"] in movie.inner_text()
    page.reload()  # the tab's conversation comes back from the journal
    page.locator(".card[data-state='done']").nth(1).wait_for(timeout=WAIT_MS)
    assert page.locator(".card").count() == 2

    page.get_by_role("link", name="Datenschutz").click()  # both requests were understood on the device
    page.locator(".tile.device strong").wait_for()
    assert page.locator(".tile.device strong").inner_text() == "2"
    assert page.locator(".tile.cloud strong").inner_text() == "0"
    assert page.locator(".requests tbody tr").count() == 2 and page.locator(".ledger .empty").is_visible()
    assert tab.errors == []


def test_phone_keyboard_only_in_three_languages(browser: Any, server: LiveServer, home: Path, tmp_path: Path) -> None:
    tab = Page(browser, server.url, PHONE)
    try:
        page = tab.open()
        assert page.evaluate("document.activeElement.id") == "prompt"
        page.keyboard.type(SENTENCE)
        page.keyboard.press("Enter")
        page.locator(".card[data-state='awaiting-confirmation']").nth(1).wait_for(timeout=WAIT_MS)
        first, second = (page.locator(".card").nth(i).bounding_box() for i in (0, 1))
        assert first and second and second["y"] > first["y"] and first["width"] <= PHONE["width"]  # stacked
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        for link in page.locator("nav a").all():  # every section reachable without scrolling the menu
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.screenshot(path=str(tmp_path / "cards-390x844.png"))

        page.locator(".card").nth(1).get_by_role("button", name="Prüfen und bestätigen").focus()
        page.keyboard.press("Enter")
        page.locator("dialog#confirm").wait_for(state="visible")
        assert page.evaluate("document.activeElement.id") == "confirm-decline"  # Enter alone never pays
        page.screenshot(path=str(tmp_path / "confirm-390x844.png"))
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.locator(".card").nth(1).locator(".result").wait_for(timeout=WAIT_MS)
        assert states(page) == ["awaiting-confirmation", "done"]
        assert page.evaluate("document.activeElement.dataset.state") == "done"  # focus stays on that card

        page.select_option("#lang", "en")
        assert page.get_by_role("link", name="Privacy").is_visible()
        assert page.locator(".card").nth(0).get_by_role("button", name="Review and confirm").is_visible()
        page.select_option("#lang", "zh")
        assert page.get_by_role("link", name="隐私").is_visible()
        assert page.locator(".card .badge").nth(1).inner_text() == "完成"
        page.screenshot(path=str(tmp_path / "zh-390x844.png"))
        assert tab.errors == []
    finally:
        tab.context.close()
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []


def raise_cinema_prices(home: Path, by: float) -> None:
    conn = sqlite3.connect(home / "partners" / "lichtspiel.cinema.db")
    try:
        conn.execute("UPDATE showtimes SET price = price + ?", (by,))
        conn.commit()
    finally:
        conn.close()


BREAK_FOOD_CARD = """async () => {
  const cards = await import("/static/js/cards.js");
  cards.renderers.order_food = () => { throw new Error("injected"); };
}"""


def test_an_error_in_one_card_leaves_the_others_working(tab: Page, home: Path) -> None:
    page = tab.open()
    page.evaluate(BREAK_FOOD_CARD)
    page.fill("#prompt", SENTENCE)
    page.keyboard.press("Enter")
    broken = page.locator(".card.broken")
    broken.wait_for(timeout=WAIT_MS)
    movie = page.locator(".card:not(.broken)")
    movie.get_by_role("button", name="Prüfen und bestätigen").wait_for(timeout=WAIT_MS)
    assert any("injected" in e for e in tab.errors)  # reported, not swallowed
    raise_cinema_prices(home, by=3)  # after the card was shown, before the user says yes
    movie.get_by_role("button", name="Prüfen und bestätigen").click()
    dialog = page.locator("dialog#confirm")
    assert "25,00\xa0€" in dialog.locator(".total").inner_text()
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    page.locator("dialog#confirm .total", has_text="31,00").wait_for()  # the CSP forbids wait_for_function
    assert dialog.is_visible()  # asked again with the new price; nothing bought yet
    assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
    dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
    movie.locator(".result").wait_for(timeout=WAIT_MS)
    broken.get_by_role("button", name="Abbrechen").click()  # the broken card still offers cancel
    page.locator(".card.broken[data-state='cancelled']").wait_for(timeout=WAIT_MS)
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []


def test_poster_upload_then_follow_up_answered_in_the_card(tab: Page, tmp_path: Path) -> None:
    """The poster's title (largest type, read by on-device OCR) fills the composer; the cinema task asks
    how many and when, and the answers typed into the card make it ready to confirm."""
    poster = tmp_path / "poster.png"
    poster.write_bytes(render((("DUNE", 120, "black"), ("Lichtspiel Alexanderplatz", 36, "black"))))
    page = tab.open()
    page.set_input_files("#image", str(poster))
    page.locator("#prompt:valid").wait_for(timeout=3 * WAIT_MS)  # filled (it is required); OCR cold start
    assert page.input_value("#prompt") == "Buch Kinokarten für DUNE"
    page.keyboard.press("Enter")
    page.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached", timeout=HANG_MS)  # the turn is done
    card = page.locator(".card")
    assert card.get_attribute("data-state") == "needs-info", card.inner_text()
    assert "Wie viele Karten?" in card.inner_text()  # the poster gives no count: asked, never defaulted (issue 14)
    answer(page, card, "zwei")
    assert card.get_attribute("data-state") == "needs-info" and "Für wann?" in card.inner_text(), card.inner_text()
    answer(page, card, "heute um 20 Uhr")
    assert card.get_attribute("data-state") == "awaiting-confirmation", card.inner_text()
    assert "Dune" in card.inner_text() and "20:00" in card.inner_text()
    assert page.locator(".card").count() == 1  # the answer moved the same card on
    assert tab.errors == []


def test_services_page_shows_data_needs_and_switches_a_partner_off(tab: Page, tmp_path: Path) -> None:
    page = tab.open("/#services")
    food = page.locator(".service[data-service-id='gabelpost.food']")
    food.wait_for()
    assert page.locator(".service[data-service-id='guangying.cinema']").count() == 0  # offered in CN only
    assert "Adresse" in food.inner_text() and "Zahlungstoken" in food.inner_text() and "Bestellen" in food.inner_text()
    page.screenshot(path=str(tmp_path / "services-1280x800.png"), full_page=True)
    food.get_by_role("switch").uncheck()
    page.locator(".service.off[data-service-id='gabelpost.food']").wait_for()
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert not page.locator(".service[data-service-id='gabelpost.food']").get_by_role("switch").is_checked()
    assert tab.errors == []



def test_memory_page_adds_and_deletes_a_preference_and_acts_on_a_suggestion(tab: Page, home: Path,
                                                                             tmp_path: Path) -> None:
    page = tab.open("/#memory")
    page.get_by_role("textbox", name="Hinzufügen").fill("keine Horrorfilme")
    page.get_by_role("button", name="Hinzufügen").click()
    pref = page.locator(".pref")
    pref.first.wait_for()
    assert pref.count() == 1 and "meidet" in pref.inner_text() and "horror" in pref.inner_text().lower()
    page.get_by_role("textbox", name="Hinzufügen").fill("Ich bin allergisch gegen Nüsse")  # kept in the user's words
    page.get_by_role("button", name="Hinzufügen").click()
    nuts = page.locator(".pref", has_text="nüsse")
    nuts.wait_for()
    assert nuts.locator(".badge").inner_text() == "meidet" and "avoid" not in nuts.inner_text(), nuts.inner_text()
    nuts.get_by_role("button", name="Löschen: ").click()
    nuts.wait_for(state="detached")

    page.get_by_role("button", name="Vorschlagen").click()
    first = page.locator(".suggestion").first
    first.wait_for(timeout=WAIT_MS)
    assert first.locator(".reason").inner_text().strip()  # every suggestion says why
    page.screenshot(path=str(tmp_path / "memory-1280x800.png"), full_page=True)
    item_id = first.get_attribute("data-item-id")
    first.get_by_role("button", name="Annehmen").click()
    page.locator(".suggestion[data-decided='accept']").wait_for()

    horror = page.locator(".pref", has_text="horror")
    horror.get_by_role("button", name="Löschen: ").click()
    horror.wait_for(state="detached")
    assert tab.errors == []
    events = memory_events(home)
    assert ("accept", item_id) in events


def memory_events(home: Path) -> list[tuple[str, str]]:
    """The feedback events as the memory store recorded them."""
    from tandem.memory import MemoryStore

    with MemoryStore.at_home(home) as store:
        return [(e.action, e.item) for e in store.events()]


def test_test_money_is_said_on_the_card_and_in_the_dialog(tab: Page, home: Path) -> None:
    # a fresh device without a payment method pays the shipped partners with the sandbox's test money; the task's
    # summary said so ("payment"), but the card and the dialog showed only "Bestätigen und bezahlen … 12,70 €"
    profile = home / "profile.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('payment_token = "tok_test_4242"\n', ""),
                       encoding="utf-8")
    page = tab.open()
    ask(page, SENTENCE)
    for card in (page.locator(".cards .card").nth(0), page.locator(".cards .card").nth(1)):
        assert "Zahlung" in card.inner_text() and "Testgeld" in card.inner_text(), card.inner_text()
        card.get_by_role("button", name="Prüfen und bestätigen").click()
        dialog = page.locator("dialog#confirm")
        dialog.wait_for(state="visible")
        assert "Zahlung" in dialog.inner_text() and "Testgeld" in dialog.inner_text(), dialog.inner_text()
        dialog.get_by_role("button", name="Ablehnen").click()
    assert tab.errors == []
