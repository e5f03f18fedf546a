"""The web app on a server with an API key, in real Chromium: the page asks for the key once, opens a
session (an HttpOnly, SameSite=Strict cookie the page's scripts cannot read) and keeps no key in its storage;
the services page works through that session and a reload needs no new prompt."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from tandem.config import Settings
from tandem.models.registry import ModelRegistry
from tests.conftest import LiveServer
from tests.security.conftest import answer_prompts

KEY = "correct horse battery staple"


@pytest.fixture
def keyed_server(partners: str, tiny_settings: Settings) -> Iterator[LiveServer]:
    from tandem.api.app import create_app

    with LiveServer(create_app(ModelRegistry(replace(tiny_settings, api_key=KEY)))) as live:
        yield live


def test_web_app_holds_a_session_not_a_key(browser: Any, keyed_server: LiveServer) -> None:
    context = browser.new_context(base_url=keyed_server.url)
    try:
        page = context.new_page()
        prompts = answer_prompts(page, KEY)
        page.goto("/#services")
        page.locator(".service[data-service-id='gabelpost.food']").wait_for()
        assert len(prompts) == 1 and "API key" in prompts[0]
        [cookie] = [c for c in context.cookies() if c["name"] == "tandem_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""  # scripts on the page cannot read the session
        stored = page.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})")
        assert KEY not in stored
        page.reload()
        page.locator(".service[data-service-id='gabelpost.food']").wait_for()
        assert len(prompts) == 1  # the session carries on
    finally:
        context.close()
