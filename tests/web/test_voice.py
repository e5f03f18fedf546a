"""Voice input in the browser: Chromium's fake microphone plays a sentence spoken by the on-device piper
voice; the page records it with MediaRecorder (WebM/Opus, as a real browser sends it), on-device Whisper
transcribes it through /v1/audio/transcriptions, and the sentence books cinema tickets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tandem.config import load_settings
from tandem.speech.audio import encode_audio
from tandem.speech.base import Audio
from tandem.speech.registry import SpeechRegistry
from tandem.speech.voices import choose_voice
from tests.conftest import LiveServer
from tests.web.conftest import DESKTOP, Page, launch

SENTENCE = "Book two tickets for Dune tonight at 8 pm."
WAIT_MS = 180_000  # Whisper loads on first use


@pytest.fixture
def spoken(tmp_path: Path) -> tuple[Path, float]:
    """The sentence as a WAV file with a second of silence on each side, and its length in seconds."""
    speech = SpeechRegistry(load_settings())
    audio = speech.synthesizer(choose_voice("joe", SENTENCE, set())).synthesize(SENTENCE)
    pad = np.zeros(audio.sample_rate, dtype=np.float32)
    padded = Audio(np.concatenate([pad, audio.samples, pad]), audio.sample_rate)
    path = tmp_path / "sentence.wav"
    path.write_bytes(encode_audio(padded, "wav")[0])
    return path, len(padded.samples) / padded.sample_rate


@pytest.fixture
def mic_browser(playwright: Any, spoken: tuple[Path, float]) -> Iterator[Any]:
    chromium = launch(playwright, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                      f"--use-file-for-fake-audio-capture={spoken[0]}")
    yield chromium
    chromium.close()


def test_spoken_request_fills_the_composer_and_books(mic_browser: Any, server: LiveServer,
                                                     spoken: tuple[Path, float]) -> None:
    tab = Page(mic_browser, server.url, DESKTOP, locale="en-US")
    try:
        tab.context.grant_permissions(["microphone"])
        page = tab.open()
        mic = page.get_by_role("button", name="Speak")
        mic.click()
        page.wait_for_selector("#mic[aria-pressed='true']")
        page.wait_for_timeout(int(spoken[1] * 1000))
        mic.click()
        page.locator("#prompt:valid").wait_for(timeout=WAIT_MS)  # filled (it is required)
        heard = page.input_value("#prompt").lower()
        assert "dune" in heard and "ticket" in heard, heard
        page.keyboard.press("Enter")
        card = page.locator(".card[data-state='awaiting-confirmation']")
        card.wait_for(timeout=60_000)
        assert "Dune" in card.inner_text() and "8:00 PM" in card.inner_text()  # en-US formatting
        assert tab.errors == []
    finally:
        tab.context.close()
