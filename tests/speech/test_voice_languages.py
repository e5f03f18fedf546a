"""The voice round trip in Chinese and German, like the English one in test_voice.py, over the public
``POST /v1/assistant/voice``: a spoken command → the spoken confirmation question (heard back by Whisper) →
a spoken yes → exactly one order in the partner's own database."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import httpx
import pytest

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Transcript
from tandem.speech.registry import SpeechRegistry
from tests.agent.conftest import partner_rows, write_profile
from tests.conftest import LiveServer
from tests.speech.conftest import cer, wer

KEY = "test-voice-key"  # a spoken yes confirms: only a caller holding a credential may (tandem.api.auth)
CASES = [
    pytest.param("CN", "zh", "帮我点一份披萨送到办公室", "披萨", "是的，确认。", "kuaisong.food", id="zh"),
    # "Bestelle", not "Bestell": in a full CI process Whisper twice heard "Bestell mir" as "Bestellt mir", and the
    # understanding then loses the dish (an open issue-14 gap, as "Eine Pizza ins Büro, bitte"); alone it hears
    # it right.
    pytest.param("DE", "de", "Bestelle mir eine Pizza ins Büro.", "pizza", "Ja.", "gabelpost.food", id="de"),
]


def write_local_profile(home: Path, region: str) -> None:
    """The test profile, with the office address written as people there write it (a Chinese question with a
    German street name in it is read by espeak-ng, since the Mandarin voice cannot read Latin words)."""
    write_profile(home, region)
    if region == "CN":
        profile = (home / "profile.toml").read_text(encoding="utf-8")
        (home / "profile.toml").write_text(profile.replace("Friedrichstraße 100", "建国路88号"), encoding="utf-8")


def spoken(speech: SpeechRegistry, text: str, language: str) -> bytes:
    """``text`` read by the voice Tandem picks for ``language``, as a wav upload."""
    return encode_audio(speech.synthesizer(speech.choose(language, text)).synthesize(text), "wav")[0]


def heard_back(speech: SpeechRegistry, audio_b64: str, language: str) -> Transcript:
    audio = decode_audio(base64.b64decode(audio_b64))
    *_, transcript = speech.transcriber("device:whisper-base").transcribe(audio, language=language)
    assert isinstance(transcript, Transcript)
    return transcript


@pytest.mark.parametrize(("region", "language", "command", "item", "yes", "food"), CASES)
def test_spoken_order_question_and_yes(home: Path, speech: SpeechRegistry, region: str, language: str,
                                       command: str, item: str, yes: str, food: str) -> None:
    write_local_profile(home, region)
    app = create_app(ModelRegistry(load_settings(region=region, api_key=KEY)))
    app.state.speech = speech
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=300,
                                                     headers={"Authorization": f"Bearer {KEY}"}) as http:
            first = http.post("/v1/assistant/voice", data={"audio_format": "mp3"},
                              files={"file": ("order.wav", spoken(speech, command, language), "audio/wav")})
            assert first.status_code == 200, first.text
            turn = first.json()
            assert turn["language"] == language and item in turn["transcript"].lower(), turn["transcript"]
            (task,) = turn["tasks"]
            assert task["state"] == "awaiting-confirmation", task
            question = turn["speech"]
            assert question["voice"] == speech.choose(language, question["text"]).backend + ":" + \
                speech.choose(language, question["text"]).voice
            back = heard_back(speech, question["audio"], language)
            error = cer(question["text"], back.text) if language == "zh" else wer(question["text"], back.text)
            assert error <= 0.5, (question["text"], back.text)
            assert partner_rows(home, food, "SELECT * FROM orders") == [], "nothing is bought before the yes"
            done = http.post("/v1/assistant/voice", data={"conversation_id": turn["conversation_id"]},
                             files={"file": ("yes.wav", spoken(speech, yes, language), "audio/wav")})
            assert done.status_code == 200, done.text
            assert [t["state"] for t in done.json()["tasks"]] == ["done"], done.json()
    finally:
        app.state.assistant.close()
    (order,) = partner_rows(home, food, "SELECT * FROM orders")
    assert item in order["items"].lower()


def test_a_spoken_ticket_command_is_heard_as_the_partners_say_it(home: Path, speech: SpeechRegistry) -> None:
    """A new request is primed with how requests to the partners sound (``listening``): the German ticket command
    is read with its title and verb, where the partners' descriptions made "Dune" into "Bune" and the names alone
    left "Buche" as "Buchel"."""
    import anyio

    from tandem.agent.understand import TemplateParser
    from tandem.app.assistant import open_assistant
    from tandem.app.voice import Listening, hear, listening

    write_local_profile(home, "DE")

    async def primed() -> Listening:
        async with open_assistant(load_settings(region="DE")) as assistant:
            return await listening(assistant)

    heard_as = anyio.run(primed)
    assert "Dune" in heard_as.context["de"] and "f-dune" not in heard_as.context["de"]
    command = "Buche zwei Karten für Dune heute Abend."
    heard = hear(speech, spoken(speech, command, "de"), listening=heard_as)
    (intent,) = TemplateParser().parse(heard.text, dt.datetime(2026, 11, 29, 12)).intents
    assert (intent.name, intent.slots["film"], intent.slots["count"]) == ("buy_movie_tickets", "Dune", 2), heard.text
