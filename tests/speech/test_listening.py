"""How a new spoken request is heard: Whisper is primed with the language's day words
(``tandem/app/spoken_words.toml``) and the names the user's partners list (``tandem.app.voice.request_context``);
Chinese homophones are written as the words a request to the partners may say (``request_words``, spelled from
the manifests' examples); every shell hears the same way."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tandem.agent.capabilities import capabilities, shipped
from tandem.agent.slots import extract_when, parse_count
from tandem.app.voice import request_context, request_words, spoken_words
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Transcript
from tandem.speech.registry import SpeechRegistry
from tandem.speech.respell import respell
from tandem.speech.whisper import token_budget
from tests.speech.conftest import wer
from tests.speech.test_voice_languages import spoken
from tests.test_cli import tandem

CINEMA = {"categories": ["cinema"], "tools": [{
    "name": "buy", "intent": "buy_movie_tickets",
    "parameters": {"film": {"kind": "text", "samples": ["Nosferatu", "流浪地球"], "required": True},
                   "count": {"kind": "count"}, "seat": {"kind": "text"}},
    "examples": {"de": ["(buche|kauf) [{count}] karten für {film} [am platz {seat}]"],
                 "zh": ["订{count}张{film}的电影票", "订{film}的{seat}座位"]}}]}


def test_a_new_request_is_primed_with_the_days_and_the_names_the_partners_list() -> None:
    context = request_context(capabilities([CINEMA]), ["Dune", "沙丘"])
    days = {language: ", ".join(spoken_words()[language]["days"]) for language in ("de", "zh")}
    assert context["de"] == days["de"][:1].upper() + days["de"][1:] + ". Dune."  # names last
    assert context["zh"] == "、".join(spoken_words()["zh"]["days"]) + "。沙丘。"
    assert context.keys() == {"de", "zh"}, "no prompt in a language no capability is asked in"
    assert request_context(capabilities([CINEMA]), [], ["de"]).keys() == {"de"}


@pytest.mark.parametrize("language", sorted(spoken_words()))
def test_the_words_a_request_is_primed_with_are_words_the_agent_reads(language: str) -> None:
    words = spoken_words()[language]
    assert [parse_count(w) for w in words["counts"]] == list(range(1, len(words["counts"]) + 1))
    for day in words["days"]:
        when, _ = extract_when(day, dt.datetime(2026, 11, 29, 12), language)
        assert when is not None, day


def test_the_shipped_partners_prime_each_language_with_no_sentence_of_another() -> None:
    """The prompt held each capability's example spelled from its grammar's first options: "Buch zwei karte für
    ...", "Kauf eine einen Wasserkocher", "Wie komme ich nach the old harbour" (review R11), and on the held-apart
    requests' tune half it heard no better than the days and names alone. Those are the whole prompt now."""
    context = request_context(shipped(), ["Dune", "沙丘"])
    assert context["de"].startswith("Heute, heute Abend") and context["de"].endswith("am Samstag. Dune.")
    assert context["en"].startswith("Today, tonight") and context["zh"].endswith("星期六。沙丘。")
    assert not any(word in context["de"].lower() for word in ("karte", "wasserkocher", "harbour")), context["de"]
    assert "电影票" not in context["zh"] and "沙丘" not in context["de"] and "Dune" not in context["zh"]


def test_chinese_homophones_of_the_primed_words_are_written_as_those_words() -> None:
    primed = "订两张流浪地球电影票。今晚、明天。沙丘、七盏灯。"
    assert respell("帮我定两张金碗的砂秋电影票。", primed) == "帮我订两张今晚的沙丘电影票。"  # ding4 liang3 zhang1 ...
    assert respell("期盏灯 Dune", primed) == "七盏灯 Dune"
    assert respell("定", primed) == "定", "one syllable has too many homophones"
    assert respell("电营票", primed) == "电营票", "another tone is another word (ying2, not ying3)"
    assert respell("金碗", primed + "金碗。") == "金碗", "two primed words sound alike: no way to tell"
    assert respell("Buche zwei Karten", "Buche zwei Karten für Dune.") == "Buche zwei Karten"


