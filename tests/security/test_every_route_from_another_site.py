"""Every route of the server, shot at from a page on another site in real Chromium (test_browser_attacks.py
covers the purchase, voice and erase routes one by one; this one walks every route of the app the server runs,
those /openapi.json leaves out included, so a route or a page added later is covered without a test of its own).

For each path and method the page sends what a browser sends without asking first: ``fetch`` in ``no-cors``
mode with a text/plain, form or multipart body (GET, HEAD and POST), a ``cors`` fetch for PUT, PATCH and
DELETE (a preflight), an HTML form posted into a hidden frame, and an image or script tag for a GET. None of
them may reach a route: the server's own per-route request counter must not move. (A top-level navigation,
a link the user follows, may reach a GET route by design: it is the way into the web app.)"""

from __future__ import annotations

import re
from typing import Any

import httpx
from starlette.routing import Mount, Route, WebSocketRoute

from tests.conftest import LiveServer
from tests.security.conftest import OtherSite

SHOOT = """async ([base, routes]) => {
  const bodies = [
    ["text/plain", () => '{"text": "yes", "confirm": true}'],
    ["application/x-www-form-urlencoded", () => "text=yes"],
    ["multipart", () => { const f = new FormData(); f.append("text", "yes");
                          f.append("file", new Blob([new Uint8Array(64)]), "a.wav"); return f; }],
  ];
  const sent = [];
  for (const [method, path] of routes) {
    const url = base + path;
    if (method === "GET" || method === "HEAD") {
      await fetch(url, {method, mode: "no-cors"}).catch(() => null);
      await new Promise((done) => { const img = new Image(); img.onload = img.onerror = done; img.src = url; });
      await new Promise((done) => { const s = document.createElement("script"); s.onload = s.onerror = done;
                                    s.src = url; document.body.append(s); });
    } else if (method === "POST") {
      for (const [type, body] of bodies) {
        const init = {method, mode: "no-cors", body: body()};
        if (type !== "multipart") init.headers = {"Content-Type": type};
        await fetch(url, init).catch(() => null);
      }
      await new Promise((done) => {
        const frame = document.createElement("iframe");
        frame.name = "f" + sent.length; frame.style.display = "none";
        frame.onload = done; setTimeout(done, 3000);
        document.body.append(frame);
        const form = document.createElement("form");
        form.method = "POST"; form.action = url; form.target = frame.name; form.enctype = "text/plain";
        const field = document.createElement("input"); field.name = '{"text": "yes", "x": "'; field.value = '"}';
        form.append(field); document.body.append(form); form.submit();
      });
    } else {
      await fetch(url, {method, headers: {"Content-Type": "application/json"}, body: "{}"}).catch(() => null);
    }
    sent.push(method + " " + path);
  }
  return sent;
}"""


def _hits(server: LiveServer) -> dict[str, float]:
    """The server's request counter per route and status, without /metrics (read by this test)."""
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line.startswith("tandem_http_requests_total{") and 'path="/metrics"' not in line}


def _routes(server: LiveServer) -> list[tuple[str, str]]:
    """Every route of the server: those its API description lists, and every route of the app it runs read through
    Starlette's public route types, which the description leaves out (the page at /, a file under each static mount,
    a missing extra's 501 stubs where FastAPI keeps included routers as plain routes)."""
    paths = httpx.get(f"{server.url}/openapi.json", timeout=10).json()["paths"]
    found = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    found |= set(_walk(server.app.routes, ""))
    return sorted((method, re.sub(r"\{[^}]+\}", "x-1", path)) for method, path in found)  # any id: none may run


def _walk(routes: list[Any], prefix: str) -> list[tuple[str, str]]:
    out = []
    for route in routes:
        if isinstance(route, Mount):
            inner = getattr(route.app, "routes", None) or []
            out += _walk(inner, prefix + route.path) if inner else [("GET", prefix + route.path + "/index.html")]
        elif isinstance(route, Route):
            out += [(method, prefix + route.path) for method in sorted(route.methods or {"GET"}) if method != "HEAD"]
        elif isinstance(route, WebSocketRoute):
            out.append(("GET", prefix + route.path))  # its handshake is a GET
    return out


def test_no_route_runs_for_a_page_on_another_site(browser: Any, server: LiveServer, other_site: OtherSite) -> None:
    routes = _routes(server)
    assert len(routes) > 40 and ("POST", "/v1/assistant/confirmations/x-1/confirm") in routes
    assert {("GET", "/"), ("GET", "/static/index.html")} <= set(routes)  # the page, which the API description omits
    before = _hits(server)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_site.page("prize.html", "<!doctype html><title>You won</title><body>"))
        sent = page.evaluate(SHOOT, [server.url, routes])
    finally:
        context.close()
    assert len(sent) == len(routes)
    reached = {key: count - before.get(key, 0) for key, count in _hits(server).items() if count != before.get(key)}
    assert reached == {}, reached
    metrics = httpx.get(f"{server.url}/metrics", timeout=10).text
    refused = sum(float(line.split()[-1]) for line in metrics.splitlines()
                  if line.startswith("tandem_http_refused_total{"))
    assert refused >= len(routes)
