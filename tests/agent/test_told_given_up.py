"""A yes never buys or cancels what the user only asked about, gave up, or someone else did (review31 R31-8 to R31-11,
R31-16). "did the pizza get cancelled?", "has my pizza been cancelled", "wurde die Pizza storniert?" asked whether it
was done, and the next yes cancelled the pizza; "I wanted to cancel the pizza but my boss said no", "ich wollte die
Pizza stornieren, aber mein Chef war dagegen", "外卖被商家取消了" (the shop cancelled it) cancelled it too; "ich wollte
eigentlich zwei Karten … kaufen, aber lieber nicht", "本来想点一份饺子送到公司，算了", "… would be nice but we have no
babysitter", "我同事每次都点一份饺子送到公司" bought or ordered on yes. The assistant now says nothing is done
(put_off.not_now with told.told and told.given_up; words in told.toml). Phrasings are review31's and money23's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tandem.agent import put_off
from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.declined import lead_words
from tandem.agent.learned import familiar
from tandem.agent.reply import Reply
from tandem.agent.tasks import TaskState
from tandem.agent.told import given_up, told
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}
_ORDER = {"EN": "order a pizza to the office", "DE": "bestell eine Pizza ins Büro", "CN": "点一份饺子送到公司"}
_FOOD = {"EN": "gabelpost.food", "DE": "gabelpost.food", "CN": "kuaisong.food"}
_CINEMA = {"EN": "lichtspiel.cinema", "DE": "lichtspiel.cinema", "CN": "guangying.cinema"}
_SAID = tomllib.loads(Path(put_off.__file__).with_name("put_off.toml").read_text(encoding="utf-8"))
_NOTHING = {case: _SAID[lang]["unasked"] for case, lang in (("EN", "en"), ("DE", "de"), ("CN", "zh"))}


@pytest.mark.parametrize(("case", "said"), [
    ("EN", "did the pizza get cancelled?"), ("EN", "has my pizza been cancelled"),  # asked whether done (R31-8)
    ("DE", "wurde die Pizza storniert?"), ("CN", "你取消外卖了吗？"),
    ("EN", "I wanted to cancel the pizza but my boss said no"),  # given up, or done by others (R31-9)
    ("DE", "ich wollte die Pizza stornieren, aber mein Chef war dagegen"), ("CN", "外卖被商家取消了"),
    ("CN", "我本来想取消外卖，但是算了")])
async def test_a_cancellation_asked_about_or_given_up_cancels_nothing(
        home: Path, understander: Understander, case: str, said: str) -> None:
    reply = await _said_after_an_order(home, understander, case, said)
    assert not [t for t in reply.tasks if t.state == TaskState.AWAITING_CONFIRMATION], reply.text
    assert reply.text == _NOTHING[case]  # why nothing is done, not "Sorry, I did not get that."
    assert _cancelled(home, case) == [False], reply.text


async def _said_after_an_order(home: Path, understander: Understander, case: str, said: str) -> Reply:
    """The reply to ``said`` after a food order placed in ``case``'s region; the next yes then given."""
    async with talking(home, case, understander) as (assistant, _):
        shown = await take_turn(assistant, _ORDER[case])
        await take_turn(assistant, _YES[case], shown.conversation_id)
        reply = await take_turn(assistant, said, shown.conversation_id)
        await take_turn(assistant, _YES[case], shown.conversation_id)
    return reply


def _cancelled(home: Path, case: str) -> list[bool]:
    return [r["cancelled_at"] is not None for r in partner_rows(home, _FOOD[case], "SELECT cancelled_at FROM orders")]


@pytest.mark.parametrize(("case", "said", "partner"), [
    ("DE", "ich wollte eigentlich zwei Karten für Dune heute um 20 Uhr kaufen, aber lieber nicht", _CINEMA),  # R31-10
    ("CN", "本来想点一份饺子送到公司，算了", _FOOD),
    ("EN", "I wanted to buy two tickets for Dune tonight at 8 but they're too expensive", _CINEMA),
    ("EN", "two tickets for Dune tonight at 8 would be nice but we have no babysitter", _CINEMA),  # R31-11
    ("CN", "我同事每次都点一份饺子送到公司", _FOOD)])  # a habit of someone else's (R31-16)
async def test_a_purchase_given_up_or_someone_elses_habit_is_not_bought_by_the_next_yes(
        home: Path, understander: Understander, case: str, said: str, partner: dict[str, str]) -> None:
    async with talking(home, case, understander) as (assistant, _):
        reply = await take_turn(assistant, said)
        assert reply.text.strip() and not reply.tasks, reply.text  # it says nothing is done
        await take_turn(assistant, _YES[case], reply.conversation_id)
    assert partner_rows(home, partner[case], "SELECT id FROM orders") == []


@pytest.mark.parametrize(("case", "said"), [("EN", "I ordered the pizza by mistake, cancel it"),
                                            ("EN", "I changed my mind, cancel the pizza"),
                                            ("CN", "我改主意了，取消外卖吧")])
async def test_a_cancellation_asked_for_beside_a_story_still_cancels(
        home: Path, understander: Understander, case: str, said: str) -> None:
    reply = await _said_after_an_order(home, understander, case, said)
    assert _cancelled(home, case) == [True], reply.text


