"""Speech to text with faster-whisper (CTranslate2, int8 on the CPU), from a local model directory only."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import InvalidRequest
from tandem.speech.base import Audio, Segment, Transcript, Word

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


def _simplified(text: str) -> str:
    """Chinese in simplified characters: Whisper often writes traditional ones, which the assistant's
    (mainland) templates and partners do not read."""
    from opencc import OpenCC

    return str(OpenCC("t2s").convert(text))


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

    def _detect(self, audio: Audio, guess: Guess) -> tuple[str, float]:
        """The language spoken and its probability, as ``transcribe`` says."""
        code, probability, ranked = self._model.detect_language(audio.samples, vad_filter=True)
        if guess.among:
            code, probability = max(((c, p) for c, p in ranked if c in guess.among), key=lambda cp: cp[1],
                                    default=(code, probability))
        if guess.expected and probability < SURE:
            return guess.expected, dict(ranked).get(guess.expected, 0.0)
        return code, probability

    def _run(self, audio: Audio, code: str | None, prompt: str | None, temperature: float, words: bool, task: str,
             context: Mapping[str, str], guess: Guess) -> Iterator[Segment | Transcript]:
        with self._lock:
            detected = None
            # The prompt must be in the language spoken, so tell which one first; so too when it is one of a few.
            if code is None and self.multilingual and ((not prompt and context and task == "transcribe") or guess):
                code, probability = self._detect(audio, guess)
                detected = round(probability, 4)
            if not prompt and task == "transcribe" and code is not None:
                prompt = context.get(code)
            pieces, info = self._model.transcribe(
                audio.samples, task=task, language=code, initial_prompt=prompt or None, word_timestamps=words,
                beam_size=5, max_new_tokens=token_budget(audio.seconds), **BOUNDED,
                # One temperature, no fallback: a garbled short clip otherwise goes through every fallback
                # temperature (6 decodes, 17-42 s for a 3 s clip on 2 cores) and rarely reads better for it.
                temperature=[temperature],
                # Silero VAD (bundled with faster-whisper) skips silence and noise: without it Whisper writes
                # "..." or invented sentences for them.
                vad_filter=True)
            segments: list[Segment] = []
            fix = _simplified if info.language == "zh" else str
            for piece in pieces:  # a lazy generator: each step decodes one 30 s window
                segments.append(_segment(len(segments), piece, fix))
                yield segments[-1]
        text = "".join(s.text for s in segments).strip()
        probability = detected if detected is not None else round(info.language_probability, 4)
        yield Transcript(text=text, language=info.language, duration=round(info.duration, 3),
                         segments=tuple(segments), language_probability=probability)
