"""Fallbacks and fail-closed routing decisions leave a log line and a counter in ``/metrics``
(``tandem_router_fallbacks_total{reason=...}``). Two real servers on loopback: Tandem and the recording cloud."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.privacy.detect import Finding
from tandem.router.wiring import register_routing
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud


class BrokenDetector:
    """A detector whose model crashed."""

    def detect(self, text: str, language: str) -> list[Finding]:
        raise RuntimeError("detector model failed to load")


def _served(registry: ModelRegistry, cloud: LiveServer, monkeypatch: pytest.MonkeyPatch,
            detector: BrokenDetector | None = None) -> LiveServer:
    monkeypatch.setenv("TANDEM_CLOUD_URL", cloud.url + "/v1")
    monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
    register_routing(registry, TINY, detector=detector)
    return LiveServer(create_app(registry))


def _fallbacks(server: LiveServer, reason: str) -> float:
    text = httpx.get(server.url + "/metrics", timeout=30).text
    found = re.search(rf'^tandem_router_fallbacks_total{{reason="{re.escape(reason)}"}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def _ask(server: LiveServer) -> httpx.Response:
    body = {"model": "tandem:cloud-allowed", "max_tokens": 4,
            "messages": [{"role": "user", "content": "Summarise the history of the bicycle."}]}
    return httpx.post(server.url + "/v1/chat/completions", json=body, timeout=60)


@pytest.fixture
def broken(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
           monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    with _served(tiny_registry, cloud[1], monkeypatch, BrokenDetector()) as server:
        yield server


def test_detector_failure_is_logged_counted_and_stays_on_the_device(
        broken: LiveServer, cloud: tuple[RecordingCloud, LiveServer], caplog: pytest.LogCaptureFixture) -> None:
    metrics = httpx.get(broken.url + "/metrics", timeout=30).text
    assert "# TYPE tandem_router_fallbacks_total counter" in metrics  # exported before the first one
    before = _fallbacks(broken, "detector-error")
    with caplog.at_level(logging.WARNING, logger="tandem.router"):
        answer = _ask(broken)
    assert answer.status_code == 200
    assert answer.headers["x-tandem-route"].startswith("device; fail-closed:detector-error")
    assert cloud[0].received == []
    assert _fallbacks(broken, "detector-error") == before + 1
    logged = [r for r in caplog.records if getattr(r, "reason", None) == "detector-error"]
    assert logged and logged[0].name == "tandem.router" and "RuntimeError" in (logged[0].exc_text or "")


def test_cloud_failure_falls_back_to_the_device_and_is_counted(
        tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cloud[0].script.mode = "429"
    with _served(tiny_registry, cloud[1], monkeypatch) as server:
        before = _fallbacks(server, "cloud-RateLimited")
        answer = _ask(server)
        assert answer.status_code == 200
        assert f"served-by={TINY}" in answer.headers["x-tandem-route"]
        assert _fallbacks(server, "cloud-RateLimited") == before + 1
