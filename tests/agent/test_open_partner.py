"""The open assistant: a partner Tandem does not ship (Funkwagen, a taxi service written in tests/manifests.py: its own
FastMCP server process and a manifest with examples) is added with ``tandem services add`` and used by ``tandem ask`` in
English, German and Chinese, with phrasings that are not among its examples, through confirmation to the
order in the partner's own records. No Tandem code knows about taxis."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.agent.conftest import write_profile
from tests.manifests import FUNKWAGEN_SERVER, funkwagen
from tests.test_cli import tandem

# Phrasings of a new user, none of them among the manifest's examples, and where they go.
ASKED = [
    ("Please send me a taxi to the airport", "airport"),
    ("I'd like a cab over to Friedrichstraße 100", "Friedrichstraße 100"),
    ("Can I get a ride to the main station?", "main station"),
    ("Schick mir bitte ein Taxi zum Flughafen", "Flughafen"),
    ("Ich hätte gern ein Taxi nach Kreuzberg", "Kreuzberg"),
    ("Kannst du mir ein Taxi zum Hauptbahnhof rufen?", "Hauptbahnhof"),
    ("帮我叫个出租车去机场", "机场"),
    ("我想坐出租车到天安门", "天安门"),
    ("能帮我打个车去北京站吗", "北京站"),
]


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """The partner's server and manifest on disk, in its own directory (it may write there, never beside
    TANDEM_HOME); its orders go to funkwagen-orders.json beside them."""
    own = tmp_path / "funkwagen"
    own.mkdir()
    server, orders = own / "funkwagen.py", own / "funkwagen-orders.json"
    server.write_text(textwrap.dedent(FUNKWAGEN_SERVER), encoding="utf-8")
    path = own / "funkwagen.toml"
    path.write_text(funkwagen(str(server), str(orders)), encoding="utf-8")
    return path


@pytest.fixture
def taxi(home: Path, manifest: Path) -> Path:
    """The partner added as a user adds any partner (its check trains the learned tier: minutes on a busy box).
    Returns its order file."""
    write_profile(home, "DE")
    added = tandem("services", "add", "--yes", str(manifest), home=home, timeout=900)
    assert added.returncode == 0, added.stderr
    return manifest.with_name("funkwagen-orders.json")


@pytest.mark.timeout(1800)  # eighteen CLI processes, each starting partner servers
def test_an_added_partner_is_used_in_three_languages(home: Path, taxi: Path) -> None:
    for n, (asked, destination) in enumerate(ASKED, start=1):
        out = tandem("ask", "--json", asked, home=home)
        assert out.returncode == 0, out.stderr
        reply = json.loads(out.stdout)
        (task,) = reply["tasks"]
        assert task["intent"] == "book_taxi" and task["state"] == "awaiting-confirmation", (asked, reply)
        assert destination.lower() in task["summary"]["to"].lower(), (asked, task["summary"])
        assert not taxi.exists() or len(json.loads(taxi.read_text())) == n - 1  # nothing booked before the yes
        done = tandem("confirm", task["confirmation_id"], "--json", home=home)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["state"] == "done"
        orders = json.loads(taxi.read_text())
        assert len(orders) == n and destination.lower() in orders[-1]["destination"].lower()
        assert orders[-1]["name"] == "Alex Muster" and orders[-1]["phone"] == "+49 30 1234567"


def test_small_talk_and_questions_stay_chat_with_the_partner_installed(home: Path, manifest: Path) -> None:
    """The understanding of a home with the partner's capability (that it passes ``services add`` is the test
    above; adding it here would train the add check once more for nothing this test reads)."""
    from tandem.agent.capabilities import capabilities, shipped
    from tandem.agent.learned import on_device
    from tandem.agent.understand import Understander
    from tandem.services.manifest import load_manifest

    added = capabilities([load_manifest(manifest).raw])
    intents = (*shipped(), *added)
    understander = Understander(intents=intents, learned=on_device(intents, home))
    for said in ("hi", "thanks", "你好", "Was ist die Hauptstadt von Frankreich?", "how are you?", "谢谢你"):
        result = understander.understand(said)
        assert not result.matched and result.intents == (), (said, result)
