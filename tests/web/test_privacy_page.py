"""A cloud call made from the chat, seen on the privacy page. A recording OpenAI-compatible server on loopback
stands in for the cloud (as in the router tests); routing is set up as ``tandem serve`` users configure it
(``TANDEM_CLOUD_*``, privacy.toml), with the threshold at 0 so ``tandem:auto`` prefers the cloud. The
chat's answer streams in; the page shows the ledger row with the categories removed before sending; erase
empties it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.models.registry import ModelRegistry
from tandem.router.wiring import register_routing
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud
from tests.web.conftest import DESKTOP, Page

TEXT = "Tell Margaret Holloway at margaret.h@example.org that the report is late."
WAIT_MS = 120_000

COUNT_UPDATES = """() => {
  window.updates = 0;
  new MutationObserver((records) => { window.updates += records.length; })
    .observe(document.getElementById("log"), { subtree: true, characterData: true, childList: true });
}"""


@pytest.fixture
def cloud_server(tiny_registry: ModelRegistry, home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from tandem.api.app import create_app

    recording = RecordingCloud()
    with LiveServer(recording.app()) as cloud:
        monkeypatch.setenv("TANDEM_CLOUD_URL", cloud.url + "/v1")
        monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
        monkeypatch.setenv("TANDEM_CLOUD_MODEL", "qwen-plus")
        home.mkdir(parents=True, exist_ok=True)
        (home / "privacy.toml").write_text("[router]\nthreshold = 0.0\nllm_ner = false\n")
        register_routing(tiny_registry, TINY)
        with LiveServer(create_app(tiny_registry)) as server:
            yield server, recording


def chat_through_the_cloud(page: Any, recording: RecordingCloud) -> None:
    page.evaluate(COUNT_UPDATES)
    page.fill("#prompt", TEXT)
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.assistant:not([aria-busy]) >> nth=1", timeout=WAIT_MS)
    answer = page.locator(".msg.assistant .text").nth(1).inner_text()
    assert answer == f"You said: {TEXT}"  # the placeholders were put back on the device
    assert page.evaluate("window.updates") > 5  # it arrived in pieces, as streamed
    sent = recording.all_bytes()
    assert sent and b"Holloway" not in sent and b"example.org" not in sent


def test_cloud_call_from_the_chat_is_listed_and_erase_empties_it(browser: Any, cloud_server: Any,
                                                                  tmp_path: Path) -> None:
    server, recording = cloud_server
    tab = Page(browser, server.url, DESKTOP, locale="en-US")
    try:
        page = tab.open()
        chat_through_the_cloud(page, recording)
        # The chat answer (tandem:auto) went to the cloud; the understanding tier goes there too only when the
        # on-device tiers could not tell chat from a request (the learned tier usually can).
        ledger = httpx.get(server.url + "/api/ui/privacy", timeout=30, headers=server.local).json()["ledger"]
        reasons = {e["route_reasons"].split(";")[0] for e in ledger}
        assert "cloud" in reasons and reasons <= {"model=cloud:default", "cloud"}
        assert all({"EMAIL", "PERSON"} <= set(e["categories"]) for e in ledger)

        page.get_by_role("link", name="Privacy").click()
        rows = page.locator(".ledger tbody tr")
        rows.first.wait_for()
        assert rows.count() == len(ledger)
        for row, entry in zip(rows.all(), ledger, strict=True):  # newest first, as the ledger lists them
            assert row.locator("td[data-col='endpoint']").inner_text() == entry["endpoint"]
            assert row.locator("td[data-col='region']").inner_text() == "DE"
            assert row.locator("td[data-col='removed']").inner_text() == ", ".join(entry["categories"])
            why = row.locator("td[data-col='reason']")  # in words; the router's own reasons one click away
            assert why.inner_text().startswith("Sent to the cloud model because")
            assert "e-mail and name were replaced first" in why.inner_text()
            assert not why.locator("code").is_visible()
            why.locator("summary").click()
            assert why.locator("code").inner_text() == entry["route_reasons"]
        assert page.locator(".tile.cloud strong").inner_text() == str(len(ledger))
        page.screenshot(path=str(tmp_path / "privacy-1280x800.png"), full_page=True)

        with page.expect_download() as saving:
            page.get_by_role("button", name=re.compile("^Export")).click()
        exported = json.loads(Path(saving.value.path()).read_text(encoding="utf-8"))
        assert [e["payload_sha256"] for e in exported["entries"]] == [e["payload_sha256"] for e in reversed(ledger)]
        # everything the erase button below deletes, not only the ledger (walk4 W4-9)
        assert {"memory", "profile", "assistant", "responses"} <= set(exported), sorted(exported)
        assert exported["assistant"]["conversations"], exported  # the chat that made the cloud call

        page.get_by_role("button", name="Erase my data").click()  # the confirm() prompt is accepted
        page.locator(".ledger .empty").wait_for()
        assert page.locator(".ledger tbody tr").count() == 0
        assert page.locator(".tile.cloud strong").inner_text() == "0"
        assert tab.errors == []
    finally:
        tab.context.close()
    assert httpx.get(server.url + "/api/ui/privacy", timeout=30, headers=server.local).json()["ledger"] == []


REASONS = {"en-US": ("Sent to the cloud model because the request looked too hard",
                     "your e-mail and name were replaced first"),
           "de-DE": ("An das Cloud-Modell gesendet, weil die Anfrage", "vorher ersetzt: E-Mail und Name"),
           "zh-CN": ("已发送到云端模型，因为这个请求对本机模型来说太难", "发送前已替换你的邮箱和姓名")}


@pytest.mark.parametrize("locale", sorted(REASONS))
def test_why_is_said_in_the_users_language_with_the_technical_reason_one_click_away(
        browser: Any, server: LiveServer, home: Path, locale: str) -> None:
    from tandem.privacy.ledger import EgressRecord, Ledger

    ledger = Ledger.at_home(home)  # what a routed cloud call records (tests above make a real one)
    ledger.finish(ledger.record(EgressRecord(
        endpoint="https://llm.example.eu/v1", region="FR", model="qwen-plus", purpose="chat completion",
        legal_basis="GDPR Art. 6(1)(b)", payload_sha256="0" * 64, payload_bytes=120, categories=("EMAIL", "PERSON"),
        route_reasons="cloud; difficulty=0.25>=0.00; fallback=device")), "ok")
    ledger.close()
    tab = Page(browser, server.url, DESKTOP, locale=locale)
    try:
        page = tab.open("/#privacy")
        why = page.locator(".ledger td[data-col='reason']").first
        why.wait_for()
        because, replaced = REASONS[locale]
        assert why.inner_text().startswith(because) and replaced in why.inner_text()
        assert not why.locator("code").is_visible()
        why.locator("summary").click()
        assert why.locator("code").inner_text() == "cloud; difficulty=0.25>=0.00; fallback=device"
        assert tab.errors == []
    finally:
        tab.context.close()
