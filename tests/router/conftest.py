"""Fixtures for routing tests: the recording cloud on loopback, a ledger, the tiny device model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.models.endpoints import CloudEndpoint
from tandem.models.openai_compat import OpenAICompatModel
from tandem.privacy.detect import CompositeDetector
from tandem.privacy.ledger import Ledger
from tandem.privacy.ner import SpacyDetector
from tandem.privacy.patterns import PatternDetector
from tests.conftest import LiveServer
from tests.router.cloud import RecordingCloud


@pytest.fixture(scope="session")
def detector() -> CompositeDetector:
    return CompositeDetector([PatternDetector(), SpacyDetector()])


@pytest.fixture
def cloud() -> Iterator[tuple[RecordingCloud, LiveServer]]:
    recording = RecordingCloud()
    with LiveServer(recording.app()) as server:
        yield recording, server


@pytest.fixture
def ledger(home: Path) -> Iterator[Ledger]:
    store = Ledger.at_home(home)
    yield store
    store.close()


def endpoint_for(server: LiveServer, region: str = "DE", timeout: float = 5.0) -> CloudEndpoint:
    return CloudEndpoint(name="test", url=server.url + "/v1", model="qwen-test", region=region,
                         api_key_env="TANDEM_TEST_CLOUD_KEY", timeout=timeout, context_length=32768)


@pytest.fixture
def cloud_model(cloud: tuple[RecordingCloud, LiveServer]) -> OpenAICompatModel:
    return OpenAICompatModel(endpoint_for(cloud[1]))
