"""A reminder said to come back is made with its rule, through the real assistant and the office partner, and its
answer says the rule in the user's language (review30 R30-9: "remind me every day at 8 to take my pills" was made
once, silently; "except on Sunday, remind me every day at 9" landed on the Sunday). The reading: test_slots_every_rule.
Own sentences, none from a bench set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

NOT_SUNDAY = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "todo", "repeat", "shown"), [
    ("EN", "remind me every day except Sunday at 8 am to take my pills", "take my pills", NOT_SUNDAY,
     "every day except Sunday"),
    ("EN", "except on Sunday, remind me every day at 9 am to read", "read", NOT_SUNDAY, "every day except Sunday"),
    ("DE", "erinnere mich jeden Tag um 8 Uhr an die Tabletten", "Tabletten", "FREQ=DAILY", "jeden Tag"),
    ("CN", "除了周末每天早上八点提醒我背单词", "背单词", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "每个工作日"),
    ("EN", "remind me every Monday at 9 am to put the bins out", "put the bins out", "FREQ=WEEKLY;BYDAY=MO",
     "every Monday"),
    ("DE", "erinnere mich jeden Abend um 9 an die Tabletten", "Tabletten", "FREQ=DAILY", "jeden Tag"),
    ("CN", "每周一到周五早上七点提醒我起床", "起床", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "每个工作日"),  # reread31 M-2
    ("CN", "周一到周五每天早上六点半提醒我出门", "出门", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "每个工作日"),  # M-8
    ("CN", "明天起每天晚上十点提醒我关灯", "关灯", "FREQ=DAILY", "每天"),  # reread31 M-9: from tomorrow, not once
])
async def test_a_reminder_said_to_come_back_is_made_with_its_rule_and_says_so(
        home: Path, understander: Understander, case: str, said: str, todo: str, repeat: str, shown: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
    rows = partner_rows(home, "tandem.office", "SELECT text, due_at, repeat FROM reminders")
    assert [(r["text"], r["repeat"]) for r in rows] == [(todo, repeat)], answer.text
    assert dt.date.fromisoformat(rows[0]["due_at"][:10]).weekday() != 6  # never on the day left out
    assert shown in answer.text


@pytest.mark.anyio
@pytest.mark.parametrize(("said", "todo"), [
    ("remind me tomorrow at 9 am to call mum", "call mum"),
    # a day said wins; days said to come back in the to-do are its words (reread31 H-3)
    ("remind me tomorrow at 9 am to cancel the gym class I have every Monday",
     "cancel the gym class I have every Monday"),
])
async def test_a_reminder_said_once_has_no_rule(home: Path, understander: Understander, said: str, todo: str) -> None:
    async with talking(home, "EN", understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
    rows = partner_rows(home, "tandem.office", "SELECT text, due_at, repeat FROM reminders")
    assert [(r["text"], r["repeat"]) for r in rows] == [(todo, None)]
    assert dt.date.fromisoformat(rows[0]["due_at"][:10]) == dt.date.today() + dt.timedelta(days=1)
    assert "repeat" not in answer.text


_FOOD = {"EN": "gabelpost.food", "DE": "gabelpost.food", "CN": "kuaisong.food"}


@pytest.mark.anyio
@pytest.mark.parametrize(("case", "said", "yes"), [
    ("EN", "order a pizza to the office every day from Monday to Friday", "yes"),
    ("DE", "bestell eine Pizza ins Büro von Montag bis Freitag jeden Tag", "ja"),
    ("CN", "周一到周五每天帮我点一份披萨送到公司", "好的"),
    ("EN", "order a pizza to the office every day until the end of the month", "yes"),
    ("EN", "order a pizza to the office every day", "yes"),
])
async def test_an_order_said_to_come_back_is_not_placed_once_now(home: Path, understander: Understander, case: str,
                                                                 said: str, yes: str) -> None:
    """A one-off order cannot carry days that come back: nothing is ordered on yes (reread32 on 8b78501; the last row
    ordered at 6c2a30a too)."""
    async with talking(home, case, understander) as (assistant, _):
        answer = await take_turn(assistant, said, None)
        await take_turn(assistant, yes, answer.conversation_id)
    assert partner_rows(home, _FOOD[case], "SELECT id FROM orders") == [], answer.text
