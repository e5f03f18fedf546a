"""Replies to a pizza and cinema tickets shown for confirmation that say neither yes nor no: a question ("only the
pizza?", "nur die Pizza, oder", "只要披萨，对吧") and a refusal refused ("don't cancel the pizza", "披萨别取消"). Each
decides nothing (review R24-1: a question bought the pizza and cancelled the tickets; R24-4: "don't cancel the pizza"
cancelled it). A yes said as a question is no yes to one confirmation either, and a question or a request to hear
something again is no reorder (R24-2). The replies are the lead's own probes (session 24), none from a bench set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.confirming import _decided, take_turn
from tandem.agent.own_orders_again import said_again
from tandem.agent.spoken import asks, read_answer
from tandem.agent.tasks import TaskState
from tests.agent.test_confirm_alone import _two_asked

pytestmark = pytest.mark.anyio

_ASKED = {
    "EN": ["only the pizza?", "just the tickets?", "yes, only the pizza?", "cancel the pizza?", "the pizza only?",
           "only the cinema tickets, not the pizza?", "just the pizza, right?"],
    "DE": ["nur die Pizza?", "nur die Pizza, oder", "nur die Kinokarten, gell", "keine Pizza?", "ja, nur die Pizza?",
           "nur das Kino?", "die Pizza nicht, oder?"],
    "CN": ["只要披萨？", "只要披萨?", "只要披萨吧？", "只要披萨，对吧", "电影票不要了？", "只要电影票吗",
           "披萨不要，是吧"],
}
_REFUSAL_REFUSED = {
    "EN": ["don't cancel the pizza", "do not cancel the tickets", "don't cancel the cinema tickets",
           "please don't cancel the pizza"],
    "DE": ["die Pizza nicht stornieren", "die Kinokarten nicht stornieren", "die Pizza nicht abbrechen",
           "storniere die Pizza nicht"],
    "CN": ["披萨别取消", "别不要披萨", "电影票不取消", "披萨不要取消"],
}


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_question_or_a_refused_refusal_decides_nothing(home: Path, lang: str) -> None:
    async with _two_asked(home, lang) as (assistant, asked):
        decided = {reply: found for reply in _ASKED[lang] + _REFUSAL_REFUSED[lang]
                   if (found := _decided(assistant, asked, reply))}
    assert not decided


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_only_this_asked_as_a_question_buys_nothing(home: Path, lang: str) -> None:
    async with _two_asked(home, lang) as (assistant, asked):
        reply = await take_turn(assistant, _ASKED[lang][0], asked[0].conversation_id)
        states = [assistant.journal.task(t.id).state for t in asked]
    assert states == [TaskState.AWAITING_CONFIRMATION] * 2, reply.text


def test_a_yes_said_as_a_question_is_no_yes() -> None:
    for reply in ("yes?", "ok?", "book it?", "ja?", "bestätigen?", "好的？", "确认吗", "可以吗"):
        assert asks(reply) and read_answer(reply) in ("unclear", None), reply  # None: no answer, a new request
    for reply in ("yes", "ok.", "ja!", "好的。", "that's right", "Ja, genau", "好吧"):
        assert not asks(reply) and read_answer(reply) == "yes", reply


def test_a_question_or_a_bare_again_is_no_reorder() -> None:
    now = dt.datetime(2026, 12, 6, 12)
    not_again = ["can you repeat that", "repeat please", "again?", "what I ordered?", "the same for me",
                 "nochmal bitte", "wie immer?", "was ich bestellt habe?", "noch einmal bitte",
                 "wieder?", "帮我点吃的", "点点吃的吧", "给我吃的", "要吃的", "我买的", "我订的", "再来一份？",
                 "不要再来一份", "not the same again", "bitte nicht das Gleiche nochmal"]
    assert {t: found for t in not_again if (found := said_again(t, now))} == {}
    again = ["same again", "order the pizza again", "die Pizza nochmal", "bestell nochmal", "das Gleiche nochmal",
             "the usual", "再来一份", "我点的再来一份", "再买一次"]
    assert [t for t in again if said_again(t, now) is None] == []
