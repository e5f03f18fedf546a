"""Every capability the shipped partners offer has a card title in each language of the web app, and an intent the
app has no title for (a partner the user added) is shown by its readable name, never as the key (walk2 W2-12: the
cards of a calendar entry, a note, a route, a product search or purchase, and of the order follow-ups showed
"intent.add_calendar_event" and the like)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tandem
from tests.conftest import LiveServer

MANIFESTS = Path(tandem.__file__).parent / "partners" / "manifests"
TITLES = """async (intents) => {
  const {LANGUAGES, label, setLanguage} = await import("/static/js/i18n.js");
  const titles = {};
  for (const lang of LANGUAGES) {
    setLanguage(lang);
    titles[lang] = Object.fromEntries(intents.map((intent) => [intent, label("intent", intent)]));
  }
  return titles;
}"""


def test_every_shipped_capability_has_a_title_in_each_language(browser: Any, server: LiveServer) -> None:
    shipped = sorted({tool["intent"] for path in MANIFESTS.glob("*.toml")
                      for tool in tomllib.loads(path.read_text(encoding="utf-8"))["tools"] if tool.get("intent")})
    page = browser.new_page()
    try:
        page.goto(server.url + "/healthz")  # the page's origin, without starting the app
        titles: dict[str, dict[str, str]] = page.evaluate(TITLES, [*shipped, "rent_car"])
    finally:
        page.close()
    assert set(titles) == {"en", "de", "zh"}
    readable = {intent: intent.replace("_", " ") for intent in shipped}
    for lang, named in titles.items():
        untitled = [i for i in shipped if named[i] == readable[i] or (lang != "en" and named[i] == titles["en"][i])]
        assert untitled == [], lang
        assert named["rent_car"] == "rent car"  # a partner's own capability: its readable name, not "intent.rent_car"
    assert "add_calendar_event" in shipped and "order_food" in shipped


def test_the_page_shows_the_titles_the_server_serves_from_the_manifests(tab: Any) -> None:
    """A capability's card title comes from its manifest (dialog6's e08b3bd: ``titles``), served in /api/ui/config
    and applied by the page at start, ahead of its own strings: an added partner's capability gets its own title."""
    import json

    def served(route: Any) -> None:  # the server's answer, with a partner's capability the page has no string for
        config = json.loads(route.fetch().text())
        assert config["titles"]["order_food"]["de"] == "Essensbestellung", config["titles"].get("order_food")
        config["titles"]["rent_car"] = {"de": "Mietwagen", "en": "Car rental"}
        route.fulfill(json=config)

    tab.page.route("**/api/ui/config", served)
    page = tab.open()
    label = """async () => (await import("/static/js/i18n.js")).label("intent", "rent_car")"""
    for _ in range(100):  # the page loads the titles after it is ready
        if page.evaluate(label) == "Mietwagen":
            break
        page.wait_for_timeout(100)
    assert page.evaluate(label) == "Mietwagen" and tab.errors == [], tab.errors