@pytest.mark.parametrize(("text", "lang", "tells"), [
    ("did the pizza get cancelled?", "en", True), ("has my pizza been cancelled", "en", True),
    ("have the tickets been refunded?", "en", True), ("did you cancel my pizza?", "en", True),
    ("have you ordered the pizza?", "en", True), ("my colleague always orders a pizza to the office", "en", True),
    ("we used to order a pizza to the office every Friday", "en", True),
    ("meine Kollegin bestellt freitags immer eine Pizza ins Büro", "de", True),
    ("外卖被商家取消了", "zh", True), ("你取消外卖了吗", "zh", True), ("我同事每次都点一份饺子送到公司", "zh", True),
    # requests
    ("have a pizza delivered to the office", "en", False), ("cancel the pizza", "en", False),
    ("could you cancel the pizza?", "en", False), ("bestell immer die Pizza Margherita", "de", False),
    ("帮我取消外卖", "zh", False), ("可以取消外卖了吗", "zh", False), ("每次都帮我点饺子", "zh", False),
    # a habit ends where a request is said (review32 R32-5)
    ("I always forget so order a pizza to the office", "en", False),
    ("I usually cook but today please order a pizza to the office", "en", False),
    ("wie immer bitte eine Pizza ins Büro bestellen", "de", False),
    ("我同事每次都点饺子但是今天帮我点一份披萨送到公司", "zh", False),
    # someone else's habit goes on past a turn that asks nothing (reread33 H-3)
    ("my wife usually orders sushi but this time she wants to order a pizza to the office", "en", True),
    ("he always orders a pizza to the office though he should order a salad", "en", True),
    ("they normally order a pizza to the office however today they order sushi", "en", True),
    ("meine Kollegin bestellt immer eine Pizza ins Büro also keine Sorge", "de", True),
    ("my wife usually orders sushi, but this time she wants to order a pizza to the office", "en", True),  # lead33 H-1
    # after a habit and a turn, a clause with no one else before its verb is the user's (review-lead33 H-2)
    ("I usually cook but today order a pizza to the office", "en", False),
    ("I usually cook but today can you order a pizza to the office", "en", False),
    ("my colleague always orders pizza but order me sushi to the office", "en", False),
    ("I usually go to the cinema on Fridays but book two tickets for Dune tonight at 8", "en", False)])
def test_a_question_whether_done_a_passive_or_a_habit_tells(text: str, lang: str, tells: bool) -> None:
    assert told(text, lang, familiar(tuple(shipped()), lang)[0]) is tells


@pytest.mark.parametrize(("text", "lang"), [("wie immer bitte eine Pizza ins Büro bestellen", "de"),
                                          ("I always forget so order a pizza to the office", "en")])
def test_a_request_after_a_habit_tells_nothing_of_the_verbs_that_commit(text: str, lang: str) -> None:
    """What put_off.not_now reads (review32 R32-5: 'wie immer bitte …' was 'nothing is done')."""
    verbs = familiar([s for s in shipped() if s.transactional], lang)[0] - lead_words(lang)
    assert not told(text, lang, verbs)


@pytest.mark.parametrize(("text", "lang", "gave_up"), [
    ("I was going to cancel the pizza, but I changed my mind", "en", True),
    ("I was going to order a pizza to the office but I'm not hungry anymore", "en", True),
    ("ich wollte eigentlich zwei Karten kaufen, aber lieber nicht", "de", True),
    ("本来想点一份饺子送到公司，算了", "zh", True),
    ("I was thinking of getting two tickets for Dune tonight at 8 but nah", "en", True),  # review32 R32-14
    ("我本来想取消外卖的，后来又不想取消了", "zh", True), ("我本来想点饺子，后来吃过了", "zh", True),
    # still asked for
    ("I wanted to cancel the pizza but the app failed, cancel it please", "en", False),
    ("I wanted to order a pizza to the office, can you do that?", "en", False),
    ("I wanted to order a pizza, but without onions", "en", False),
    ("ich wollte eine Pizza bestellen, aber bitte ohne Zwiebeln", "de", False),
    ("ich wollte eine Pizza ins Büro bestellen", "de", False), ("本来想点饺子，但是帮我点披萨吧", "zh", False),
    ("本来想明天取消外卖，后来想想，取消吧", "zh", False),
    # a new request after the turn not opening its clause stays given up: the tiers would read the values turned away
    # from ('本来想点披萨，不过还是点饺子吧' ordered the pizza: review33 R33-11; reread32 M-3 waits for a reading of
    # the clauses after the turn alone)
    ("本来想点披萨，不过还是点饺子吧，送到公司", "zh", True), ("本来想点披萨，不过还是不点了", "zh", True),
    ("ich wollte eigentlich Sushi, aber jetzt lieber eine Pizza ins Büro bestellen", "de", True),
    ("ich wollte die Pizza stornieren, aber mein Chef wollte sie bestellen", "de", True),
    ("我本来想明天再买，但是现在就买两张今晚八点的沙丘电影票吧", "zh", True),
    ("I want to buy two tickets for Dune tonight at 8", "en", False)])
def test_an_act_meant_and_turned_away_from_is_given_up(text: str, lang: str, gave_up: bool) -> None:
    assert given_up(text, lang, familiar(tuple(shipped()), lang)[0]) is gave_up

