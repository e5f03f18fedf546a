"""Lead-in and lead-out silence around synthesized speech.

Voices start speaking within ~50 ms of the first sample. A recogniser given such a file often drops the first
word (Whisper heard "tickets for Dune tonight." for "Two tickets for Dune tonight."), and players clip it
when they open the audio device. People leave a breath before they talk; ``Padded`` does too, for any voice.
"""

from __future__ import annotations

import numpy as np

from tandem.speech.base import Audio, Synthesizer

__all__ = ["LEAD_SECONDS", "Padded", "pad"]

LEAD_SECONDS = 0.4  # silence before the first and after the last sound
_QUIET = 0.01  # relative to the loudest sample: below this counts as silence


def pad(audio: Audio, seconds: float = LEAD_SECONDS) -> Audio:
    """``audio`` with at least ``seconds`` of silence before its first and after its last sound (silence it
    already has counts, so padding twice changes nothing)."""
    samples = audio.samples
    if not len(samples):
        return audio
    loud = np.flatnonzero(np.abs(samples) > _QUIET * float(np.abs(samples).max() or 1.0))
    if not len(loud):
        return audio
    want = round(seconds * audio.sample_rate)
    before, after = max(0, want - int(loud[0])), max(0, want - (len(samples) - 1 - int(loud[-1])))
    if not before and not after:
        return audio
    padded = np.concatenate([np.zeros(before, np.float32), samples.astype(np.float32, copy=False),
                             np.zeros(after, np.float32)])
    return Audio(padded, audio.sample_rate)


class Padded:
    """A synthesizer whose speech starts and ends with ``seconds`` of silence."""

    def __init__(self, inner: Synthesizer, seconds: float = LEAD_SECONDS) -> None:
        self.inner = inner
        self.seconds = seconds

    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        return pad(self.inner.synthesize(text, speed=speed), self.seconds)
