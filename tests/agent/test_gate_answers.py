""""Yes, but …" is not a yes (issue 13): the answer to a confirmation question counts only when the whole
reply affirms. "Yes, but only one ticket" buys nothing: the task is prepared again for one ticket and the
assistant asks for a fresh yes to exactly that (the first confirmation can no longer be confirmed); a reply
that says more than a new count or day (tests/security/test_yes_but_changes.py) buys nothing and the
assistant asks what is meant. In
English, German and Chinese, typed (chat completions on a real server) and spoken (the voice turn,
``api.voice.respond``, and once with real speech at ``/v1/assistant/voice``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.spoken import changed_count, read_answer, unclear
from tandem.agent.tasks import TaskState
from tandem.api.app import create_app
from tandem.api.voice import respond
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tandem.speech.audio import encode_audio
from tandem.speech.registry import SpeechRegistry
from tandem.speech.voices import choose_voice
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.in_process import in_process  # noqa: F401 (the fixture)
from tests.agent.toolsets import in_memory_partners
from tests.conftest import LiveServer


def _noon() -> dt.datetime:
    """Noon on the day the test runs (the partners' schedules start on the day they run), never the day collected."""
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))


# language, region, request, "yes, but ...", a plain yes, the cinema partner
CASES = [
    ("en", "DE", "book two tickets for Dune today at 8 pm", "Yes, but only one ticket.", "Yes.", "lichtspiel.cinema"),
    ("de", "DE", "Buch zwei Kinokarten für Dune heute um 20 Uhr", "Ja, aber nur eine Karte.", "Ja, bitte.",
     "lichtspiel.cinema"),
    ("zh", "CN", "订两张今晚八点的沙丘电影票", "好的，但只要一张。", "好的，确认。", "guangying.cinema"),
]

pytestmark = pytest.mark.usefixtures("in_process")  # the reference partners in this process


@pytest.mark.parametrize(("said", "answer"), [
    ("Yes.", "yes"), ("yes please", "yes"), ("OK, go ahead!", "yes"), ("Ja, bitte.", "yes"), ("Jawohl", "yes"),
    ("是的。", "yes"), ("好的，确认", "yes"), ("可以", "yes"),
    ("No.", "no"), ("Nein, danke.", "no"), ("不要了", "no"),
    ("Yes, but only one ticket", "unclear"), ("yes and add a cola", "unclear"), ("ok, cancel", "unclear"),
    ("Ja, aber nur eine Karte", "unclear"), ("Genau, aber um 21 Uhr", "unclear"), ("Nein, drei Karten", "unclear"),
    ("好的，但只要一张", "unclear"), ("是，但是要三张", "unclear"), ("确认，不过换成明天", "unclear"),
    ("Book two tickets for Dune", None), ("Yesterday", None), ("Japan", None), ("please", None), ("好莱坞", None)])
def test_an_answer_is_the_whole_reply(said: str, answer: str | None) -> None:
    assert read_answer(said) == answer


@pytest.mark.parametrize(("said", "count"), [
    ("Yes, but only one ticket.", 1), ("OK, just 3", 3), ("Yes, make it two tickets please", 2), ("No, only one.", 1),
    ("Ja, aber nur eine Karte.", 1), ("Ja, bitte, aber bloß drei", 3), ("Genau, lieber zwei Karten", 2),
    ("好的，但只要一张。", 1), ("是，但是只要三张票", 3), ("可以，不过只要两张", 2),
    ("Yes.", None), ("Yes, but only a few", None), ("Yes, but one more", None), ("yes, but only one at 9 pm", None),
    ("Yes, but only one ticket for tomorrow", None), ("yes and add a cola", None), ("Yes, 2", None),
    ("Ja, aber nur ein paar", None), ("Genau, aber um 21 Uhr", None), ("Nein, drei Karten", None),
    ("好的，但只要几张", None), ("确认，不过换成明天", None), ("Book two tickets for Dune", None)])
def test_a_changed_count_is_all_the_reply_says_besides_its_answer(said: str, count: int | None) -> None:
    assert changed_count(said) == count


def _cinema(home: Path, service: str) -> list[dict[str, Any]]:
    return partner_rows(home, service, "SELECT * FROM orders")


