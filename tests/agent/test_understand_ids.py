"""A request that names one of a partner's order ids (a word of the shape its manifest declares, "CIN-8E1D4") is about
that order, though the learned tier reads it short of its lead over "none" (issue 14): the tier's first capability
is taken when it declares the id's shape (``LearnedParser._by_id``), and nothing else changes."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)


@pytest.fixture(scope="module")
def understander() -> Understander:
    from tandem.models.embeddings import E5Embedder

    return Understander(learned=LearnedTier(E5Embedder(), shipped()))


def _names(understander: Understander, text: str, live: set[str] | None = None) -> list[str]:
    return [i.name for i in understander.understand(text, NOW, live=live).intents]


@pytest.mark.parametrize(("text", "wanted"), [
    ("any news on SH-9D3", "track_shopping_order"),
    ("show me CIN-1C2D", "show_movie_order"),
    ("CIN-5E0 won't work for us, call it off", "cancel_movie_tickets"),
    ("FD-3A9 wo steckt die", "track_food_order"),
    ("FD-12C bitte stornieren", "cancel_food_order"),
    ("FD-5B7现在到哪儿了", "track_food_order"),
    ("看一下CIN-3F2", "show_movie_order"),
    ("TIX-1B4给我退了", "refund_tickets")])
def test_a_request_naming_an_order_id_is_read_as_its_capability(understander: Understander, text: str,
                                                                 wanted: str) -> None:
    """Each of these was none of these before: its capability first, short of its lead over "none"."""
    assert _names(understander, text) == [wanted]


@pytest.mark.parametrize("text", ["is TIX-4A21 a weird name for an order", "gestern kam FD-3A9 zu spät an, egal",
                                  "my friend's order FD-12 came late yesterday, it was funny"])
def test_an_id_in_talk_the_tier_places_elsewhere_is_no_task(understander: Understander, text: str) -> None:
    """Only the tier's first capability is taken, and only when it declares the id's shape: a question about an id's
    look, or a narration the tier places nearer a reminder or the calendar, stays chat."""
    assert _names(understander, text) == []


def test_an_id_names_no_capability_that_is_not_live(understander: Understander) -> None:
    """The capability taken for an id is one of the live ones (a partner switched off reads nothing)."""
    live = {spec.name for spec in shipped()} - {"cancel_movie_tickets"}
    assert _names(understander, "CIN-5E0 won't work for us, call it off", live) != ["cancel_movie_tickets"]


def test_a_word_of_no_declared_shape_lifts_nothing(understander: Understander) -> None:
    """An order number of a shape no manifest declares ("XY-5E0") is no id: the sentence stays as the tier reads it."""
    assert _names(understander, "XY-5E0 won't work for us, call it off") == []


@pytest.mark.parametrize(("text", "wanted"), [("订单SH-0F79的状态", ["track_shopping_order"]),
                                              ("note down FD-1A2B", ["take_note"])])
def test_an_id_read_as_another_partners_order_goes_to_the_partner_declaring_its_shape(
        understander: Understander, text: str, wanted: list[str]) -> None:
    """``Understander.understand`` reads an id as the assistant does (``order_ids.routed``): the tier reads
    "订单SH-0F79的状态" nearer the food order's tracking, and the shop's id says whose order it is; a note keeps the
    id it writes."""
    assert _names(understander, text) == wanted
