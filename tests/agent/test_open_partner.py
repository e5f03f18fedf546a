"""The open assistant: a partner Tandem does not ship (a taxi service written here, its own FastMCP server
process and a manifest with examples) is added with ``tandem services add`` and used by ``tandem ask`` in
English, German and Chinese, with phrasings that are not among its examples, through confirmation to the
order in the partner's own records. No Tandem code knows about taxis."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.agent.conftest import write_profile
from tests.test_cli import tandem

SERVER = '''
"""Funkwagen: a taxi partner (test fixture). Quotes a ride, books it once per idempotency key."""
import json, sys, uuid
from pathlib import Path
from mcp.server.fastmcp import FastMCP

ORDERS = Path(sys.argv[1])
mcp = FastMCP("Funkwagen")


@mcp.tool()
def quote_ride(destination: str, city: str) -> dict:
    """Price and pickup time of a taxi to a destination in a city."""
    price = 12.0 + len(destination) % 7
    return {"quote_id": "Q-" + uuid.uuid4().hex[:8], "destination": destination, "city": city,
            "price": price, "currency": "EUR", "eta_minutes": 6}


@mcp.tool()
def book_ride(quote_id: str, destination: str, name: str, phone: str, payment_token: str,
              idempotency_key: str) -> dict:
    """Book the quoted taxi, charging the payment token. The same key never books twice."""
    orders = json.loads(ORDERS.read_text()) if ORDERS.exists() else []
    for order in orders:
        if order["idempotency_key"] == idempotency_key:
            return order
    order = {"order_id": "TX-" + uuid.uuid4().hex[:8], "quote_id": quote_id, "destination": destination,
             "name": name, "phone": phone, "idempotency_key": idempotency_key}
    ORDERS.write_text(json.dumps([*orders, order]))
    return order


if __name__ == "__main__":
    mcp.run()
'''

MANIFEST = '''
manifest_version = 1
id = "funkwagen.taxi"
partner = "Funkwagen Taxi GmbH"
categories = ["lifestyle"]
regions = ["EEA", "CN"]
currency = "EUR"

[names]
en = "Funkwagen Taxi"

[data]
processing_regions = ["DE"]

[transport]
type = "stdio"
command = ["{python}", "SERVER", "ORDERS"]

[[tools]]
name = "quote_ride"
personal_data = ["location"]

[[tools]]
name = "book_ride"
transactional = true
idempotency = "key"
personal_data = ["name", "phone", "payment_token", "location"]
intent = "book_taxi"
resolve = [{tool = "quote_ride", arguments = {destination = "{destination}", city = "{profile.city}"}}]

[tools.arguments]
quote_id = "{quote_ride.quote_id}"
destination = "{quote_ride.destination}"
name = "{profile.name}"
phone = "{profile.phone}"
payment_token = "{profile.payment_token}"

[tools.summary]
to = "{quote_ride.destination}"
price = "{quote_ride.price}"
currency = "{quote_ride.currency}"
pickup_in_minutes = "{quote_ride.eta_minutes}"

[tools.description]
en = "Book a taxi to a destination."
de = "Ein Taxi zu einem Ziel bestellen."
zh = "叫一辆出租车去某个地方。"

[tools.parameters.destination]
kind = "text"
required = true
samples = ["the harbour", "the trade fair", "Hafen", "Messe", "码头", "会展中心"]
question = {en = "Where to?", de = "Wohin?", zh = "去哪里？"}

[tools.examples]
en = ["(book|order|call|get) [me|us] a (taxi|cab|ride) to {destination}", "i need a (taxi|cab|ride) to {destination}",
      "taxi to {destination}"]
de = ["(bestell|bestelle|ruf|rufe|buch|buche) [mir|uns] ein taxi (zum|zur|nach|zu) {destination}",
      "ich brauche ein taxi (zum|zur|nach|zu) {destination}",
      "ein taxi (zum|zur|nach|zu) {destination} (rufen|bestellen)"]
zh = ["(叫|订|打)[一]辆(车|出租车)(去|到){destination}", "我要打车(去|到){destination}"]
'''

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
def taxi(home: Path, tmp_path: Path) -> Path:
    """The partner's server and manifest on disk, added as a user adds any partner. Returns its order file."""
    own = tmp_path / "funkwagen"  # a partner's own directory: it may write there, never beside TANDEM_HOME
    own.mkdir()
    server, orders = own / "funkwagen.py", own / "funkwagen-orders.json"
    server.write_text(textwrap.dedent(SERVER), encoding="utf-8")
    manifest = own / "funkwagen.toml"
    manifest.write_text(MANIFEST.replace("SERVER", str(server)).replace("ORDERS", str(orders)), encoding="utf-8")
    write_profile(home, "DE")
    added = tandem("services", "add", "--yes", str(manifest), home=home)
    assert added.returncode == 0, added.stderr
    return orders


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


def test_small_talk_and_questions_stay_chat_with_the_partner_installed(home: Path, taxi: Path) -> None:
    from tandem.agent.capabilities import capabilities, shipped
    from tandem.agent.learned import on_device
    from tandem.agent.understand import Understander
    from tandem.services.manifest import load_manifest

    added = capabilities([load_manifest(next(taxi.parent.glob("funkwagen.toml"))).raw])
    intents = (*shipped(), *added)
    understander = Understander(intents=intents, learned=on_device(intents, home))
    for said in ("hi", "thanks", "你好", "Was ist die Hauptstadt von Frankreich?", "how are you?", "谢谢你"):
        result = understander.understand(said)
        assert not result.matched and result.intents == (), (said, result)
