"""Fixtures for attacks on a running server: a second web origin (a static page server on 127.0.0.2, so its
pages are another site for the browser) and a conversation waiting for a confirmation."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, free_port
from tests.web.conftest import browser, partners, playwright, server  # noqa: F401  (fixtures)

SENTENCE = "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class OtherSite:
    """A plain static web server on another loopback address: the attacker's site."""

    def __init__(self, root: Path, host: str = "127.0.0.2") -> None:
        self.root, self.host, self.port = root, host, free_port()
        handler = partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer((host, self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page(self, name: str, html: str) -> str:
        (self.root / name).write_text(html, encoding="utf-8")
        return f"{self.url}/{name}"

    def __enter__(self) -> OtherSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[OtherSite]:
    root = tmp_path / "evil"
    root.mkdir()
    with OtherSite(root) as site:
        yield site


def pending_purchase(live: LiveServer) -> list[dict[str, Any]]:
    """The user's own turn (from this device, as the CLI or an app would send it): two tasks that wait for
    a confirmation. Returns the tasks."""
    reply = httpx.post(f"{live.url}/v1/assistant/conversations", json={"text": SENTENCE}, timeout=120)
    assert reply.status_code == 200, reply.text
    tasks: list[dict[str, Any]] = reply.json()["tasks"]
    assert [t["state"] for t in tasks] == ["awaiting-confirmation"] * 2
    return tasks


def route_hits(live: LiveServer, path: str) -> int:
    """How many requests reached the route ``path`` (the server's own request counter)."""
    text = httpx.get(f"{live.url}/metrics", timeout=10).text
    prefix = f'tandem_http_requests_total{{path="{path}",'
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines() if line.startswith(prefix))


def answer_prompts(page: Any, reply: str) -> list[str]:
    """Answer every ``window.prompt`` the page opens with ``reply``; the returned list fills with their messages."""
    prompts: list[str] = []

    def answer(dialog: Any) -> None:
        prompts.append(dialog.message)
        dialog.accept(reply)

    page.on("dialog", answer)
    return prompts