@pytest.mark.anyio
@pytest.mark.parametrize(("lang", "region", "request_text", "but", "yes", "cinema"), CASES)
async def test_spoken_yes_but_only_one_asks_again_for_one(home: Path, lang: str, region: str, request_text: str,
                                                          but: str, yes: str, cinema: str) -> None:
    write_profile(home, region)
    async with in_memory_partners(home, "EU" if region == "DE" else "CN") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home), clock=_noon)
        asked = await respond(assistant, request_text)
        (task,) = asked.tasks
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        assert task.call.summary["tickets"] == 2
        hedged = await respond(assistant, but, asked.conversation_id)
        (again,) = hedged.tasks
        assert again.state == TaskState.AWAITING_CONFIRMATION and again.call is not None
        assert again.call.summary["tickets"] == 1 and again.confirmation_id != task.confirmation_id
        assert not hedged.text.startswith(unclear(lang))  # it asks about the new call, not what is meant
        assert _cinema(home, cinema) == []  # neither two tickets nor one
        await assistant.confirm(task.confirmation_id or "")  # the first question was withdrawn
        assert _cinema(home, cinema) == []
        unsure = await respond(assistant, but.rstrip("。.") + " Popcorn, Cola, Nachos", asked.conversation_id)
        assert unsure.text.startswith(unclear(lang)) and _cinema(home, cinema) == []  # more than a change: asks
        done = await respond(assistant, yes, asked.conversation_id)  # a fresh yes to exactly one ticket
    assert [t.state for t in done.tasks] == [TaskState.DONE]
    (order,) = _cinema(home, cinema)
    assert order["id"] == done.tasks[0].result["order_id"] and len(json.loads(order["seats"])) == 1


@pytest.mark.parametrize(("lang", "region", "request_text", "but", "yes", "cinema"), CASES)
def test_typed_yes_but_only_one_asks_again_for_one(home: Path, lang: str, region: str, request_text: str, but: str,
                                                   yes: str, cinema: str) -> None:
    write_profile(home, region)
    app = create_app(ModelRegistry(load_settings(region=region)))

    def chat(http: httpx.Client, text: str, conversation: str | None = None) -> tuple[str, str]:
        answer = http.post("/v1/chat/completions", headers={"X-Tandem-Conversation": conversation or ""},
                           json={"model": "tandem:assistant", "messages": [{"role": "user", "content": text}]})
        assert answer.status_code == 200, answer.text
        return answer.headers["X-Tandem-Conversation"], answer.json()["choices"][0]["message"]["content"]

    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=120, headers=server.local) as http:
            conversation, question = chat(http, request_text)
            (first,) = re.findall(r"\bc-[0-9a-f]{32}\b", question)
            _, hedged = chat(http, but, conversation)
            (second,) = re.findall(r"\bc-[0-9a-f]{32}\b", hedged)
            assert second != first and not hedged.startswith(unclear(lang)) and _cinema(home, cinema) == []
            _, done = chat(http, yes, conversation)
            assert " done (CIN-" in done or " done (" in done, done
    finally:
        app.state.assistant.close()
    (order,) = _cinema(home, cinema)
    assert order["id"] in done and len(json.loads(order["seats"])) == 1


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechRegistry:
    return SpeechRegistry(load_settings(home=tmp_path_factory.mktemp("speech-home")))


def test_a_recorded_yes_but_at_the_voice_endpoint_buys_nothing(home: Path, speech: SpeechRegistry) -> None:
    """The whole voice path with real speech: piper says it, Whisper hears it, the answer is spoken back."""
    def said(text: str) -> bytes:
        voice = choose_voice("joe", text, speech.espeak_codes())
        return encode_audio(speech.synthesizer(voice).synthesize(text), "wav")[0]

    write_profile(home, "DE")  # the shipped schedule shows Dune daily at 20:00
    app = create_app(ModelRegistry(load_settings()))
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=300, headers=server.local) as http:
            def turn(text: str, conversation: str | None = None) -> dict[str, Any]:
                answer = http.post("/v1/assistant/voice", files={"file": ("turn.wav", said(text), "audio/wav")},
                                   data={"conversation_id": conversation} if conversation else {})
                assert answer.status_code == 200, answer.text
                return dict(answer.json())

            asked = turn("Book two tickets for Dune tomorrow.")
            assert [t["state"] for t in asked["tasks"]] == ["awaiting-confirmation"]
            hedged = turn("Yes, but only one ticket.", asked["conversation_id"])
            assert re.sub(r"[^\w ]", "", hedged["transcript"].lower()).startswith("yes but only one")  # "Yes. But …"
            assert not hedged["speech"]["text"].startswith(unclear("en")) and _cinema(home, "lichtspiel.cinema") == []
            assert [(t["state"], t["summary"]["tickets"]) for t in hedged["tasks"]] == [("awaiting-confirmation", 1)]
            done = turn("Yes.", asked["conversation_id"])
            assert [t["state"] for t in done["tasks"]] == ["done"]
    finally:
        app.state.assistant.close()
    (order,) = _cinema(home, "lichtspiel.cinema")
    assert len(json.loads(order["seats"])) == 1  # the one ticket the user was asked about last
