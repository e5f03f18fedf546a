"""Text to speech with SVOX Pico (the Android voices, through NanoTTS): small, instant, and far clearer than
espeak-ng. Tandem uses its German voice, the only German voice whose data ships in a package (``py-nanotts``,
Apache-2.0, 5 MB with the voice files); Whisper base hears it almost exactly (docs/results/speech.md)."""

from __future__ import annotations

import threading

import numpy as np

from tandem.errors import ModelError, ModelUnavailable
from tandem.speech.base import Audio

__all__ = ["PicoSynthesizer"]

_RATE = 16_000  # NanoTTS returns 16 kHz mono 16-bit PCM
_LOCK = threading.Lock()  # the Pico engine is one C library with global state


class PicoSynthesizer:
    """One Pico voice, e.g. ``de-DE``."""

    def __init__(self, voice: str) -> None:
        try:
            from py_nanotts import NanoTTS
        except ImportError as exc:
            raise ModelUnavailable("the Pico voices are not installed", hint="pip install 'tandem[speech]'") from exc
        self.voice = voice
        self._tts = NanoTTS()

    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        try:
            with _LOCK:
                pcm = self._tts.speak(text, voice=self.voice, speed=speed)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"Pico failed for voice {self.voice!r}") from exc
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        return Audio(samples, _RATE)
