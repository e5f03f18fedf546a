"""The cloud behind the privacy engine, against the recording server: what crosses the wire, what comes back,
and what the ledger says."""

from __future__ import annotations

import hashlib
import json

import pytest

from tandem.errors import ModelTimeout, PolicyDenied
from tandem.models.base import complete
from tandem.models.endpoints import CloudEndpoint
from tandem.models.openai_compat import OpenAICompatModel
from tandem.privacy.detect import CompositeDetector, Finding
from tandem.privacy.ledger import Ledger
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.policy import Consent
from tandem.router.guard import CloudSite, PrivateCloud
from tandem.types import ChatRequest, Message, ResponseFormat, Tool
from tests.conftest import LiveServer
from tests.privacy.samples import SAMPLES
from tests.router.cloud import RecordingCloud
from tests.router.conftest import endpoint_for


class CrashingDetector:
    def detect(self, text: str, language: str) -> list[Finding]:
        raise RuntimeError("NER weights corrupted")


def private(model: OpenAICompatModel, detector: object, ledger: Ledger, user_region: str = "DE",
            consent: Consent | None = None) -> PrivateCloud:
    site = CloudSite(model.url, model.endpoint.region, model.endpoint.model)
    return PrivateCloud(model, site, detector, ledger, user_region=user_region,  # type: ignore[arg-type]
                        consent=lambda: consent or Consent())


def test_no_real_value_reaches_the_cloud_and_answers_come_back_restored(
        cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel, detector: CompositeDetector,
        ledger: Ledger) -> None:
    recording, _ = cloud
    guard = private(cloud_model, detector, ledger)
    for _, text, values in SAMPLES:
        chunks = list(guard.stream(ChatRequest(messages=(Message("user", text),))))
        assert "".join(c.text for c in chunks) == f"You said: {text}"  # restored, split 3 chars a chunk
        sent = recording.received[-1].body.decode("utf-8")
        for value in values:
            assert value not in sent and json.dumps(value)[1:-1] not in sent, value
    assert len(recording.received) == len(SAMPLES)


def test_tool_call_arguments_are_restored(cloud: tuple[RecordingCloud, LiveServer],
                                          cloud_model: OpenAICompatModel, detector: CompositeDetector,
                                          ledger: Ledger) -> None:
    recording, _ = cloud
    recording.script.mode = "tool"
    text = "Remind me to call Daniel Okafor at (503) 555-0147."
    result = complete(private(cloud_model, detector, ledger),
                      ChatRequest(messages=(Message("user", text),), tools=(Tool("remind", "set a reminder"),)))
    assert result.message.tool_calls[0].arguments == {"note": text}
    sent = recording.received[0].body.decode()
    assert "Okafor" not in sent and "555-0147" not in sent and "<PHONE_1>" in sent


def test_tools_schema_and_stop_strings_are_checked_like_the_messages(
        cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel, detector: CompositeDetector,
        ledger: Ledger) -> None:
    """A client's or a partner's tool description and parameter schema, the answer's schema and the stop strings go
    to the cloud too: they were sent as written, unread (an enum of the user's contacts, a default e-mail)."""
    recording, _ = cloud
    request = ChatRequest(
        messages=(Message("user", "Pay the monthly rent, please."),),
        tools=(Tool("send_money", "Transfer money to IBAN DE89 3704 0044 0532 0130 00.",
                    {"type": "object", "properties": {
                        "email": {"type": "string", "default": "klaus.meier@example.org"},
                        "phone": {"type": "string", "enum": ["(503) 555-0147", "+49 30 1234567"]}}}),),
        response_format=ResponseFormat("json_schema", {"type": "object", "description": "Call (415) 555-0199 back",
                                                       "properties": {"ok": {"type": "boolean"}}}),
        stop=("klaus.meier@example.org:",))
    list(private(cloud_model, detector, ledger).stream(request))
    sent = recording.received[-1].body.decode("utf-8")
    for value in ("DE89 3704 0044 0532 0130 00", "klaus.meier@example.org", "555-0147", "1234567", "555-0199"):
        assert value not in sent, value
    body = json.loads(sent)
    assert body["tools"][0]["function"]["parameters"]["properties"]["phone"]["enum"] == ["<PHONE_1>", "<PHONE_2>"]
    assert body["stop"] == ["<EMAIL_1>:"] and "send_money" in sent and "monthly rent" in sent


def test_ledger_holds_the_hash_and_size_of_exactly_what_was_received(
        cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel, detector: CompositeDetector,
        ledger: Ledger) -> None:
    recording, _ = cloud
    text = SAMPLES[0][1]
    list(private(cloud_model, detector, ledger).stream(ChatRequest(messages=(Message("user", text),))))
    [entry] = ledger.entries()
    body = recording.received[0].body
    assert entry.payload_sha256 == hashlib.sha256(body).hexdigest() and entry.payload_bytes == len(body)
    assert entry.categories == ("ADDRESS", "EMAIL", "PHONE") and entry.status == "ok"
    assert (entry.region, entry.model, entry.endpoint) == ("DE", "qwen-test", cloud_model.url)
    assert "6(1)(b)" in entry.legal_basis


