"""Real speech models, loaded once per session and shared (loading Whisper and piper costs seconds each)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tandem.config import load_settings
from tandem.speech.audio import encode_audio
from tandem.speech.registry import SpeechRegistry
from tandem.speech.voices import choose_voice

DUNE = "Book two tickets for Dune tonight."
_NUMBERS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "9": "nine", "to": "two"}


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechRegistry:
    home: Path = tmp_path_factory.mktemp("speech-home")
    return SpeechRegistry(load_settings(home=home))


@pytest.fixture(scope="session")
def dune_mp3(speech: SpeechRegistry) -> bytes:
    """The test sentence spoken by the piper en voice, as an mp3 upload would arrive."""
    audio = speech.synthesizer(choose_voice("joe", DUNE, set())).synthesize(DUNE)
    return encode_audio(audio, "mp3")[0]


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; digits spelled out (Whisper base writes "2", tiny.en "two")."""
    return [_NUMBERS.get(w, w) for w in re.findall(r"[\w']+", text.lower())]


def _error_rate(ref: list[str], hyp: list[str]) -> float:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance over the reference length."""
    return _error_rate(words(reference), words(hypothesis))


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate over Chinese text (punctuation and spaces ignored)."""
    return _error_rate(*(list(re.sub(r"[\W_]", "", t)) for t in (reference, hypothesis)))
