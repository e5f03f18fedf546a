"""Order ids in understanding (issue 14). ``Understander.understand`` reads an id as the assistant does
(``order_ids.routed``): a request the tiers read under one partner's capability goes to the partner whose manifest
declares the id's shape. A "none of these" is never overruled by an id (19cce09 did, for the tier's first capability;
review25's R25-4: "don't cancel FD-…", "should I cancel FD-…?", "FD-… war super" became cancellations; reverted)."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)


def _names(understander: Understander, text: str) -> list[str]:
    return [i.name for i in understander.understand(text, NOW).intents]


@pytest.mark.parametrize(("text", "wanted"), [("订单SH-0F79的状态", ["track_shopping_order"]),
                                              ("note down FD-1A2B", ["take_note"])])
def test_an_id_read_as_another_partners_order_goes_to_the_partner_declaring_its_shape(
        understander: Understander, text: str, wanted: list[str]) -> None:
    """The tier reads "订单SH-0F79的状态" nearer the food order's tracking, and the shop's id says whose order it is
    (fails at e944111: track_food_order); a note keeps the id it writes."""
    assert _names(understander, text) == wanted


@pytest.mark.parametrize("text", ["should I cancel CIN-5B2E90A7D1?", "FD-3C7D1E0B92 war super",
                                  "thanks for CIN-5B2E90A7D1", "is TIX-4A21 a weird name for an order",
                                  "gestern kam FD-3A9 zu spät an, egal"])
def test_talk_that_names_an_id_is_no_task(understander: Understander, text: str) -> None:
    """An id beside a question, thanks or a narration makes no task of it (R25-4's forms, own words). "don't cancel
    FD-…", "千万别退TIX-…" (read as a cancellation by the tier itself) are declined: test_understand_declined."""
    assert _names(understander, text) == []
