"""One request said in two clauses: a clause that says why ("演唱会去不成了") and one that asks ("退票") are read by the
learned tier as the same capability each, and neither names a value; that is one refund, not two refunds of nothing.
Two readings of one capability that each hold a value stay two requests ("remind me to call mom at 5 and to water the
plants at 6")."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.clauses import Intent
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import Understander, _once

NOW = dt.datetime(2026, 11, 29, 15, 0)


def _names(intents: list[Intent] | None) -> list[str]:
    return [i.name for i in intents or ()]


def test_two_readings_of_one_capability_without_values_are_one_request() -> None:
    why, ask = Intent("refund_tickets", {}, "演唱会去不成了"), Intent("refund_tickets", {}, "退票")
    (one,) = _once([why, ask]) or []
    assert one.name == "refund_tickets" and one.text == "演唱会去不成了 退票"


def test_the_values_and_words_of_both_readings_are_kept() -> None:
    why = Intent("refund_tickets", {}, "the opera is off for us")
    ask = Intent("refund_tickets", {"order_id": "RP-1234"}, "refund order RP-1234", {"order_id": "RP-1234"})
    (one,) = _once([why, ask]) or []
    assert one.slots == {"order_id": "RP-1234"} and one.spans == {"order_id": "RP-1234"}
    assert one.text == "the opera is off for us refund order RP-1234"


@pytest.mark.parametrize("intents", [
    [Intent("set_reminder", {"todo": "call mom"}, "a"), Intent("set_reminder", {"todo": "water the plants"}, "b")],
    [Intent("refund_tickets", {}, "a"), Intent("cancel_food_order", {}, "b")],  # two capabilities: two requests
    [Intent("track_food_order", {}, "a"), Intent("track_shopping_order", {}, "b")],  # one falls back to the other
    [Intent("show_notes", {}, "a"), Intent("show_reminders", {}, "b")]])
def test_readings_that_each_hold_a_value_or_ask_for_two_capabilities_stay_apart(intents: list[Intent]) -> None:
    assert _names(_once(intents)) == _names(intents)


def test_nothing_read_stays_nothing() -> None:
    assert _once(None) is None


@pytest.fixture(scope="module")
def understander() -> Understander:
    from tandem.models.embeddings import E5Embedder

    return Understander(learned=LearnedTier(E5Embedder(), shipped()))


@pytest.mark.parametrize(("text", "wanted"), [
    ("演唱会去不成了，退票", ["refund_tickets"]),
    ("话剧临时去不了，票全退了吧", ["refund_tickets"]),
    ("提醒我五点给妈妈打电话，六点浇花", ["set_reminder", "set_reminder"]),
    ("remind me to call mom at 5 and to water the plants at 6", ["set_reminder", "set_reminder"])])
def test_a_clause_that_says_why_is_no_second_request(understander: Understander, text: str,
                                                     wanted: list[str]) -> None:
    assert [i.name for i in understander.understand(text, NOW).intents] == wanted
