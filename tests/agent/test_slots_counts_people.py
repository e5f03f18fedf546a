"""Which capabilities count people (their examples name what lets one person in: "tickets", "Karten", "票";
measure_words.toml ``admits``), read once per set of examples (counts.counts_people is asked on every template parse:
suite4 measured a third of the CPU of the check ``tandem services add`` runs)."""

from __future__ import annotations

from dataclasses import replace

from tandem.agent import counts
from tandem.agent.capabilities import shipped
from tandem.agent.counts import counts_people


def test_the_ticket_capabilities_count_people_and_the_others_do_not() -> None:
    found = {spec.name for spec in shipped() if counts_people(spec)}
    assert {"buy_movie_tickets", "buy_event_tickets"} <= found
    assert not found & {"order_food", "buy_product", "set_reminder", "take_note", "find_route"}


def test_a_capability_is_read_once_and_new_examples_are_read_anew() -> None:
    spec = next(s for s in shipped() if s.name == "order_food")
    counts_people(spec)
    before = counts._admits.cache_info()
    assert counts_people(spec) is False and counts._admits.cache_info().hits == before.hits + 1
    admitting = replace(spec, examples={"en": ("two tickets for {dish}",)})
    assert counts_people(admitting) is True and counts._admits.cache_info().misses == before.misses + 1
