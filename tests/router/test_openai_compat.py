"""The cloud backend against a real server on loopback: streaming, tool calls, and typed errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tandem.errors import AuthFailed, ConfigError, ContextOverflow, ModelTimeout, ModelUnavailable, RateLimited
from tandem.models.base import complete
from tandem.models.endpoints import PRESETS, CloudEndpoint, endpoint_from_env, load_endpoints
from tandem.models.openai_compat import OpenAICompatModel
from tandem.types import ChatRequest, Message, Tool
from tests.conftest import LiveServer, free_port
from tests.router.cloud import RecordingCloud
from tests.router.conftest import endpoint_for

HELLO = ChatRequest(messages=(Message("user", "hello there"),))


def test_streams_text_usage_and_sends_exact_encoded_bytes(
        cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_TEST_CLOUD_KEY", "sk-test-123")
    recording, _ = cloud
    chunks = list(cloud_model.stream(HELLO))
    assert "".join(c.text for c in chunks) == "You said: hello there"
    assert len(chunks) > 3 and chunks[-1].finish_reason == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 7
    sent = recording.received[0]
    assert sent.body == cloud_model.encode(HELLO)
    assert hashlib.sha256(sent.body).hexdigest() == hashlib.sha256(cloud_model.encode(HELLO)).hexdigest()
    assert sent.headers["authorization"] == "Bearer sk-test-123"


def test_tool_call_is_assembled_from_fragments(cloud: tuple[RecordingCloud, LiveServer],
                                               cloud_model: OpenAICompatModel) -> None:
    cloud[0].script.mode = "tool"
    request = ChatRequest(messages=(Message("user", "remember milk"),), tools=(Tool("note", "save a note"),))
    result = complete(cloud_model, request)
    assert result.finish_reason == "tool_calls"
    assert result.message.tool_calls[0].name == "note"
    assert result.message.tool_calls[0].arguments == {"note": "remember milk"}


@pytest.mark.parametrize(("mode", "error"), [
    ("429", RateLimited), ("401", AuthFailed), ("overflow", ContextOverflow), ("die", ModelUnavailable)])
def test_failures_become_typed_errors(cloud: tuple[RecordingCloud, LiveServer], cloud_model: OpenAICompatModel,
                                      mode: str, error: type[Exception]) -> None:
    cloud[0].script.mode = mode
    with pytest.raises(error):
        list(cloud_model.stream(HELLO))


def test_rate_limit_tells_when_to_retry(cloud: tuple[RecordingCloud, LiveServer],
                                       cloud_model: OpenAICompatModel) -> None:
    cloud[0].script.mode = "429"
    with pytest.raises(RateLimited, match="retry after 7s"):
        list(cloud_model.stream(HELLO))


def test_slow_endpoint_times_out(cloud: tuple[RecordingCloud, LiveServer]) -> None:
    recording, server = cloud
    recording.script.mode, recording.script.delay = "slow", 2.0
    model = OpenAICompatModel(endpoint_for(server, timeout=0.3))
    with pytest.raises(ModelTimeout):
        list(model.stream(HELLO))


def test_unreachable_endpoint_is_unavailable() -> None:
    model = OpenAICompatModel(CloudEndpoint(name="gone", url=f"http://127.0.0.1:{free_port()}/v1", model="m",
                                            region="DE", timeout=1.0))
    with pytest.raises(ModelUnavailable):
        list(model.stream(HELLO))


def test_env_endpoint_is_cloud_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_CLOUD_URL", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/")
    monkeypatch.setenv("TANDEM_CLOUD_MODEL", "qwen-plus")
    monkeypatch.setenv("TANDEM_CLOUD_REGION", "sg")
    endpoint = endpoint_from_env("DE")
    assert endpoint is not None and endpoint.id == "cloud:default"
    assert (endpoint.region, endpoint.model, endpoint.api_key_env) == ("SG", "qwen-plus", "TANDEM_CLOUD_API_KEY")
    assert endpoint.url.endswith("/compatible-mode/v1")


def test_env_endpoint_without_region_is_refused_unless_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_CLOUD_REGION", raising=False)
    monkeypatch.setenv("TANDEM_CLOUD_URL", "https://example.org/v1")
    with pytest.raises(ConfigError, match="TANDEM_CLOUD_REGION"):
        endpoint_from_env("DE")
    monkeypatch.setenv("TANDEM_CLOUD_URL", "http://127.0.0.1:9000/v1")
    endpoint = endpoint_from_env("FR")
    assert endpoint is not None and endpoint.region == "FR"


def test_cloud_toml_presets_and_custom_entries(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_CLOUD_URL", raising=False)
    home.mkdir(parents=True, exist_ok=True)
    (home / "cloud.toml").write_text(
        '[[endpoint]]\npreset = "dashscope-cn"\nmodel = "qwen-max"\n\n'
        '[[endpoint]]\nname = "lab"\npreset = "vllm"\nurl = "http://127.0.0.1:8001/v1"\n\n'
        '[[endpoint]]\nname = "eu"\nurl = "https://llm.example.eu/v1"\nmodel = "qwen2.5-72b"\nregion = "fr"\n')
    endpoints = load_endpoints(home, "DE")
    assert [(e.id, e.region) for e in endpoints] == [("cloud:dashscope-cn", "CN"), ("cloud:lab", "DE"),
                                                     ("cloud:eu", "FR")]
    assert endpoints[0].url == PRESETS["dashscope-cn"].url and endpoints[0].model == "qwen-max"


def test_cloud_toml_rejects_unknown_keys(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "cloud.toml").write_text('[[endpoint]]\npreset = "vllm"\nregoin = "DE"\n')
    with pytest.raises(ConfigError, match="regoin"):
        load_endpoints(home, "DE")
