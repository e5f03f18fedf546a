"""Fixtures for the web app: a real Tandem server (uvicorn on loopback, the reference partner MCP servers as
separate processes, the tiny GGUF as the device model) and a headless Debian Chromium driven by Playwright.

The partners are set up as in the agent tests: a film scheduled at the cinema partner, a user profile with
an office address; no cloud is configured unless a test adds one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tandem.keys import login_code, read_local_token
from tandem.models.registry import ModelRegistry
from tests.agent.conftest import schedule_film, write_profile
from tests.conftest import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def partners(home: Path) -> str:
    """Dune tonight at 20:00 at the German cinema partner, and Alex's profile. Returns the showtime id."""
    showtime = schedule_film(home, "DE", "Dune", "Dune")
    write_profile(home, "DE")
    return showtime


@pytest.fixture
def server(partners: str, tiny_registry: ModelRegistry) -> Iterator[LiveServer]:
    from tandem.api.app import create_app

    with LiveServer(create_app(tiny_registry)) as live:
        yield live


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """One driver per test module, stopped before the next module starts: a sync driver left running keeps
    an asyncio loop in the main thread, which breaks every later test that runs its own loop (anyio, MCP)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Chromium is missing: run scripts/browser-deps.sh (make install-test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def launch(playwright: Any, *extra_args: str) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    chromium = launch(playwright)
    yield chromium
    chromium.close()


def home_login() -> str:
    """A new login code, as in the link ``tandem serve`` prints, for the test's ``TANDEM_HOME`` ("" when no
    server made its local token there)."""
    home = Path(os.environ["TANDEM_HOME"])
    return login_code(home) if read_local_token(home) else ""


class Page:
    """A browser tab on the server, recording console errors and uncaught exceptions. Its first page is opened
    the way the user opens the app: with the link ``tandem serve`` prints (``login``: its code; "" opens the
    bare address, and the page may then chat but not confirm, erase or change settings)."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int], locale: str = "de-DE",
                 login: str | None = None) -> None:
        self.login = home_login() if login is None else login
        self.context = browser.new_context(viewport=viewport, locale=locale, base_url=base_url)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: d.accept())

    def open(self, path: str = "/") -> Any:
        if self.login:  # once: the session's cookie then holds in this context
            path, self.login = f"{path}{'&' if '#' in path else '#'}login={self.login}", ""
        self.page.goto(path)
        self.page.wait_for_selector("body[data-ready='1']")
        return self.page


@pytest.fixture
def tab(browser: Any, server: LiveServer) -> Iterator[Page]:
    page = Page(browser, server.url, DESKTOP)
    yield page
    page.context.close()


CLAIM = "Ich habe die Bestellung storniert."  # what a chat model may say though no task was made


def claiming_chat_model(registry: ModelRegistry) -> Any:
    """The registry's default model (the tiny one) replaced by a scripted one that answers every chat with ``CLAIM``
    (and a JSON request with "{}"): for tests of what the chat model is given and what comes of its claim."""
    from dataclasses import replace

    from tandem.types import ChatRequest
    from tests.conftest import TINY
    from tests.eval.scripted import ScriptedModel

    def answer(request: ChatRequest) -> str:
        return "{}" if request.response_format.type != "text" else CLAIM

    model = ScriptedModel(answer)
    model.info = replace(model.info, id=TINY)
    registry.register(model)
    return model
