"""A page on another site that loads the user's Tandem in a frame, object or embed (real Chromium). Such a load is a
navigation (``Sec-Fetch-Mode: navigate``), but a nested one: before, it passed the cross-site check as a link would,
and every GET route it named ran (``/api/ui/tasks``, ``/v1/models``, ``/healthz`` answered 200 to the framing page;
only ``X-Frame-Options`` hid the answer, while the page saw each load end). Now only a top-level navigation, the link
into the web app, comes in from another site; the server's own per-route counter shows which requests reached a
route."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.security.conftest import OtherSite, other_site  # noqa: F401  (fixture)

NESTED = """async ([base, paths]) => {
  const loaded = (element) => new Promise((done) => {
    element.onload = element.onerror = done; setTimeout(done, 3000); document.body.append(element);
  });
  for (const path of paths) {
    const frame = document.createElement("iframe"); frame.src = base + path; await loaded(frame);
    const object = document.createElement("object"); object.data = base + path; await loaded(object);
    const embed = document.createElement("embed"); embed.src = base + path; await loaded(embed);
  }
  return paths.length;
}"""


def _hits(server: LiveServer) -> dict[str, float]:
    """The server's request counter per route and status, without /metrics (read by this test)."""
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line.startswith("tandem_http_requests_total{") and 'path="/metrics"' not in line}


def _get_paths(server: LiveServer) -> list[str]:
    """Every GET route the API description lists (any id in a path: none may run), and the page itself."""
    paths = httpx.get(f"{server.url}/openapi.json", timeout=10).json()["paths"]
    found = [re.sub(r"\{[^}]+\}", "x-1", path) for path, operations in paths.items() if "get" in operations]
    return sorted({*found, "/", "/static/index.html"})


def test_no_get_route_runs_in_a_frame_of_another_site(browser: Any, server: LiveServer,
                                                      other_site: OtherSite) -> None:  # noqa: F811
    paths = _get_paths(server)
    assert {"/api/ui/tasks", "/v1/models", "/healthz", "/"} <= set(paths)
    before = _hits(server)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_site.page("frames.html", "<!doctype html><title>Cats</title><body>"))
        assert page.evaluate(NESTED, [server.url, paths]) == len(paths)
        reached = {key: count - before.get(key, 0) for key, count in _hits(server).items()
                   if count != before.get(key)}
        assert reached == {}, reached
        # a link the user follows from that site is still the way into the web app (a top-level navigation)
        page.set_content(f'<a id="go" href="{server.url}/">Tandem</a>')
        with page.expect_navigation():
            page.click("#go")
        assert page.url.rstrip("/") == server.url and page.locator("#composer, form, textarea").count() > 0
    finally:
        context.close()
    reached = {key: count - before.get(key, 0) for key, count in _hits(server).items() if count != before.get(key)}
    assert reached.get('tandem_http_requests_total{path="/",status="200"}') == 1, reached


@pytest.mark.parametrize("dest", ["iframe", "frame", "object", "embed", None])
def test_a_nested_navigation_from_another_site_gets_the_403_of_a_cross_site_request(tiny_server: LiveServer,
                                                                                      dest: str | None) -> None:
    """As Chromium, Firefox and Safari send them; a navigation that does not say it is a document's is no link either
    (fails closed)."""
    asked = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", **({"Sec-Fetch-Dest": dest} if dest else {})}
    for path in ("/", "/api/ui/tasks", "/v1/models"):
        answer = httpx.get(tiny_server.url + path, headers=asked, timeout=30)
        assert answer.status_code == 403, (path, answer.text[:200])
        error = answer.json()["error"]
        assert (error["type"], error["code"]) == ("permission_error", "cross_site_request")
    followed = httpx.get(tiny_server.url + "/", headers={**asked, "Sec-Fetch-Dest": "document"}, timeout=30)
    assert followed.status_code == 200 and "<html" in followed.text.lower()
