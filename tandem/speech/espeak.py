"""Text to speech with the system's espeak-ng: robotic, but every language (German, Mandarin ...) and instant.

It runs as a subprocess writing WAV to stdout, so a crash in it cannot take the server down.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from tandem.errors import ModelError, ModelUnavailable
from tandem.speech.base import Audio

__all__ = ["EspeakSynthesizer", "espeak_voices"]

_WPM = 175  # espeak-ng's default speaking rate in words per minute


def _binary() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise ModelUnavailable("espeak-ng is not installed",
                               hint="run scripts/system-deps.sh (apt-get install espeak-ng)")
    return path


def espeak_voices() -> set[str]:
    """Language codes espeak-ng can speak here (empty when it is not installed)."""
    path = shutil.which("espeak-ng")
    if path is None:
        return set()
    listing = subprocess.run([path, "--voices"], capture_output=True, text=True, timeout=30, check=False).stdout
    return {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}


class EspeakSynthesizer:
    """One espeak-ng voice, e.g. ``de`` or ``cmn`` (Mandarin)."""

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self._binary = _binary()

    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        rate = str(max(80, min(450, round(_WPM * speed))))
        try:
            done = subprocess.run([self._binary, "-v", self.voice, "-s", rate, "--stdout", "-b", "1"],
                                  input=text.encode(), capture_output=True, timeout=120, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise ModelError(f"espeak-ng failed for voice {self.voice!r}") from exc
        with wave.open(io.BytesIO(done.stdout)) as wav:
            frames = wav.readframes(wav.getnframes())
            rate_hz = wav.getframerate()
        samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
        return Audio(samples, rate_hz)
