"""Speech input with control characters (walk2 W2-4): a NUL in the text reached espeak-ng's phonemizer as a C string
and came back as a 500; control characters are not spoken, the rest of the text is, and text of nothing but
control characters is a 400."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tests.conftest import LiveServer


@pytest.fixture
def server(tiny_registry: ModelRegistry) -> Iterator[LiveServer]:
    with LiveServer(create_app(tiny_registry)) as live:
        yield live


def test_control_characters_are_not_spoken(server: LiveServer) -> None:
    said = httpx.post(f"{server.url}/v1/audio/speech", timeout=120, json={
        "model": "tts-1", "voice": "alloy", "input": "Two tickets\x00 for\x07 Dune\x1b, please.",
        "response_format": "wav"})
    assert said.status_code == 200 and said.content[:4] == b"RIFF", said.text[:300]
    nothing = httpx.post(f"{server.url}/v1/audio/speech", timeout=120,
                         json={"model": "tts-1", "voice": "alloy", "input": "\x00\x01\x02"})
    assert nothing.status_code == 400 and nothing.json()["error"]["param"] == "input", nothing.text[:300]
