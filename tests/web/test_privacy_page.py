"""The privacy page in the browser after a real cloud call: a recording OpenAI-compatible server on loopback
stands in for the cloud (as in the router tests), the call goes through the private-cloud guard, and the
page shows the ledger row with the categories removed before sending; erase empties it."""

from __future__ import annotations

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


@pytest.fixture
def cloud_server(tiny_registry: ModelRegistry, home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from tandem.api.app import create_app

    recording = RecordingCloud()
    with LiveServer(recording.app()) as cloud:
        monkeypatch.setenv("TANDEM_CLOUD_URL", cloud.url + "/v1")
        monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
        monkeypatch.setenv("TANDEM_CLOUD_MODEL", "qwen-plus")
        (home / "privacy.toml").write_text("[router]\nllm_ner = false\n")  # patterns and spaCy are enough here
        register_routing(tiny_registry, TINY)
        with LiveServer(create_app(tiny_registry)) as server:
            yield server, recording


def test_privacy_page_lists_the_cloud_call_and_erase_empties_it(browser: Any, cloud_server: Any,
                                                                 tmp_path: Path) -> None:
    server, recording = cloud_server
    body = {"model": "cloud:default", "messages": [{"role": "user", "content": TEXT}]}
    answer = httpx.post(server.url + "/v1/chat/completions", json=body, timeout=60)
    assert answer.status_code == 200, answer.text
    assert b"Holloway" not in recording.all_bytes()  # what the page reports was really kept home
    [entry] = httpx.get(server.url + "/api/ui/privacy", timeout=30).json()["ledger"]
    assert {"EMAIL", "PERSON"} <= set(entry["categories"])

    tab = Page(browser, server.url, DESKTOP, locale="en-US")
    try:
        page = tab.open("/#privacy")
        row = page.locator(".ledger tbody tr")
        row.wait_for()
        assert row.count() == 1
        assert row.locator("td[data-col='endpoint']").inner_text() == entry["endpoint"]
        assert row.locator("td[data-col='region']").inner_text() == "DE"
        assert row.locator("td[data-col='removed']").inner_text() == ", ".join(entry["categories"])
        assert page.locator(".tile.cloud strong").inner_text() == "1"
        page.screenshot(path=str(tmp_path / "privacy-1280x800.png"), full_page=True)

        page.get_by_role("button", name="Erase my data").click()  # the confirm() prompt is accepted
        page.locator(".ledger .empty").wait_for()
        assert page.locator(".ledger tbody tr").count() == 0
        assert page.locator(".tile.cloud strong").inner_text() == "0"
        assert tab.errors == []
    finally:
        tab.context.close()
    assert httpx.get(server.url + "/api/ui/privacy", timeout=30).json()["ledger"] == []
