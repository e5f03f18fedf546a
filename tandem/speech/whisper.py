"""Speech to text with faster-whisper (CTranslate2, int8 on the CPU), from a local model directory only."""

from __future__ import annotations

import dataclasses
import inspect
import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from tandem.errors import InvalidRequest
from tandem.speech.base import Audio, Segment, Transcript, Word
from tandem.text import simplified

__all__ = ["BOUNDED", "Guess", "WhisperTranscriber", "token_budget"]

_RATE = 16000  # what Whisper was trained on
# Decoding that ends in bounded time: no text from one window is fed into the next (a misheard window cannot
# make the next one repeat it), and no fallback decodes (see ``transcribe``).
BOUNDED: dict[str, Any] = {"condition_on_previous_text": False}
# Below this probability the detected language is a guess: a 1 s "Ja." is Japanese at 0.32, English at 0.16.
SURE = 0.5


def token_budget(seconds: float) -> int:
    """Most tokens one 30 s window may decode: ~8 tokens a second is fast Mandarin (the densest language
    here), so 12 a second plus 24 leaves room and still stops a repetition loop early on a short clip."""
    return min(224, 24 + round(12 * min(seconds, 30.0)))


@dataclass(frozen=True)
class Guess:
    """What is known of the language before hearing it."""

    among: frozenset[str]  # detect only these (empty: any)
    expected: str | None  # taken when detection is unsure

    def __bool__(self) -> bool:
        return bool(self.among or self.expected)


@cache
def _transcribe_defaults() -> dict[str, Any]:
    """Each of faster-whisper's decoding options (``TranscriptionOptions``) as its ``transcribe`` sets it by
    default, read once from that signature."""
    from faster_whisper.transcribe import TranscriptionOptions, WhisperModel

    defaults = {name: p.default for name, p in inspect.signature(WhisperModel.transcribe).parameters.items()
                if p.default is not inspect.Parameter.empty}
    return {f.name: defaults.get(f.name) for f in dataclasses.fields(TranscriptionOptions)}


def _segment(index: int, seg: Any, fix: Callable[[str], str]) -> Segment:
    words = tuple(Word(fix(w.word), round(w.start, 3), round(w.end, 3), round(w.probability, 4))
                  for w in seg.words or ())
    return Segment(id=index, start=round(seg.start, 3), end=round(seg.end, 3), text=fix(seg.text),
                   avg_logprob=seg.avg_logprob, no_speech_prob=seg.no_speech_prob,
                   compression_ratio=seg.compression_ratio, temperature=seg.temperature or 0.0,
                   tokens=tuple(seg.tokens), words=words)