def test_a_request_is_respelled_with_any_count_the_speaker_says() -> None:
    """The prompt has no sentences; what is respelled to has each capability's with every count ("订两张")."""
    intents = capabilities([CINEMA])
    assert "订两张" not in request_context(intents, ["沙丘"])["zh"]
    words = request_words(intents, ["沙丘"])["zh"]
    assert respell("帮我定两张金碗的砂秋电影票。", words) == "帮我订两张今晚的沙丘电影票。"


def test_clear_speech_is_heard_the_same_when_primed(speech: SpeechRegistry) -> None:
    """The prompt must not disturb speech Whisper already hears (piper's English)."""
    text = "Two tickets for Dune tonight."
    audio = decode_audio(encode_audio(speech.synthesizer(speech.choose("joe", text)).synthesize(text), "mp3")[0])
    context = request_context(shipped(), ["Dune", "沙丘"])
    heard = list(speech.transcriber("device:whisper-base").transcribe(audio, context=context,
                                                                      languages=("en", "de", "zh")))[-1]
    assert isinstance(heard, Transcript) and heard.language == "en"
    assert re.sub(r"[^\w ]", "", heard.text.lower()) in {"two tickets for dune tonight", "2 tickets for dune tonight"}


def test_a_turn_encodes_its_audio_once_for_the_language_and_the_words(speech: SpeechRegistry,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Whisper's encoder (a 30 s window whatever the clip's length) is most of a short turn's time. Detecting the
    language and decoding the words share one encoding of the window (they took one each: a turn cost 1.6x the
    recogniser alone), and the words are what faster-whisper writes when told the language and prompt."""
    from faster_whisper.transcribe import WhisperModel

    text = "Buche zwei Karten für Dune heute Abend."
    audio = decode_audio(spoken(speech, text, "de"))
    whisper = speech.transcriber("device:whisper-base")
    model: WhisperModel = whisper._model  # type: ignore[attr-defined]
    encoded = []

    def encode(features: Any) -> Any:
        encoded.append(features.shape)
        return WhisperModel.encode(model, features)

    monkeypatch.setattr(model, "encode", encode)
    context = request_context(shipped(), ["Dune", "沙丘"])
    *_, heard = whisper.transcribe(audio, context=context, languages=("en", "de", "zh"))
    assert isinstance(heard, Transcript) and heard.language == "de" and heard.language_probability > 0.5
    assert len(encoded) == 1, encoded
    monkeypatch.undo()
    pieces, _ = model.transcribe(audio.samples, language="de", initial_prompt=context["de"], beam_size=5,
                                 temperature=[0.0], condition_on_previous_text=False, vad_filter=True,
                                 max_new_tokens=token_budget(audio.seconds))
    assert heard.text == "".join(p.text for p in pieces).strip() and wer(text, heard.text) == 0, heard.text


@pytest.mark.usefixtures("judged_home")  # what it tests is not a fresh home training its judge
def test_ask_with_audio_hears_a_request_as_the_voice_turn_does(home: Path, speech: SpeechRegistry,
                                                              tmp_path: Path) -> None:
    """``tandem ask --audio`` primed Whisper with the partners' descriptions while the voice turn used their
    names: it heard Pico's German ticket command with "Bune" for "Dune". Both now use ``listening``."""
    recording = tmp_path / "karten.wav"
    recording.write_bytes(spoken(speech, "Buch mir zwei Karten für Dune heute Abend.", "de"))
    out = tandem("ask", "--audio", str(recording), "--json", home=home)
    assert out.returncode == 0, out.stderr
    heard = next(line for line in out.stderr.splitlines() if line.startswith("heard: "))
    task = json.loads(out.stdout)["tasks"][0]
    assert task["intent"] == "buy_movie_tickets" and task["slots"]["count"] == 2, heard
    assert task["slots"]["film"] == "Dune", heard
