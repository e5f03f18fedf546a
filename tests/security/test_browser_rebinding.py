"""DNS rebinding in real Chromium, on every route of the app: a page of http://evil.example:<port> whose name now
resolves to 127.0.0.1 (Chromium's ``--host-resolver-rules``; the page itself came from the attacker, here served by the
test) calls the user's Tandem as its own origin, so the browser sends anything (JSON bodies, ``X-Tandem-UI``, any
method: no preflight, same origin) and lets the page read every answer. Each must be the 421 of the host check, read
by the page with nothing of the user's in it, and no route may run (the server's own per-route counter). The
attacker's origin is made of a name: Chromium's own checks of pages that reach loopback are turned off, as an older or
another browser would not have them; the server must not rely on them."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer
from tests.security.test_every_route_from_another_site import _hits, _routes
from tests.web.conftest import launch

CALL = """async (routes) => {
  const out = [];
  for (const [method, path] of routes) {
    const init = {method, headers: {"X-Tandem-UI": "1", "Content-Type": "application/json"}};
    if (method !== "GET" && method !== "HEAD") init.body = '{"text": "yes", "confirm": true}';
    try {
      const answer = await fetch(path, init);
      out.push([method, path, answer.status, await answer.text()]);
    } catch (error) {
      out.push([method, path, 0, String(error)]);
    }
  }
  return out;
}"""


def test_a_rebound_name_reaches_no_route(playwright: Any, server: LiveServer) -> None:
    origin = f"http://evil.example:{server.port}"
    routes = _routes(server)
    assert len(routes) > 40
    before = _hits(server)
    chromium = launch(playwright, "--host-resolver-rules=MAP evil.example 127.0.0.1",
                      "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,"
                      "PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests")
    try:
        page = chromium.new_page()
        page.route(f"{origin}/prize.html", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>You won</title><body>"))
        page.goto(f"{origin}/prize.html")
        answers = page.evaluate(CALL, routes)
    finally:
        chromium.close()
    assert len(answers) == len(routes)
    wrong = [(m, p, status, text[:120]) for m, p, status, text in answers
             if status != 421 or (m != "HEAD" and '"host_not_allowed"' not in text)]
    assert wrong == [], wrong
    assert not any("Alex" in text or "Friedrich" in text for *_, text in answers)  # the profile's name and street
    reached = {key: count - before.get(key, 0) for key, count in _hits(server).items() if count != before.get(key)}
    assert reached == {}, reached
