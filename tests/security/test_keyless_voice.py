"""A voice turn from a caller without a credential runs like a typed one (issue 13): the request is heard
and prepared, and a spoken "yes" buys nothing; the answer, on screen and spoken, says where to confirm, and
the question stays open for the user's own client. Before, ``/v1/assistant/voice`` refused such a caller
outright (403). Real piper, Whisper and the reference cinema partner."""

from __future__ import annotations

import json
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


def test_a_keyless_spoken_order_names_the_address_instead_of_saying_it(server: LiveServer,
                                                                       speech: SpeechRegistry) -> None:  # noqa: F811
    """What the voice turn says and shows a caller without a credential names the saved address ("to your saved
    office address") instead of reading it out (tandem.agent.withhold). Before, the spoken question read the
    owner's office address to any local process."""
    with httpx.Client(base_url=server.url, timeout=300) as http:
        asked = http.post("/v1/assistant/voice", files={"file": ("order.wav", spoken(speech, "Order a pizza to my "
                                                                                       "office."), "audio/wav")})
        assert asked.status_code == 200, asked.text
        turn = asked.json()
        [task] = turn["tasks"]
        assert task["intent"] == "order_food" and task["state"] == "awaiting-confirmation", turn
        assert "your saved office address" in turn["speech"]["text"], turn["speech"]["text"]
        shown = json.dumps({k: v for k, v in turn.items() if k != "speech"} | {"said": turn["speech"]["text"]},
                           ensure_ascii=False)
        assert "Friedrichstraße" not in shown and "Muster" not in shown, shown
        mine = http.get(f"/v1/assistant/tasks/{task['id']}", headers=server.local).json()
        assert mine["summary"]["address"] == "Friedrichstraße 100"  # the order itself goes there
