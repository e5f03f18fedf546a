"""German and Chinese speech: the voice follows the text's language, voices per language come from the
settings, the Mandarin neural voice, lead-in silence, and decoding that ends in bounded time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import numpy as np
import openai
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.errors import ConfigError
from tandem.models.registry import ModelRegistry
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Audio, Transcript
from tandem.speech.fastspeech import chinese_number, pinyin_phones
from tandem.speech.registry import SpeechRegistry
from tandem.speech.silence import pad
from tandem.speech.voices import text_language
from tandem.speech.whisper import token_budget
from tests.conftest import LiveServer
from tests.speech.conftest import cer, wer

TWO = "Two tickets for Dune tonight."
PIZZA_ZH = "帮我点一份披萨送到办公室"


@pytest.fixture
def server(tiny_registry: ModelRegistry, speech: SpeechRegistry) -> Iterator[LiveServer]:
    app = create_app(tiny_registry)
    app.state.speech = speech
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


@pytest.mark.parametrize(("text", "language"), [
    ("Buche zwei Karten für Dune heute Abend.", "de"), ("Bestell mir eine Pizza ins Büro", "de"),
    ("Grüße aus Köln", "de"), (TWO, "en"), ("Book a table for two at seven", "en"), ("Dune", "en"),
    (PIZZA_ZH, "zh"), ("订两张 Dune 的票", "zh")])
def test_text_language(text: str, language: str) -> None:
    assert text_language(text) == language


def test_an_openai_voice_reads_german_text_in_german_and_chinese_in_mandarin(server: LiveServer) -> None:
    for text, voice in (("Buche zwei Karten für Dune heute Abend.", "pico:de-DE"), (PIZZA_ZH, "fastspeech:baker"),
                        (TWO, "piper:joe")):
        resp = httpx.post(f"{server.url}/v1/audio/speech", timeout=120,
                          json={"model": "tts-1", "voice": "alloy", "input": text, "response_format": "wav"})
        assert resp.status_code == 200 and resp.headers["x-tandem-voice"] == voice, (text, resp.text)


def test_voices_per_language_come_from_the_settings(speech: SpeechRegistry) -> None:
    configured = SpeechRegistry(replace(speech.settings, voices={"zh": "espeak:zh", "en": "espeak-en-gb"}))
    assert configured.choose("alloy", PIZZA_ZH) == speech.choose("espeak-zh", PIZZA_ZH)
    assert (configured.choose("en", TWO).backend, configured.choose("en", TWO).voice) == ("espeak", "en-gb")
    assert configured.choose("joe", TWO).voice == "joe", "a voice named in the request wins over the setting"
    assert speech.choose("alloy", PIZZA_ZH).voice == "baker"
    broken = SpeechRegistry(replace(speech.settings, voices={"de": "piper:thorsten"}))
    with pytest.raises(ConfigError, match=r"voices\.de"):
        broken.choose("alloy", "Zwei Karten, bitte.")


def test_voices_setting_is_read_from_config_toml_and_the_environment(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.toml").write_text('asr_model = "device:whisper-tiny.en"\n[voices]\nde = "espeak:de"\n')
    settings = load_settings(home=tmp_path)
    assert settings.voices == {"de": "espeak:de"} and settings.asr_model == "device:whisper-tiny.en"
    monkeypatch.setenv("TANDEM_VOICES", "zh=baker,de=espeak-de")
    assert load_settings(home=tmp_path).voices == {"zh": "baker", "de": "espeak-de"}


def test_asr_model_setting_picks_the_recogniser_for_openai_names(speech: SpeechRegistry) -> None:
    english_device = SpeechRegistry(replace(speech.settings, asr_model="device:whisper-tiny.en"))
    assert english_device.stt_model("whisper-1", "en") == "device:whisper-tiny.en"
    assert english_device.stt_model("whisper-1", "de") == "device:whisper-base", "other languages need base"
    assert speech.stt_model("gpt-4o-transcribe", None) == "device:whisper-base"
    assert speech.stt_model("device:whisper-tiny.en", "en") == "device:whisper-tiny.en"


def test_synthesized_speech_starts_and_ends_with_silence(speech: SpeechRegistry) -> None:
    for voice, text in (("joe", TWO), ("de", "Zwei Karten."), ("zh", PIZZA_ZH)):
        audio = speech.synthesizer(speech.choose(voice, text)).synthesize(text)
        loud = np.flatnonzero(np.abs(audio.samples) > 0.01 * np.abs(audio.samples).max())
        assert loud[0] / audio.sample_rate >= 0.35 and (len(audio.samples) - loud[-1]) / audio.sample_rate >= 0.35
    tone = Audio(np.sin(np.arange(1600, dtype=np.float32)), 16000)
    assert pad(pad(tone)).samples.shape == pad(tone).samples.shape, "padding twice adds nothing"


def test_the_first_word_of_the_default_mp3_is_heard(client: openai.OpenAI) -> None:
    """Without lead-in silence Whisper heard "tickets for Dune tonight." and the count was lost."""
    spoken = client.audio.speech.create(model="tts-1", voice="alloy", input=TWO)
    heard = client.audio.transcriptions.create(model="whisper-1", file=("two.mp3", spoken.content))
    assert re.match(r"^(two|2)\b", heard.text.strip().lower()), heard.text


def test_mandarin_voice_is_heard_by_whisper(speech: SpeechRegistry) -> None:
    voice = speech.synthesizer(speech.choose("zh", PIZZA_ZH))
    audio = voice.synthesize(PIZZA_ZH)
    assert (voice.synthesize(PIZZA_ZH).samples == audio.samples).all(), "the same text gives the same audio"
    heard = list(speech.transcriber("device:whisper-base").transcribe(decode_audio(encode_audio(audio, "mp3")[0]),
                                                                      language="zh"))[-1]
    assert isinstance(heard, Transcript) and cer(PIZZA_ZH, heard.text) <= 0.15, heard.text
    assert voice.synthesize(PIZZA_ZH, speed=1.5).seconds < 0.8 * audio.seconds


def test_mandarin_front_end() -> None:
    assert [chinese_number(n) for n in ("2", "10", "25", "105", "2026", "20000", "12.5")] == [
        "二", "十", "二十五", "一百零五", "二千零二十六", "两万", "十二点五"]
    pinyin = {"ni": ["n", "i"], "hao": ["h", "ao"], "er": ["^", "er"], "shi": ["sh", "iii"]}
    assert pinyin_phones("你好", pinyin) == ["sil", "n", "i3", "#0", "h", "ao3", "sil"]
    assert pinyin_phones("OK 你好!", pinyin) == ["sil", "n", "i3", "#0", "h", "ao3", "sil"], "Latin is skipped"
    assert pinyin_phones("12", pinyin) == ["sil", "sh", "iii2", "#0", "^", "er4", "sil"]


def test_the_german_voice_is_heard_as_written(speech: SpeechRegistry) -> None:
    """German is read by SVOX Pico where installed (espeak-ng otherwise); Whisper base, detecting the language
    from an mp3 upload, hears the food command word for word (espeak-ng German: 50-75 % WER)."""
    text = "Bestell mir eine Pizza ins Büro."
    choice = speech.choose("de", text)
    assert (choice.backend, choice.voice) == ("pico", "de-DE") and speech.choose("pico-de", text) == choice
    audio = decode_audio(encode_audio(speech.synthesizer(choice).synthesize(text), "mp3")[0])
    *_, heard = speech.transcriber("device:whisper-base").transcribe(audio)
    assert isinstance(heard, Transcript) and heard.language == "de" and wer(text, heard.text) == 0, heard.text


def test_a_short_answer_is_heard_in_the_conversations_language(speech: SpeechRegistry) -> None:
    """A 1 s "Ja." is no language Whisper is sure of (Japanese 0.32, English 0.16): a voice turn that continues a
    German conversation hears it in German; a clear "Yes." stays English even so."""
    from tandem.app.voice import LANGUAGES

    whisper = speech.transcriber("device:whisper-base")
    for text, language, expected in (("Ja.", "de", "de"), ("Yes.", "en", "de")):
        audio = decode_audio(encode_audio(speech.synthesizer(speech.choose(language, text)).synthesize(text), "mp3")[0])
        *_, heard = whisper.transcribe(audio, languages=LANGUAGES, expected=expected)
        assert isinstance(heard, Transcript) and heard.language == language, (text, heard)
        assert heard.text.strip(" .").lower() == text.strip(".").lower(), (text, heard.text)


def test_decoding_a_garbled_clip_is_bounded(speech: SpeechRegistry) -> None:
    """Fast robotic speech that Whisper cannot read: one decode at temperature 0 (no fallback through five
    more temperatures), and no more tokens than the clip's budget."""
    text = "Erinnere mich morgen früh daran, meine Schwester wegen der Geburtstagsfeier anzurufen."
    audio = decode_audio(encode_audio(speech.synthesizer(speech.choose("espeak-de", text)).synthesize(text, speed=3.0),
                                      "wav")[0])
    *segments, transcript = speech.transcriber("device:whisper-base").transcribe(audio, language="de")
    assert isinstance(transcript, Transcript)
    assert all(s.temperature == 0.0 for s in transcript.segments)
    assert sum(len(s.tokens) for s in transcript.segments) <= token_budget(audio.seconds) * len(segments)
    assert token_budget(2.0) < token_budget(20.0) <= 224


def test_speech_settings_are_checked_before_the_first_request(home: Path) -> None:
    from tandem.errors import ModelNotFound
    from tandem.speech.registry import setting_problems

    codes = {"de", "en-us", "cmn-latn-pinyin"}
    assert setting_problems(load_settings(home=home, voices={"de": "espeak:de", "zh": "baker"}), codes) == []
    wrong = setting_problems(load_settings(home=home, asr_model="whisper-9", voices={"de": "espeak:xx"}), codes)
    assert [type(p) for p in wrong] == [ModelNotFound, ConfigError]
    assert "voices.de" in wrong[1].message