def test_crashing_detector_sends_zero_bytes(cloud: tuple[RecordingCloud, LiveServer],
                                            cloud_model: OpenAICompatModel, ledger: Ledger) -> None:
    recording, _ = cloud
    guard = private(cloud_model, CompositeDetector([PatternDetector(), CrashingDetector()]), ledger)
    with pytest.raises(PolicyDenied, match="privacy check failed"):
        list(guard.stream(ChatRequest(messages=(Message("user", "hello"),))))
    assert recording.received == [] and ledger.entries() == []


def _nested(depth: int) -> object:
    value: object = "Klaus Meier"
    for _ in range(depth):
        value = {"items": [value]}
    return value


@pytest.mark.parametrize("result", [
    {"seats": ["free"] * 60_000},  # 60,000 values
    {"note": "a" * 1_100_000},  # 1.1 million characters in one value
    _nested(40),  # 80 levels of records and lists
], ids=["values", "characters", "depth"])
def test_a_tool_result_too_large_to_check_sends_zero_bytes(
        result: object, cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel,
        detector: CompositeDetector, ledger: Ledger) -> None:
    # A partner's structured result reaches the check whole (the hub cuts only its text): bounded, and a clear error.
    recording, _ = cloud
    request = ChatRequest(messages=(Message("user", "Wo ist meine Bestellung?"),
                                    Message("tool", json.dumps(result), tool_call_id="c1")))
    with pytest.raises(PolicyDenied, match="too large for the privacy check"):
        list(private(cloud_model, detector, ledger).stream(request))
    assert recording.received == [] and ledger.entries() == []


def test_policy_denial_sends_zero_bytes(cloud: tuple[RecordingCloud, LiveServer], detector: CompositeDetector,
                                        ledger: Ledger) -> None:
    recording, server = cloud
    model = OpenAICompatModel(endpoint_for(server, region="SG"))
    with pytest.raises(PolicyDenied, match="cn-data-stays-in-cn"):
        list(private(model, detector, ledger, user_region="CN").stream(
            ChatRequest(messages=(Message("user", SAMPLES[6][1]),))))
    assert recording.received == []


def test_failed_call_is_still_in_the_ledger(cloud: tuple[RecordingCloud, LiveServer], detector: CompositeDetector,
                                            ledger: Ledger) -> None:
    recording, server = cloud
    recording.script.mode, recording.script.delay = "slow", 2.0
    model = OpenAICompatModel(endpoint_for(server, timeout=0.3))
    with pytest.raises(ModelTimeout):
        list(private(model, detector, ledger).stream(ChatRequest(messages=(Message("user", "hello"),))))
    [entry] = ledger.entries()
    assert entry.status == "error:ModelTimeout"
    assert entry.payload_sha256 == hashlib.sha256(recording.received[0].body).hexdigest()


def test_end_to_end_against_a_real_tandem_server_as_the_cloud(
        cloud: tuple[RecordingCloud, LiveServer], tiny_registry: object, detector: CompositeDetector,
        ledger: Ledger) -> None:
    """The cloud is a second real Tandem API (llama.cpp on the tiny model) behind the recording proxy."""
    from tandem.api.app import create_app
    from tests.conftest import TINY

    recording, server = cloud
    recording.script.mode, recording.script.upstream = "proxy", create_app(tiny_registry)  # type: ignore[arg-type]
    model = OpenAICompatModel(CloudEndpoint(name="tandem2", url=server.url + "/v1", model=TINY, region="DE",
                                            timeout=60))
    guard = private(model, detector, ledger)
    text = SAMPLES[3][1]  # German: name, IBAN, Steuer-ID
    result = complete(guard, ChatRequest(messages=(Message("user", text),), max_tokens=8, seed=3))
    assert result.finish_reason in ("stop", "length") and result.usage.completion_tokens > 0
    sent = recording.received[0].body.decode()
    for value in SAMPLES[3][2]:
        assert value not in sent
    [entry] = ledger.entries()
    assert entry.status == "ok" and entry.payload_sha256 == hashlib.sha256(recording.received[0].body).hexdigest()


def test_egress_detector_keeps_context_free_names_and_addresses_off_the_wire(
        cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel, ledger: Ledger) -> None:
    """The detector that really guards cloud calls (name lists, street grammar, unknown-proper-noun safety
    net), on names and addresses without any cue word; the streamed echo comes back restored."""
    from tandem.router.wiring import egress_detector, fast_detector

    recording, _ = cloud
    guard = private(cloud_model, egress_detector(fast_detector("DE")), ledger)
    texts = {
        "Directed By:    Annelie K. Vaarakallio": ["Annelie K. Vaarakallio"],
        "The partners are Lindqvist, Rogers and Reed.": ["Lindqvist", "Rogers", "Reed"],
        "follow up with margaret oyelaran next week": ["margaret oyelaran"],
        "Ship to:\n> 87 Hallgrímsgata 4\n> Apt. 12\n> Akureyri\n> Iceland 60022": ["Hallgrímsgata 4", "Apt. 12"],
        "Zorbulax, can you ask Quenby about the invoice?": ["Zorbulax", "Quenby"],
    }
    for text, values in texts.items():
        chunks = list(guard.stream(ChatRequest(messages=(Message("user", text),))))
        assert "".join(c.text for c in chunks) == f"You said: {text}"
        sent = recording.received[-1].body.decode("utf-8")
        for value in values:
            assert value not in sent and json.dumps(value)[1:-1] not in sent, (value, sent)