class WhisperTranscriber:
    """One loaded Whisper model. Decoding is serialized: on two cores, parallel decodes only slow each other."""

    def __init__(self, model_dir: Path, *, multilingual: bool, threads: int = 0) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: a local path never needs the hub
        from faster_whisper import WhisperModel

        self.multilingual = multilingual
        self._model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads,
                                   local_files_only=True)
        self._lock = threading.Lock()

    def _check_language(self, language: str | None) -> str | None:
        if language is None:
            return None if self.multilingual else "en"
        code = language.lower().split("-")[0]
        if not self.multilingual and code != "en":
            raise InvalidRequest(f"this Whisper model only understands English, not {language!r}", param="language",
                                 hint="use the multilingual model device:whisper-base")
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        if code not in _LANGUAGE_CODES:
            raise InvalidRequest(f"unknown language {language!r}", param="language",
                                 hint="use an ISO 639-1 code such as en, de, zh")
        return code

    def transcribe(self, audio: Audio, *, language: str | None = None, prompt: str | None = None,
                   temperature: float = 0.0, words: bool = False, task: str = "transcribe",
                   context: Mapping[str, str] | None = None, languages: Collection[str] = (),
                   expected: str | None = None) -> Iterator[Segment | Transcript]:
        """Yield each segment as Whisper finishes it, then the whole ``Transcript``. ``task`` "translate"
        writes English whatever the spoken language (multilingual models only). ``context`` maps a language to
        text from the domain the speaker is in (e.g. what the user's partners offer): without a ``prompt`` it is
        Whisper's prompt, in the language given or else detected first, so it expects the domain's words.
        Without ``language``, it is detected among ``languages`` (all when empty); when detection is unsure
        (below ``SURE``), ``expected`` (e.g. the language of the conversation a short answer continues) is taken.

        Arguments are checked here, before the first ``next``, so callers get errors before they stream.
        """
        if audio.sample_rate != _RATE:
            raise ValueError(f"Whisper needs {_RATE} Hz audio, got {audio.sample_rate}")
        if task == "translate" and not self.multilingual:
            raise InvalidRequest("this Whisper model cannot translate", param="model",
                                 hint="use the multilingual model device:whisper-base")
        code = self._check_language(language)
        guess = Guess(frozenset(languages), self._check_language(expected) if expected else None)
        return self._run(audio, code, prompt, temperature, words, task, context or {}, guess)

    def _detect(self, encoded: Any, guess: Guess) -> tuple[str, float]:
        """The language spoken and its probability, as ``transcribe`` says, from the first window's encoding."""
        ranked = [(token[2:-2], probability) for token, probability in self._model.model.detect_language(encoded)[0]]
        code, probability = ranked[0]
        if guess.among:
            code, probability = max(((c, p) for c, p in ranked if c in guess.among), key=lambda cp: cp[1],
                                    default=(code, probability))
        if guess.expected and probability < SURE:
            return guess.expected, dict(ranked).get(guess.expected, 0.0)
        return code, probability

    def _options(self, tokenizer: Any, **given: Any) -> Any:
        """faster-whisper's decoding options: its ``transcribe`` defaults, with ``given`` instead."""
        from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

        values = {name: given.get(name, default) for name, default in _transcribe_defaults().items()}
        values["suppress_tokens"] = get_suppressed_tokens(tokenizer, values["suppress_tokens"])
        return TranscriptionOptions(**values)

    def _run(self, audio: Audio, code: str | None, prompt: str | None, temperature: float, words: bool, task: str,
             context: Mapping[str, str], guess: Guess) -> Iterator[Segment | Transcript]:
        """faster-whisper's ``transcribe``, but each step once: silence trimmed (Silero VAD, bundled with
        faster-whisper: without it Whisper writes "..." or invented sentences for silence and noise), the mel
        features computed and the first 30 s window encoded once, for detecting the language and for decoding
        (faster-whisper's own detection encodes the window again; the encoder is most of a short clip's time)."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import restore_speech_timestamps
        from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

        model = self._model
        with self._lock:
            spans = get_speech_timestamps(audio.samples, VadOptions())
            segments: list[Segment] = []
            language, probability = code or guess.expected or "en", 0.0 if code is None else 1.0
            if spans:
                speech = np.concatenate(collect_chunks(audio.samples, spans)[0])
                features = model.feature_extractor(speech)
                # the window generate_segments decodes first: its last frame is padding, left out as it does
                window = min(model.feature_extractor.nb_max_frames, features.shape[-1] - 1)
                encoded = model.encode(pad_or_trim(features[:, :window]))
                if code is None and self.multilingual:
                    language, probability = self._detect(encoded, guess)
                # The prompt must be in the language spoken: the context's for the language named or detected.
                if not prompt and task == "transcribe":
                    prompt = context.get(language)
                tokenizer = Tokenizer(model.hf_tokenizer, self.multilingual, task=task, language=language)
                options = self._options(
                    tokenizer, initial_prompt=prompt or None, word_timestamps=words, beam_size=5,
                    max_new_tokens=token_budget(audio.seconds), **BOUNDED,
                    # One temperature, no fallback: a garbled short clip otherwise goes through every fallback
                    # temperature (6 decodes, 17-42 s for a 3 s clip on 2 cores) and rarely reads better for it.
                    temperatures=[temperature])
                fix = simplified if language == "zh" else str  # Whisper often writes traditional
                pieces = model.generate_segments(features, tokenizer, options, False, encoded)
                for piece in restore_speech_timestamps(pieces, spans, _RATE):  # lazy: one 30 s window a step
                    segments.append(_segment(len(segments), piece, fix))
                    yield segments[-1]
        text = "".join(s.text for s in segments).strip()
        yield Transcript(text=text, language=language, duration=round(audio.seconds, 3), segments=tuple(segments),
                         language_probability=round(probability, 4))
