"""Regional words of a count (measure_words.toml ``generic``, ``admits``): the Swiss "Billett" lets one person in as a
"Karte" does, so "ein Billett" counts one ticket. Own sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.understand import Understander

NOW = dt.datetime(2026, 12, 7, 9, 0)


@pytest.mark.parametrize(("text", "name", "count"), [
    ("Ein Billett für das Konzert von Patent Ochsner im Hallenstadion", "buy_event_tickets", 1),
    ("Kauf mir ein Billett für Hamlet im Schauspielhaus", "buy_event_tickets", 1),
    ("drei Billette für das Konzert von Züri West im Volkshaus", "buy_event_tickets", 3),
    ("zwei Billette für Dune heute um 20 Uhr", "buy_movie_tickets", 2),
])
def test_a_billett_is_a_ticket(understander: Understander, text: str, name: str, count: int) -> None:
    (intent,) = understander.understand(text, NOW).intents
    assert intent.name == name and intent.slots.get("count") == count
