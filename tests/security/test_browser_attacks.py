"""Attacks from another web site in real Chromium against a running server (issue 13): a page on
http://127.0.0.2:<port> sends requests that need no CORS preflight (multipart voice, text/plain confirm
and memory erase, form-like bodies; model answers, speech, transcription and image reading, which would take the
device's turns) to the user's Tandem on 127.0.0.1, and frames the web app. Each must be
refused before any route runs, and nothing may change: the purchase still waits, no order exists at the
partner, the memory is intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.security.conftest import OtherSite, pending_purchase, route_hits

ATTACKS = """async ([base, confirmation, conversation]) => {
  const voice = new FormData();
  voice.append("file", new Blob([new Uint8Array(4096)], {type: "audio/wav"}), "yes.wav");
  voice.append("conversation_id", conversation);
  const text = {"Content-Type": "text/plain"};
  const audio = new FormData();  // device work a page could start: transcribing, speaking, answering, reading images
  audio.append("file", new Blob([new Uint8Array(4096)], {type: "audio/wav"}), "a.wav");
  audio.append("model", "whisper-1");
  const image = new FormData();
  image.append("file", new Blob([new Uint8Array(64)], {type: "image/png"}), "a.png");
  const asked = JSON.stringify({model: "tandem:auto", messages: [{role: "user", content: "hi"}], input: "hi",
                                voice: "alloy"});
  const shots = [
    ["/v1/chat/completions", {headers: text, body: asked}],
    ["/v1/responses", {headers: text, body: asked}],
    ["/v1/embeddings", {headers: text, body: asked}],
    ["/v1/audio/speech", {headers: text, body: asked}],
    ["/v1/audio/transcriptions", {body: audio}],
    ["/v1/images/analyze", {body: image}],
    ["/v1/assistant/voice", {body: voice}],
    [`/v1/assistant/confirmations/${confirmation}/confirm`, {headers: text, body: "{}"}],
    [`/v1/assistant/confirmations/${confirmation}/confirm`, {}],
    [`/v1/assistant/conversations/${conversation}/messages`, {headers: text, body: '{"text": "yes"}'}],
    ["/v1/memory/erase", {headers: text, body: "{}"}],
    ["/v1/memory/erase", {headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "a=1"}],
    ["/api/ui/privacy/erase", {headers: text, body: "{}"}],
  ];
  const sent = [];
  for (const [path, init] of shots) {
    try {
      await fetch(base + path, {method: "POST", mode: "no-cors", ...init});
      sent.push(path);
    } catch (error) {
      sent.push("network error: " + error);
    }
  }
  return sent;
}"""

READ = """async (url) => {
  try { return await (await fetch(url)).text(); } catch (error) { return "blocked"; }
}"""


def memory(server: LiveServer) -> list[dict[str, Any]]:
    """What Tandem remembers (read with the user's own credential: memory is under the privacy scope)."""
    items: list[dict[str, Any]] = httpx.get(f"{server.url}/v1/memory/items", headers=server.local,
                                            timeout=30).json()["data"]
    return items


def test_another_site_cannot_buy_erase_or_read(browser: Any, server: LiveServer, other_site: OtherSite,
                                               home: Path) -> None:
    tasks = pending_purchase(server)
    added = httpx.post(f"{server.url}/v1/memory/items", json={"text": "no horror films"}, headers=server.local,
                       timeout=60)
    assert added.status_code == 200, added.text
    before = memory(server)
    assert before
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_site.page("shop.html", "<!doctype html><title>Cheap tickets</title><p>Hello"))
        sent = page.evaluate(ATTACKS, [server.url, tasks[0]["confirmation_id"], tasks[0]["conversation_id"]])
        assert all(not s.startswith("network") for s in sent)  # no-cors requests leave the browser
        assert page.evaluate(READ, f"{server.url}/v1/profile") == "blocked"  # no CORS: answers stay unread
    finally:
        context.close()

    for path in ("/v1/assistant/voice", "/v1/assistant/confirmations/{confirmation_id}/confirm",
                 "/v1/assistant/conversations/{conversation_id}/messages", "/v1/memory/erase", "/api/ui/privacy/erase",
                 "/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/audio/speech",
                 "/v1/audio/transcriptions", "/v1/images/analyze"):
        assert route_hits(server, path) == 0, path  # refused before any route ran
    after = httpx.get(f"{server.url}/v1/assistant/tasks", headers=server.local, timeout=30).json()["data"]
    assert {t["id"]: t["state"] for t in after} == {t["id"]: "awaiting-confirmation" for t in tasks}
    assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
    assert memory(server) == before
    metrics = httpx.get(f"{server.url}/metrics", timeout=10).text
    [refused] = [line for line in metrics.splitlines() if line.startswith('tandem_http_refused_total{reason="origin')]
    assert float(refused.split()[-1]) >= len(sent) == 13


def test_the_web_app_cannot_be_framed(browser: Any, server: LiveServer, other_site: OtherSite) -> None:
    frame_page = f'<!doctype html><title>Win a prize</title><iframe src="{server.url}/" width=800 height=600></iframe>'
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_site.page("frame.html", frame_page))  # waits for the frame's load too
        [child] = [f for f in page.frames if f != page.main_frame]
        assert child.query_selector("#prompt") is None
    finally:
        context.close()
    headers = httpx.get(f"{server.url}/", timeout=10).headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "access-control-allow-origin" not in headers
