"""What speech backends exchange: decoded audio, transcripts, and the two one-method contracts.

A ``Transcriber`` turns audio into text; a ``Synthesizer`` turns text into audio. Backends
(faster-whisper, piper, espeak-ng) implement one of them and know nothing of HTTP or files.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

__all__ = ["Audio", "Segment", "Synthesizer", "Transcriber", "Transcript", "Word"]


@dataclass(frozen=True)
class Audio:
    """Mono PCM audio held in memory."""

    samples: np.ndarray  # float32 in [-1, 1], one channel
    sample_rate: int  # samples per second

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0


@dataclass(frozen=True)
class Word:
    """One word with its timing, when word timestamps were asked for."""

    word: str  # as the model wrote it, with its leading space
    start: float  # seconds from the start of the audio
    end: float
    probability: float  # the model's confidence, 0..1


@dataclass(frozen=True)
class Segment:
    """A stretch of speech the model transcribed in one piece (roughly a sentence)."""

    id: int  # 0-based position in the transcript
    start: float  # seconds from the start of the audio
    end: float
    text: str  # with the leading space Whisper writes
    avg_logprob: float = 0.0  # mean token log-probability: low values flag guesses
    no_speech_prob: float = 0.0  # how sure the model is that this stretch is silence
    compression_ratio: float = 0.0  # high values flag repetition loops
    temperature: float = 0.0  # sampling temperature the accepted decode used
    tokens: tuple[int, ...] = ()  # the model's token ids
    words: tuple[Word, ...] = ()  # only when word timestamps were requested


@dataclass(frozen=True)
class Transcript:
    """The whole result of one transcription."""

    text: str  # all segments joined and stripped
    language: str  # ISO 639-1 code the model used or detected
    duration: float  # seconds of audio that were transcribed
    segments: tuple[Segment, ...] = field(default=())
    language_probability: float = 1.0  # 1.0 when the caller named the language


class Transcriber(Protocol):
    def transcribe(self, audio: Audio, *, language: str | None = None, prompt: str | None = None,
                   temperature: float = 0.0, words: bool = False, task: str = "transcribe",
                   context: Mapping[str, str] | None = None, languages: Collection[str] = (),
                   expected: str | None = None) -> Iterator[Segment | Transcript]:
        """Yield segments as they are decoded, then the finished ``Transcript`` last. ``task`` "translate"
        asks for English text whatever the spoken language. ``context``: per language, text from the domain the
        speaker is in, a hint for when the request gives no ``prompt``. ``languages``: when none is given, the
        ones it may be (empty: any); ``expected``: the one to take when detection is unsure.

        Yielding lets callers stream partial text and report progress on long audio.
        ``language`` None means detect it.
        """
        ...


class Synthesizer(Protocol):
    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        """Speak ``text`` at ``speed`` (1.0 = the voice's natural pace)."""
        ...
