"""A dictated to-do or note runs on over "然后" said without a pause: "提醒我明天七点坐公交然后去医院" is one thing to
remember (take the bus, then go to the hospital), not a reminder and a second, invented request (review29 R29-12: a
calendar cancellation or a route). With a pause before it, or outside a dictated value, "然后" still begins a step or
a request of its own. Rows marked "review29" are the review's reproductions; the others are und22's own variants."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.steps import bounded
from tandem.agent.understand import Understander

_NOON = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "todo"), [
    ("提醒我明天七点坐公交然后去医院", "坐公交然后去医院"),  # review29 R29-12: + cancel_calendar_event / find_route
    ("明天早上八点提醒我吃药然后去上班", "吃药然后去上班"),  # review29 R29-12: + find_route '上班'
    ("提醒我买牛奶然后去接孩子", "买牛奶然后去接孩子"),
    ("下午三点提醒我去银行然后去超市", "去银行然后去超市"),
])
def test_a_reminder_runs_on_over_then(understander: Understander, text: str, todo: str) -> None:
    read = understander.understand(text, _NOON)
    assert [(i.name, i.slots.get("todo")) for i in read.intents] == [("set_reminder", todo)]


@pytest.mark.parametrize(("text", "said"), [
    ("记一下：先交报告然后开会", "先交报告然后开会"),
    ("记下来：买菜然后做饭", "买菜然后做饭"),
])
def test_a_note_runs_on_over_then(understander: Understander, text: str, said: str) -> None:
    read = understander.understand(text, _NOON)
    assert [(i.name, i.slots.get("text")) for i in read.intents] == [("take_note", said)]


def test_after_a_pause_then_is_a_request_of_its_own(understander: Understander) -> None:
    read = understander.understand("提醒我买牛奶，然后订两张沙丘的票", _NOON)
    assert len(read.intents) == 2
    assert (read.intents[0].name, read.intents[0].slots.get("todo")) == ("set_reminder", "买牛奶")


def test_a_next_step_of_an_order_still_ends_its_value(understander: Understander) -> None:
    read = understander.understand("帮我点一份披萨，然后把它送到办公室", _NOON)
    assert [(i.name, i.slots.get("dish"), i.slots.get("place")) for i in read.intents] == [
        ("order_food", "披萨", "office")]


def test_bounded_runs_on_only_in_a_dictated_value() -> None:
    assert bounded("坐公交然后去医院", "zh", dictated=True) == "坐公交然后去医院"
    assert bounded("披萨然后给妈妈打电话", "zh") is None  # a value with a second request is no value
