"""Text to speech with piper (VITS voices on onnxruntime): natural, several times faster than real time."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from tandem.speech.base import Audio

__all__ = ["PiperSynthesizer"]


class PiperSynthesizer:
    """One loaded piper voice. Piper phonemizes with its own copy of espeak-ng data, so no system package."""

    def __init__(self, model_path: Path, config_path: Path, *, variation: float = 0.0) -> None:
        """``variation`` scales piper's sampling noise (1.0 = the voice's trained default). Tandem speaks with
        none by default: the same text always gives the same audio, and sampled renditions now and then slur a
        word enough that Whisper mishears it (1-3 of 12 renditions of a short command in our runs; see
        bench/speech.py), which a listener would too."""
        from piper import PiperVoice

        self._voice = PiperVoice.load(model_path, config_path)
        self._noise = (self._voice.config.noise_scale * variation, self._voice.config.noise_w_scale * variation)
        self.sample_rate = int(self._voice.config.sample_rate)
        self._lock = threading.Lock()  # the phonemizer keeps global state

    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=self._voice.config.length_scale / speed, noise_scale=self._noise[0],
                                 noise_w_scale=self._noise[1])
        with self._lock:
            chunks = [c.audio_float_array for c in self._voice.synthesize(text, config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return Audio(samples.astype(np.float32, copy=False), self.sample_rate)
