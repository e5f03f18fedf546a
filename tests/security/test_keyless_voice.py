"""A voice turn from a caller without a credential runs like a typed one (issue 13): the request is heard
and prepared, and a spoken "yes" buys nothing; the answer, on screen and spoken, says where to confirm, and
the question stays open for the user's own client. Before, ``/v1/assistant/voice`` refused such a caller
outright (403). Real piper, Whisper and the reference cinema partner."""

from __future__ import annotations

from pathlib import Path

import httpx

from tandem.agent.spoken import elsewhere
from tandem.speech.registry import SpeechRegistry
from tests.agent.conftest import partner_rows
from tests.conftest import LiveServer
from tests.speech.conftest import speech  # noqa: F401  (fixture)
from tests.speech.test_voice import spoken


def test_a_keyless_spoken_yes_runs_but_buys_nothing(server: LiveServer, home: Path, speech: SpeechRegistry) -> None:  # noqa: F811
    with httpx.Client(base_url=server.url, timeout=300) as http:  # no credential: a keyless loopback caller
        asked = http.post("/v1/assistant/voice", files={"file": ("book.wav", spoken(speech, "Book two tickets for Dune "
                                                                                      "tomorrow."), "audio/wav")})
        assert asked.status_code == 200, asked.text
        turn = asked.json()
        [task] = turn["tasks"]
        assert task["state"] == "awaiting-confirmation"
        yes = http.post("/v1/assistant/voice", files={"file": ("yes.wav", spoken(speech, "Yes."), "audio/wav")},
                        data={"conversation_id": turn["conversation_id"]})
        assert yes.status_code == 200, yes.text
        said = yes.json()
        assert said["text"].startswith(elsewhere("en")) and said["speech"]["text"].startswith(elsewhere("en"))
        assert [t["state"] for t in said["tasks"]] == ["awaiting-confirmation"]
        assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
        done = http.post(f"/v1/assistant/confirmations/{task['confirmation_id']}/confirm", headers=server.local)
        assert done.status_code == 200 and done.json()["state"] == "done", done.text  # the user's own client
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
