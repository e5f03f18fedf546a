"""The web app's page runs only its own scripts (a Content-Security-Policy on the page): partner data is put in as
text (static/js/dom.js), and should any of it ever reach the page as markup, a script in it must not run. The app
itself works under the policy: no refusal is logged while it loads, chats and shows a card."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer
from tests.web.conftest import Page

MARKUP = '<img src="/no-such-picture" onerror="window.ran = 1"><a href="javascript:window.ran = 2">x</a>'


def test_markup_that_reached_the_page_runs_no_script(tab: Page) -> None:
    page = tab.open()
    page.evaluate("markup => document.body.insertAdjacentHTML('beforeend', markup)", MARKUP)
    page.locator("a[href^='javascript:']").click()
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in e for e in tab.errors), tab.errors  # refused, and said so


def test_the_app_works_under_its_policy(tab: Page) -> None:
    page = tab.open()
    page.fill("#prompt", "Zeig mir meine Notizen")
    page.keyboard.press("Enter")
    page.locator(".card").first.wait_for(timeout=60_000)
    assert not [e for e in tab.errors if "Content Security Policy" in e], tab.errors


def test_the_page_has_its_policy_wherever_it_is_served(server: LiveServer) -> None:
    # review R16-6: the static mount served the same page at /static/index.html without the policy
    for path in ("/", "/static/index.html", "/static/js/app.js"):
        policy = httpx.get(server.url + path, timeout=10).headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, (path, policy)
