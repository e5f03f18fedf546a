"""``/v1/audio/translations``: speech in another language comes back as English text (Whisper's translate
task), through the official client."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.speech.registry import SpeechRegistry
from tests.conftest import LiveServer


@pytest.fixture
def client(tiny_registry: ModelRegistry, speech: SpeechRegistry) -> Iterator[openai.OpenAI]:
    app = create_app(tiny_registry)
    app.state.speech = speech  # the session's warm models
    with LiveServer(app) as live:
        yield openai.OpenAI(base_url=f"{live.url}/v1", api_key="unused", max_retries=0, timeout=300)


def test_german_speech_is_translated_to_english(client: openai.OpenAI) -> None:
    german = "Guten Morgen. Ich möchte heute Abend zwei Karten für das Kino kaufen."
    # Spoken by the German voice Tandem uses (Pico): what Whisper base made of espeak-ng's robotic German on a
    # fresh install (2026-12-04) was a German transcript ("... zwei Katten für Paskinokaufen."), not a translation.
    spoken = client.audio.speech.create(model="tts-1", voice="pico-de", input=german, response_format="wav")
    out = client.audio.translations.create(model="whisper-1", file=("de.wav", spoken.content, "audio/wav"))
    words = {w.strip(".,!?").lower() for w in out.text.split()}
    assert words & {"morning", "tickets", "cinema", "buy", "evening", "tonight"}, out.text
    assert not words & {"ich", "möchte", "heute", "karten", "für"}, out.text
    verbose = client.audio.translations.create(model="whisper-1", response_format="verbose_json",
                                               file=("de.wav", spoken.content, "audio/wav"))
    assert verbose.model_extra and verbose.model_extra.get("task") == "translate"


def test_an_english_only_model_cannot_translate(client: openai.OpenAI) -> None:
    spoken = client.audio.speech.create(model="tts-1", voice="espeak-de", input="Hallo", response_format="wav")
    with pytest.raises(openai.BadRequestError):
        client.audio.translations.create(model="device:whisper-tiny.en", file=("de.wav", spoken.content, "audio/wav"))
