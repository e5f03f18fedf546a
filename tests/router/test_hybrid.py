"""``tandem:auto`` end to end: the real tiny llama.cpp model on the device, the recording cloud on loopback."""

from __future__ import annotations

import hashlib
import json

import pytest

from tandem.errors import PolicyDenied
from tandem.models.base import Model, complete
from tandem.models.openai_compat import OpenAICompatModel
from tandem.models.registry import ModelRegistry
from tandem.observe import counts
from tandem.privacy.detect import CompositeDetector, Finding
from tandem.privacy.ledger import Ledger
from tandem.privacy.policy import Consent
from tandem.privacy.structured import MAX_VALUES
from tandem.router.decide import Mode, decide
from tandem.router.difficulty import load_estimator
from tandem.router.guard import CloudSite, PrivateCloud
from tandem.router.hybrid import CloudHealth, HybridModel, RoutedStream
from tandem.types import ChatRequest, Message
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud

PII_TEXT = "Please write to Daniel Okafor at daniel.okafor@example.org about the invoice."


def hybrid(registry: ModelRegistry, cloud_model: OpenAICompatModel, detector: object, ledger: Ledger,
           mode: Mode = "auto", health: CloudHealth | None = None) -> HybridModel:
    site = CloudSite(cloud_model.url, cloud_model.endpoint.region, cloud_model.endpoint.model)
    device: Model = registry.get(TINY)
    guard = PrivateCloud(cloud_model, site, detector, ledger, user_region="DE")  # type: ignore[arg-type]
    return HybridModel(device, guard, detector, estimator=load_estimator(), mode=mode,  # type: ignore[arg-type]
                       model_id=f"tandem:{mode}", user_region="DE", consent=Consent, health=health)


def ask(model: HybridModel, text: str, max_tokens: int = 8) -> tuple[str, RoutedStream]:
    stream = model.stream(ChatRequest(messages=(Message("user", text),), max_tokens=max_tokens, seed=1))
    return "".join(c.text for c in stream), stream


def test_easy_request_stays_on_the_device(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
                                          cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                          ledger: Ledger) -> None:
    _, stream = ask(hybrid(tiny_registry, cloud_model, detector, ledger), "What's the weather in Berlin tomorrow?")
    assert stream.decision is not None and stream.decision.target == "device"
    assert stream.served_by == TINY and stream.header().startswith("device; difficulty=")
    assert cloud[0].received == [] and ledger.entries() == []


def test_cloud_allowed_pseudonymises_and_restores(tiny_registry: ModelRegistry,
                                                  cloud: tuple[RecordingCloud, LiveServer],
                                                  cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                                  ledger: Ledger) -> None:
    text, stream = ask(hybrid(tiny_registry, cloud_model, detector, ledger, "cloud-allowed"), PII_TEXT)
    assert text == f"You said: {PII_TEXT}"
    assert stream.served_by == "cloud:test" and stream.header() == (
        "cloud; mode=cloud-allowed; fallback=device; served-by=cloud:test")
    sent = cloud[0].received[0].body.decode()
    assert "Okafor" not in sent and "example.org" not in sent
    [entry] = ledger.entries()
    assert entry.status == "ok" and entry.route_reasons.startswith("cloud; mode=cloud-allowed")


def test_cloud_killed_mid_stream_finishes_on_the_device(tiny_registry: ModelRegistry,
                                                        cloud: tuple[RecordingCloud, LiveServer],
                                                        cloud_model: OpenAICompatModel,
                                                        detector: CompositeDetector, ledger: Ledger) -> None:
    recording, _ = cloud
    recording.script.mode = "die"
    health = CloudHealth(cooldown=60)
    model = hybrid(tiny_registry, cloud_model, detector, ledger, "cloud-allowed", health)
    text, stream = ask(model, PII_TEXT)
    assert text.startswith("You said: Please write to Daniel")  # the part the cloud sent, restored
    assert stream.served_by == TINY and stream.switches == ["cloud:test->device:tiny(ModelUnavailable)"]
    [entry] = ledger.entries()
    assert entry.status == "error:ModelUnavailable"
    assert entry.payload_sha256 == hashlib.sha256(recording.received[0].body).hexdigest()
    # The breaker is open now: the next request goes straight to the device, and nothing is sent.
    _, again = ask(model, PII_TEXT)
    assert again.decision is not None and again.decision.reasons == ("cloud:unreachable",)
    assert len(recording.received) == 1


@pytest.mark.parametrize("failure", ["429", "401", "overflow"])
def test_cloud_errors_fall_back_to_the_device(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
                                              cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                              ledger: Ledger, failure: str) -> None:
    cloud[0].script.mode = failure
    result = complete(hybrid(tiny_registry, cloud_model, detector, ledger, "cloud-allowed"),
                      ChatRequest(messages=(Message("user", "hi"),), max_tokens=4, seed=1))
    assert result.finish_reason in ("stop", "length") and result.usage.completion_tokens > 0
    assert ledger.entries()[0].status.startswith("error:")


