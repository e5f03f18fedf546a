"""A sentence that opens with an undoing's verb ("取消…", "erstatte…") is never read as a new order or purchase:
where the learned tier reads one whose verb the sentence does not open with, the undoing it opens with is the reading
(review-lead30 P-2: "取消今晚八点沙丘的电影票" made a card to buy the tickets). The row marked "review-lead30" is the
review's reproduction; the others are und22's own variants."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import Understander

_NOON = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "wanted"), [
    ("取消今晚八点沙丘的电影票", "cancel_movie_tickets"),  # review-lead30 P-2: buy_movie_tickets at 128c96c
    ("取消明天晚上七点奥本海默的电影票", "cancel_movie_tickets"),
    ("取消周六下午三点的封神电影票", "cancel_movie_tickets"),
    ("erstatte mir die Karten für das Konzert am Samstag", "refund_tickets"),
])
def test_an_undoing_said_is_no_purchase(understander: Understander, text: str, wanted: str) -> None:
    assert [i.name for i in understander.understand(text, _NOON).intents] == [wanted]


@pytest.mark.parametrize(("text", "wanted"), [
    ("buy two tickets for Dune tonight at 8", "buy_movie_tickets"),
    ("买两张今晚八点沙丘的电影票", "buy_movie_tickets"),
    # a word an undoing's examples open with ("get", "Kinotickets", "电影") where the tier sees no undoing near
    ("Kinotickets für Wicked am Sonntag, für zwei Leute", "buy_movie_tickets"),
    ("get me a new laptop stand shipped to the office", "buy_product"),
    ("今晚想去电影院看封神，三张票", "buy_movie_tickets"),
])
def test_a_purchase_said_stays_a_purchase(understander: Understander, text: str, wanted: str) -> None:
    assert [i.name for i in understander.understand(text, _NOON).intents] == [wanted]
