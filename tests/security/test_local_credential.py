"""Without API keys, any process on the device is a loopback caller. It may use the models and talk to the
assistant (what openai-style clients need), but confirming a purchase, erasing or exporting data and
changing the profile need a credential: the local token (``keys/local.token``, readable by the user who owns
``TANDEM_HOME`` only) or the web app's session opened with the login code of the link ``tandem serve``
prints. Before, a keyless server served every route to any loopback caller."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tandem.keys import LINK_TTL_S, SCOPES, login_code, login_link, read_local_token
from tandem.models.registry import ModelRegistry
from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.security.conftest import answer_prompts, pending_purchase
from tests.security.test_keys import bearer
from tests.web.conftest import DESKTOP, Page
from tests.web.test_browser import SENTENCE, WAIT_MS, ask

UI = {"X-Tandem-UI": "1"}


def _token(home: Path) -> str:
    token = read_local_token(home)
    assert token is not None
    return token


def _refused(answer: httpx.Response) -> None:
    assert answer.status_code == 403, answer.text
    error = answer.json()["error"]
    assert error["type"] == "permission_error" and error["code"] == "insufficient_scope"
    assert "local.token" in error["message"] and "tandem keys" in error["message"]  # says what to do


def _states(http: httpx.Client, server: LiveServer) -> list[str]:
    """The states of every task, as the user's own client lists them (a keyless caller lists none: its
    conversations are reached by their ids)."""
    return [t["state"] for t in http.get("/v1/assistant/tasks", headers=server.local).json()["data"]]


def test_without_keys_confirm_erase_and_profile_need_the_local_token(server: LiveServer, home: Path) -> None:
    tasks = pending_purchase(server)  # a keyless loopback caller may still talk to the assistant
    confirmation = tasks[0]["confirmation_id"]
    profile = (home / "profile.toml").read_bytes()
    office = {"places.office": "Evil Street 1"}
    with httpx.Client(base_url=server.url, timeout=120) as http:
        for method, path, body in [("POST", f"/v1/assistant/confirmations/{confirmation}/confirm", None),
                                   ("POST", f"/api/ui/confirmations/{confirmation}/confirm", None),
                                   ("POST", f"/v1/assistant/confirmations/{confirmation}/decline", None),
                                   ("PATCH", "/v1/profile", office), ("GET", "/v1/profile", None),
                                   ("GET", "/v1/privacy/export", None), ("GET", "/v1/privacy/ledger", None),
                                   ("DELETE", "/v1/privacy/data", None), ("POST", "/v1/memory/erase", None),
                                   ("GET", "/api/ui/services", None)]:
            _refused(http.request(method, path, json=body, headers=UI))
        assert _states(http, server) == ["awaiting-confirmation"] * 2
        assert (home / "profile.toml").read_bytes() == profile
        assert http.get("/v1/models").status_code == 200 and http.get("/metrics").status_code == 200
        # an openai-style client presents some bearer value; without keys that is no credential either
        _refused(http.post(f"/v1/assistant/confirmations/{confirmation}/confirm", headers=bearer("unused")))

        local = bearer(_token(home))
        done = http.post(f"/v1/assistant/confirmations/{confirmation}/confirm", headers=local)
        assert done.status_code == 200, done.text
        assert done.json()["state"] == "done"
        assert http.patch("/v1/profile", json=office, headers=local).status_code == 200
        assert b"Evil Street 1" in (home / "profile.toml").read_bytes()
        assert http.delete("/v1/privacy/data", headers=local).status_code == 200


def test_a_yes_from_a_caller_without_a_credential_buys_nothing(server: LiveServer, home: Path) -> None:
    """In a conversation, over the conversation route and over ``tandem:assistant`` chat completions."""
    conversation = pending_purchase(server)[0]["conversation_id"]
    with httpx.Client(base_url=server.url, timeout=120) as http:
        said = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "Ja, bitte."})
        assert said.status_code == 200, said.text
        assert "darf keine Käufe bestätigen" in said.json()["text"]
        chat = http.post("/v1/chat/completions", headers={"X-Tandem-Conversation": conversation},
                         json={"model": "tandem:assistant", "messages": [{"role": "user", "content": "ja"}]})
        assert chat.status_code == 200, chat.text
        assert "darf keine Käufe bestätigen" in chat.json()["choices"][0]["message"]["content"]
        assert _states(http, server) == ["awaiting-confirmation"] * 2  # the question is still open ...
        yes = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "Ja, bitte."},
                        headers=bearer(_token(home)))
        assert yes.status_code == 200, yes.text
        assert _states(http, server) == ["done"] * 2  # ... for the user's own client to answer


def _session(http: httpx.Client, key: str | None = None) -> dict[str, Any]:
    http.cookies.clear()
    answer = http.post("/api/ui/session", json={"key": key} if key else {}, headers=UI)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_web_app_confirms_with_the_session_of_its_login_link(server: LiveServer, home: Path) -> None:
    confirmation = pending_purchase(server)[0]["confirmation_id"]
    token = _token(home)
    with httpx.Client(base_url=server.url, timeout=120) as http:
        assert _session(http)["scopes"] == ["assistant", "metrics", "models"]  # the bare address: chat only
        _refused(http.post(f"/api/ui/confirmations/{confirmation}/confirm", headers=UI))
        code = login_code(home)
        for wrong in (token, code[:-1] + ("0" if code[-1] != "0" else "1"), "tw-" + "0" * 40):  # nor the CLI's token
            http.cookies.clear()
            assert http.post("/api/ui/session", json={"key": wrong}, headers=UI).status_code == 401
        assert _session(http, code)["scopes"] == sorted(SCOPES)
        done = http.post(f"/api/ui/confirmations/{confirmation}/confirm", headers=UI)
        assert done.status_code == 200 and done.json()["task"]["state"] == "done", done.text
        # the login code is for the web app's session only: as a bearer value it is no credential
        http.cookies.clear()
        _refused(http.get("/v1/privacy/ledger", headers=bearer(login_code(home))))


def test_the_login_code_and_the_token_count_from_this_device_only(tiny_registry: ModelRegistry, home: Path) -> None:
    from starlette.testclient import TestClient

    from tandem.api.app import create_app

    with TestClient(create_app(tiny_registry), base_url="http://127.0.0.1:8700", client=("192.0.2.7", 50000)) as http:
        token = _token(home)
        session = http.post("/api/ui/session", json={"key": login_code(home)}, headers=UI)
        assert session.status_code == 401, session.text
        assert http.get("/v1/privacy/ledger", headers=bearer(token)).status_code == 401


def test_the_web_app_in_chromium_confirms_after_its_link(browser: Any, server: LiveServer, home: Path) -> None:
    """Opened at the bare address the page may chat but not buy: its turns run without asking (the cards name
    the user's details: "deine gespeicherte Büroadresse"); reviewing a purchase asks once for the link, the user
    pastes the link ``tandem serve`` printed, the dialog shows the address itself, and the purchase goes
    through. Opened with the link, the code leaves the address bar at once and no prompt comes. (Before, the
    first turn asked for the link: every turn needed ``confirm``.)"""
    link = login_link(home, "127.0.0.1", server.port)
    bare = browser.new_context(viewport=DESKTOP, locale="de-DE", base_url=server.url)
    try:
        page = bare.new_page()
        prompts = answer_prompts(page, link)
        page.goto("/")
        page.wait_for_selector("body[data-ready='1']")
        ask(page, SENTENCE)
        food = page.locator(".cards .card").nth(0)
        assert prompts == [] and "deine gespeicherte Büroadresse" in food.inner_text()
        assert "Friedrichstraße" not in page.locator("#log").inner_text()
        food.get_by_role("button", name="Prüfen und bestätigen").click()
        dialog = page.locator("dialog#confirm")
        dialog.get_by_role("button", name="Bestätigen und bezahlen").wait_for(timeout=WAIT_MS)
        assert len(prompts) == 1 and "tandem serve" in prompts[0]
        assert "Friedrichstraße 100" in dialog.inner_text()  # what is bought, as the user's own session sees it
        dialog.get_by_role("button", name="Bestätigen und bezahlen").click()
        food.locator(".result").wait_for(timeout=WAIT_MS)
        assert len(prompts) == 1
        assert len(partner_rows(home, "gabelpost.food", "SELECT * FROM orders")) == 1
    finally:
        bare.close()
    linked = Page(browser, server.url, DESKTOP)  # opened with the link, as the user clicks it
    try:
        page = linked.open("/#memory")
        assert "login" not in page.url and page.url.endswith("/#memory")
        assert "tw-" not in page.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})")
        assert page.evaluate("document.cookie") == ""  # the session is HttpOnly
        assert linked.errors == []
    finally:
        linked.context.close()


def test_the_web_app_says_at_once_that_its_link_expired(browser: Any, server: LiveServer, home: Path) -> None:
    """Opened with a link that expired, or one used already, the page says so as it opens, and how to get a new
    one (``tandem keys link``); it may still chat. Before, the page opened as if at the bare address and said
    nothing until a purchase asked for "the login link"."""
    expired = login_code(home, now=time.time() - LINK_TTL_S - 60)
    used = login_code(home)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.post("/api/ui/session", json={"key": used}, headers=UI).status_code == 200
        refused = http.post("/api/ui/session", json={"key": expired}, headers=UI)
        assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]
        assert "tandem keys link" in refused.json()["error"]["message"]
    for code, said in ((expired, "abgelaufen"), (used, "used already")):
        opened = Page(browser, server.url, DESKTOP, login=code)
        try:
            page = opened.open()
            notice = page.locator("#notice")
            notice.wait_for(state="visible", timeout=WAIT_MS)
            assert said in notice.inner_text() and "tandem keys link" in notice.inner_text()
            assert "login" not in page.url  # the code leaves the address bar all the same
        finally:
            opened.context.close()