def test_detector_crash_keeps_everything_on_the_device(tiny_registry: ModelRegistry,
                                                       cloud: tuple[RecordingCloud, LiveServer],
                                                       cloud_model: OpenAICompatModel, ledger: Ledger) -> None:
    class Crashing:
        def detect(self, text: str, language: str) -> list[Finding]:
            raise RuntimeError("boom")

    model = hybrid(tiny_registry, cloud_model, Crashing(), ledger, "cloud-allowed")
    _, stream = ask(model, PII_TEXT)
    assert stream.decision is not None and stream.decision.reasons == ("fail-closed:detector-error",)
    assert stream.served_by == TINY and cloud[0].received == [] and ledger.entries() == []


def test_a_request_too_large_to_check_is_counted_once_as_too_large(
        tiny_registry: ModelRegistry, cloud_model: OpenAICompatModel, detector: CompositeDetector,
        ledger: Ledger) -> None:
    # reread24 L9: the router counted it "detector-error", PrivateCloud "egress-too-large": one event, one counter
    model = hybrid(tiny_registry, cloud_model, detector, ledger, "cloud-allowed")
    table = json.dumps([{"n": i} for i in range(MAX_VALUES + 1)])
    request = ChatRequest(messages=(Message("user", "Sum these up"), Message("tool", table, tool_call_id="c1")))
    before = counts()
    facts = model.facts(request)
    after = counts()
    decision = decide(facts)
    assert not facts.detection_ok and decision.target != "cloud" and decision.reasons[0] == "fail-closed:too-large"
    too_large, error = ("router_fallbacks", "egress-too-large"), ("router_fallbacks", "detector-error")
    assert after.get(too_large, 0) == before.get(too_large, 0) + 1
    assert after.get(error, 0) == before.get(error, 0)


def test_too_long_for_the_device_goes_to_the_cloud_or_is_refused(
        tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel,
        detector: CompositeDetector, ledger: Ledger) -> None:
    long_text = "Summarise this. " + "The quarterly numbers look fine. " * 80
    _, stream = ask(hybrid(tiny_registry, cloud_model, detector, ledger), long_text)
    assert stream.decision is not None and stream.decision.target == "cloud"
    assert stream.decision.reasons[0].startswith("device:context<")
    with pytest.raises(PolicyDenied, match="mode=device-only"):
        ask(hybrid(tiny_registry, cloud_model, detector, ledger, "device-only"), long_text)
    assert len(cloud[0].received) == 1


def test_device_only_never_touches_the_cloud(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
                                            cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                            ledger: Ledger) -> None:
    model = hybrid(tiny_registry, cloud_model, detector, ledger, "device-only")
    for prompt in ("Prove that sqrt(2) is irrational, step by step.", PII_TEXT):
        _, stream = ask(model, prompt)
        assert stream.served_by == TINY
    assert cloud[0].received == []


def test_device_failure_falls_back_to_the_private_cloud(tiny_registry: ModelRegistry,
                                                        cloud: tuple[RecordingCloud, LiveServer],
                                                        cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                                        ledger: Ledger) -> None:
    from collections.abc import Iterator

    from tandem.errors import ModelUnavailable
    from tandem.types import ChatChunk

    class MissingWeights:
        info = tiny_registry.get(TINY).info

        def stream(self, request: ChatRequest, cancel: object = None) -> Iterator[ChatChunk]:
            raise ModelUnavailable("weights missing")
            yield ChatChunk()

    site = CloudSite(cloud_model.url, "DE", "qwen-test")
    guard = PrivateCloud(cloud_model, site, detector, ledger, user_region="DE")
    model = HybridModel(MissingWeights(), guard, detector, estimator=load_estimator())
    stream = model.stream(ChatRequest(messages=(Message("user", PII_TEXT),)))
    assert "".join(c.text for c in stream) == f"You said: {PII_TEXT}"
    assert stream.switches == ["device:tiny->cloud:test(ModelUnavailable)"]
    assert "Okafor" not in cloud[0].received[0].body.decode()


def test_cloud_timeout_completes_on_the_device(tiny_registry: ModelRegistry, cloud: tuple[RecordingCloud, LiveServer],
                                               detector: CompositeDetector, ledger: Ledger) -> None:
    from tests.router.conftest import endpoint_for

    recording, server = cloud
    recording.script.mode, recording.script.delay = "slow", 2.0
    slow_model = OpenAICompatModel(endpoint_for(server, timeout=0.3))
    text, stream = ask(hybrid(tiny_registry, slow_model, detector, ledger, "cloud-allowed"), PII_TEXT)
    assert text and stream.served_by == TINY and stream.switches == ["cloud:test->device:tiny(ModelTimeout)"]
    [entry] = ledger.entries()  # the ledger shows exactly what was sent before the timeout
    assert entry.status == "error:ModelTimeout"
    assert entry.payload_sha256 == hashlib.sha256(recording.received[0].body).hexdigest()
    assert "Okafor" not in recording.received[0].body.decode()
