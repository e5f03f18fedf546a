"""``register_routing`` on a real registry: env-configured cloud, privacy.toml, budget."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tandem.errors import PolicyDenied
from tandem.models.base import complete
from tandem.models.registry import ModelRegistry
from tandem.router.guard import PrivateCloud
from tandem.router.hybrid import HybridModel
from tandem.router.wiring import register_routing
from tandem.types import ChatRequest, Message
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud

TEXT = "Tell Margaret Holloway at margaret.h@example.org that the report is late."


@pytest.fixture
def env_cloud(cloud: tuple[RecordingCloud, LiveServer], monkeypatch: pytest.MonkeyPatch) -> RecordingCloud:
    monkeypatch.setenv("TANDEM_CLOUD_URL", cloud[1].url + "/v1")
    monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
    monkeypatch.setenv("TANDEM_CLOUD_MODEL", "qwen-plus")
    return cloud[0]


def test_registers_private_cloud_and_hybrid_models(tiny_registry: ModelRegistry, env_cloud: RecordingCloud) -> None:
    routing = register_routing(tiny_registry, TINY)
    assert routing.cloud_ids == ("cloud:default",)
    assert set(routing.hybrid_ids) == {"tandem:auto", "tandem:device-only", "tandem:cloud-allowed"}
    listed = {i.id for i in tiny_registry.infos()}
    assert {"cloud:default", "tandem:auto"} <= listed
    cloud = tiny_registry.get("cloud:default")
    assert isinstance(cloud, PrivateCloud)
    text = complete(cloud, ChatRequest(messages=(Message("user", TEXT),))).message.content
    assert text == f"You said: {TEXT}"
    sent = env_cloud.received[0].body.decode()
    assert "Holloway" not in sent and "example.org" not in sent and '"model":"qwen-plus"' in sent
    [entry] = routing.ledger.entries()
    assert entry.route_reasons == "model=cloud:default"


def test_without_a_cloud_everything_stays_on_the_device(tiny_registry: ModelRegistry,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_CLOUD_URL", raising=False)
    routing = register_routing(tiny_registry, TINY)
    assert routing.cloud_ids == ()
    model = tiny_registry.get("tandem:cloud-allowed")
    assert isinstance(model, HybridModel)
    stream = model.stream(ChatRequest(messages=(Message("user", "hi"),), max_tokens=3))
    list(stream)
    assert stream.decision is not None and stream.decision.reasons == ("cloud:not-configured",)


def test_consent_off_in_privacy_toml_keeps_requests_home(tiny_registry: ModelRegistry, env_cloud: RecordingCloud,
                                                          home: Path) -> None:
    register_routing(tiny_registry, TINY)
    (home / "privacy.toml").write_text("[consent]\ncloud = false\n")  # read per request: applies at once
    model = tiny_registry.get("tandem:cloud-allowed")
    assert isinstance(model, HybridModel)
    stream = model.stream(ChatRequest(messages=(Message("user", "hi"),), max_tokens=3))
    list(stream)
    assert stream.decision is not None and stream.decision.reasons == ("policy:cloud-off",)
    assert env_cloud.received == []


def test_monthly_budget_stops_cloud_use(tiny_registry: ModelRegistry, env_cloud: RecordingCloud, home: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "privacy.toml").write_text("[router]\nmonthly_budget = 0.01\n")
    (home / "cloud.toml").write_text(
        f'[[endpoint]]\nname = "paid"\nurl = "{os.environ.pop("TANDEM_CLOUD_URL")}"\nmodel = "m"\nregion = "DE"\n'
        "cost_per_1k_tokens = 1.0\n")
    register_routing(tiny_registry, TINY)
    model = tiny_registry.get("tandem:cloud-allowed")
    assert isinstance(model, HybridModel)
    reasons = []
    for _ in range(2):
        stream = model.stream(ChatRequest(messages=(Message("user", "hello"),), max_tokens=3))
        list(stream)
        assert stream.decision is not None
        reasons.append(stream.decision.reasons[0])
    assert reasons == ["mode=cloud-allowed", "budget:exhausted"]  # 18 tokens at 1.0/1k > 0.01
    assert len(env_cloud.received) == 1



def test_llm_detector_that_cannot_run_keeps_the_request_home(
        tiny_settings: object, env_cloud: RecordingCloud, home: Path) -> None:
    """With llm_ner on, the device model reads the text for names before a cloud call. The tiny model's
    512-token context cannot hold that prompt: the detector fails, so nothing may be sent."""
    registry = ModelRegistry(tiny_settings)  # type: ignore[arg-type]
    (home / "privacy.toml").write_text("[router]\nllm_ner = true\n")
    register_routing(registry, TINY)
    assert TINY not in registry.loaded()  # registering does not load the device model
    text = "Herr Brenninkmeyer wohnt in der Lindenallee 37 und braucht einen Termin."
    with pytest.raises(PolicyDenied, match="privacy check failed"):
        complete(registry.get("cloud:default"), ChatRequest(messages=(Message("user", text),)))
    assert TINY in registry.loaded() and env_cloud.received == []
    model = registry.get("tandem:cloud-allowed")
    assert isinstance(model, HybridModel)
    stream = model.stream(ChatRequest(messages=(Message("user", text),), max_tokens=3))
    list(stream)  # the same request through the router ends on the device
    assert stream.served_by == TINY and stream.switches[0].endswith("(PolicyDenied)")
    assert env_cloud.received == []
