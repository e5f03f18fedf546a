"""The real speech models: piper speaks, Whisper listens, espeak-ng covers other languages."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tandem.errors import InvalidRequest, NotFound
from tandem.speech.audio import decode_audio, resample
from tandem.speech.base import Audio, Segment, Transcript
from tandem.speech.registry import SpeechRegistry, resolve_stt_model
from tandem.speech.voices import choose_voice
from tests.speech.conftest import DUNE, wer


def transcribe(speech: SpeechRegistry, data: bytes, model: str, language: str | None) -> list[Segment | Transcript]:
    return list(speech.transcriber(model).transcribe(decode_audio(data), language=language))


def test_piper_sentence_transcribes_exactly_with_tiny_en(speech: SpeechRegistry, dune_mp3: bytes) -> None:
    *segments, transcript = transcribe(speech, dune_mp3, "device:whisper-tiny.en", "en")
    assert isinstance(transcript, Transcript) and transcript.language == "en"
    assert wer(DUNE, transcript.text) <= 0.10, transcript.text
    assert segments and all(isinstance(s, Segment) for s in segments), "segments stream before the transcript"
    assert 1.0 < transcript.duration < 4.0 and segments[-1].end <= transcript.duration + 0.5


def test_multilingual_base_detects_english(speech: SpeechRegistry, dune_mp3: bytes) -> None:
    transcript = transcribe(speech, dune_mp3, "device:whisper-base", None)[-1]
    assert isinstance(transcript, Transcript)
    assert transcript.language == "en" and transcript.language_probability > 0.5
    assert wer(DUNE, transcript.text) <= 0.10, transcript.text


def test_silence_and_noise_transcribe_to_nothing(speech: SpeechRegistry) -> None:
    rng = np.random.default_rng(7)
    for samples in (np.zeros(16000 * 3, dtype=np.float32), (rng.standard_normal(16000 * 3) * 0.01).astype(np.float32)):
        transcript = list(speech.transcriber("device:whisper-base").transcribe(Audio(samples, 16000)))[-1]
        assert isinstance(transcript, Transcript) and transcript.text == "" and transcript.segments == ()


def test_tiny_en_refuses_other_languages(speech: SpeechRegistry) -> None:
    audio = resample(speech.synthesizer(choose_voice("de", "", speech.espeak_codes())).synthesize("Hallo"), 16000)
    with pytest.raises(InvalidRequest, match="only understands English") as info:
        speech.transcriber("device:whisper-tiny.en").transcribe(audio, language="de")
    assert info.value.param == "language"
    with pytest.raises(InvalidRequest, match="unknown language"):
        speech.transcriber("device:whisper-base").transcribe(audio, language="klingon")


def test_openai_model_names_pick_a_device_model() -> None:
    assert resolve_stt_model("whisper-1", "en") == "device:whisper-base"
    assert resolve_stt_model("device:whisper-tiny.en", "en") == "device:whisper-tiny.en"
    assert resolve_stt_model("gpt-4o-transcribe", "de") == "device:whisper-base"
    with pytest.raises(NotFound):
        resolve_stt_model("whisper-large-v3", None)


@pytest.mark.parametrize(("voice", "text", "backend", "name"), [
    ("alloy", DUNE, "piper", "joe"),
    ("alloy", "今晚订两张沙丘的电影票。", "fastspeech", "baker"),
    ("nova", "Zwei Karten für Dune, bitte.", "pico", "de-DE"),
    ("de", "Zwei Karten für Dune, bitte.", "pico", "de-DE"),
    ("espeak-de", "Zwei Karten für Dune, bitte.", "espeak", "de"),
    ("zh", "你好", "fastspeech", "baker"),
    ("zh", "两张 Dune 的票", "espeak", "cmn-latn-pinyin"),  # the Mandarin voice cannot read Latin words
    ("espeak-zh", "你好", "espeak", "cmn-latn-pinyin"),
    ("espeak-en", "hello", "espeak", "en"),
])
def test_voices_per_language(speech: SpeechRegistry, voice: str, text: str, backend: str, name: str) -> None:
    choice = choose_voice(voice, text, speech.espeak_codes())
    assert (choice.backend, choice.voice) == (backend, name)
    audio = speech.synthesizer(choice).synthesize(text)
    assert audio.seconds > 0.3 and float(abs(audio.samples).max()) > 0.05, "it made sound"


def _speaking_seconds(audio: Audio) -> float:
    """From the first to the last sound, without the lead-in and lead-out silence."""
    loud = np.flatnonzero(np.abs(audio.samples) > 0.01 * np.abs(audio.samples).max())
    return float(loud[-1] - loud[0]) / audio.sample_rate


def test_speed_changes_duration(speech: SpeechRegistry) -> None:
    for voice in ("joe", "de"):
        synth = speech.synthesizer(choose_voice(voice, DUNE, speech.espeak_codes()))
        normal, fast = (_speaking_seconds(synth.synthesize(DUNE, speed=s)) for s in (1.0, 2.0))
        assert fast < 0.75 * normal, voice


def test_unknown_voice_is_refused(speech: SpeechRegistry) -> None:
    with pytest.raises(InvalidRequest, match="unknown voice") as info:
        choose_voice("darth-vader", "hi", speech.espeak_codes())
    assert info.value.param == "voice"


def test_models_load_once_and_stay_warm(speech: SpeechRegistry) -> None:
    assert speech.transcriber("device:whisper-tiny.en") is speech.transcriber("device:whisper-tiny.en")
    assert "device:whisper-tiny.en" in speech.loaded()


def test_piper_is_deterministic_unless_asked_to_vary(speech: SpeechRegistry) -> None:
    from tandem.speech.piper import PiperSynthesizer
    from tandem.speech.weights import piper_voice_files

    steady = speech.synthesizer(choose_voice("joe", DUNE, set()))
    assert (steady.synthesize(DUNE).samples == steady.synthesize(DUNE).samples).all()
    varied = PiperSynthesizer(*piper_voice_files(lambda *a: None), variation=1.0)
    one, two = varied.synthesize(DUNE).samples, varied.synthesize(DUNE).samples
    assert len(one) != len(two) or not (one == two).all()


def test_chinese_transcripts_are_written_in_simplified_characters() -> None:
    from tandem.text import simplified as _simplified

    assert _simplified("幫我訂兩張今晚八點的沙丘電影票") == "帮我订两张今晚八点的沙丘电影票"
    assert _simplified("Dune 沙丘 20:00") == "Dune 沙丘 20:00"


LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")  # Debian pocketsphinx-testdata (scripts/system-deps.sh)


def test_a_person_reading_is_transcribed(speech: SpeechRegistry) -> None:
    """A human recording no Tandem component produced: a LibriVox reader of Sense and Sensibility."""
    assert (LIBRIVOX / "transcription").is_file(), "run bash scripts/system-deps.sh (pocketsphinx-testdata)"
    line = (LIBRIVOX / "transcription").read_text().splitlines()[0]
    match = re.match(r"<s>(.*)</s> \((.+)\)", line.strip())
    assert match, line
    audio = decode_audio((LIBRIVOX / f"{match[2]}.wav").read_bytes())
    transcript = list(speech.transcriber("device:whisper-tiny.en").transcribe(audio, language="en"))[-1]
    assert isinstance(transcript, Transcript)
    assert wer(match[1], transcript.text) <= 0.2, transcript.text
