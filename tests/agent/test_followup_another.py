"""Asking for one more is no cancellation (review31 R31-7, HIGH money): after a pizza was ordered, "order another one"
made a card to CANCEL it, and the yes cancelled it; after two tickets, "buy one more ticket" cancelled them. A turn that
points back ("one", "another") and says a word of the order's follow-ups ("order") was taken to the follow-up the
learned tier ranked first, the cancellation, though nothing in it cancels. A follow-up that commits (a cancellation, a
refund) now needs the turn to say one of its verbs ("cancel it", "storniere sie", "取消它"). My own phrasings and
review31's (dialog22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_PARTNER = {("EN", "food"): "gabelpost.food", ("EN", "cinema"): "lichtspiel.cinema", ("DE", "food"): "gabelpost.food",
            ("CN", "food"): "kuaisong.food", ("CN", "cinema"): "guangying.cinema",
            ("DE", "cinema"): "lichtspiel.cinema"}


@pytest.mark.parametrize(("case", "kind", "first", "yes", "more"), [
    ("EN", "food", "order a pizza to the office", "yes", "order another one"),
    ("EN", "food", "order a pizza to the office", "yes", "order one more of those"),
    ("EN", "cinema", "two tickets for Dune tonight at 8", "yes", "buy one more ticket"),
    ("EN", "cinema", "two tickets for Dune tonight at 8", "yes", "book another one"),
    ("EN", "cinema", "two tickets for Dune tonight at 8", "yes", "get me one more ticket"),
    ("DE", "food", "bestell eine Pizza ins Büro", "ja", "bestell noch eine davon"),
    # read as the order's cancellation by the learned tier itself (reread31 H-7): more of the same undoes nothing
    ("DE", "food", "bestell eine Pizza ins Büro", "ja", "die Bestellung nochmal"),
    ("DE", "food", "bestell eine Pizza ins Büro", "ja", "Bestellung: noch eine bitte"),
    ("CN", "cinema", "买两张今晚八点《沙丘》的电影票", "好的", "电影票再来一张"),
    ("CN", "cinema", "买两张今晚八点《沙丘》的电影票", "好的", "再来一张电影票"),
    ("DE", "cinema", "zwei Karten für Dune heute um 20 Uhr", "ja", "Kinobuchung: noch eine bitte"),
])
async def test_asking_for_one_more_cancels_nothing(home: Path, understander: Understander, case: str, kind: str,
                                                   first: str, yes: str, more: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, first)
        done = await take_turn(assistant, yes, shown.conversation_id)
        assert [t.state for t in done.tasks] == [TaskState.DONE], done.text
        asked = await take_turn(assistant, more, shown.conversation_id)
        assert not [t.intent for t in asked.tasks if t.intent.startswith(("cancel", "refund"))], asked.text
        await take_turn(assistant, yes, shown.conversation_id)
    rows = partner_rows(home, _PARTNER[case, kind], "SELECT cancelled_at FROM orders")
    assert rows and all(r["cancelled_at"] is None for r in rows), asked.text


@pytest.mark.parametrize(("case", "first", "yes", "cancel"), [
    ("EN", "order a pizza to the office", "yes", "cancel it"),
    ("EN", "order a pizza to the office", "yes", "call it off"),
    ("DE", "bestell eine Pizza ins Büro", "ja", "storniere sie"),
    ("CN", "点一份饺子送到公司", "好的", "取消它"),
    ("CN", "点一份饺子送到公司", "好的", "取消吧"),
    # its own verb said beside a word of more: "storniere", "abbestellen", "不要了" (lead's reviewer, H-5)
    ("DE", "bestell eine Pizza ins Büro", "ja", "storniere die Bestellung nochmal"),
    ("DE", "bestell eine Pizza ins Büro", "ja", "Noch eine Sache: bitte die Pizza abbestellen"),
    ("CN", "点一份饺子送到公司", "好的", "外卖不要了，我再点别的"),
])
async def test_a_cancellation_pointing_back_still_cancels(home: Path, understander: Understander, case: str,
                                                          first: str, yes: str, cancel: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, first)
        await take_turn(assistant, yes, shown.conversation_id)
        asked = await take_turn(assistant, cancel, shown.conversation_id)
        assert [t.intent for t in asked.tasks] == ["cancel_food_order"], asked.text
        await take_turn(assistant, yes, shown.conversation_id)
    rows = partner_rows(home, "kuaisong.food" if case == "CN" else "gabelpost.food", "SELECT cancelled_at FROM orders")
    assert [r["cancelled_at"] is not None for r in rows] == [True]
