"""The user's own words are kept as typed, a value a partner looks up is read in the partner's written form
(reread26 M4 without H4): a traditional-Chinese note, to-do or calendar title is saved in traditional characters,
while a traditional-Chinese order still orders from the simplified menu (51b34bf gave every value back as typed and
every such order failed: '幫我點兩份餃子送到辦公室' -> 'no 餃子 near Beijing'). und18's own sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


def _noon() -> dt.datetime:
    return dt.datetime.combine(dt.date.today(), dt.time(12, 0))  # read when the test runs, not at import


@pytest.mark.parametrize(("text", "slot", "typed"), [
    ("記一下：乾隆皇帝的書在書房", "text", "乾隆皇帝的書在書房"),
    ("提醒我明天下午三點去郵局寄包裹", "todo", "去郵局寄包裹"),
])
def test_the_users_own_words_stay_as_typed(understander: Understander, text: str, slot: str, typed: str) -> None:
    read = understander.understand(text, _noon())
    assert [i.slots.get(slot) for i in read.intents] == [typed]


@pytest.mark.parametrize(("text", "slot", "read_as"), [
    ("幫我點兩份餃子送到辦公室", "dish", "饺子"), ("幫我訂一張《奧本海默》電影票", "film", "奥本海默"),
])
def test_a_looked_up_value_is_read_as_the_partner_writes_it(understander: Understander, text: str, slot: str,
                                                            read_as: str) -> None:
    read = understander.understand(text, _noon())
    assert [i.slots.get(slot) for i in read.intents] == [read_as]


async def test_a_traditional_order_is_ordered(home: Path, understander: Understander) -> None:
    write_profile(home, "CN")
    async with in_memory_partners(home, "CN") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              understander=understander, clock=_noon)
        shown = await take_turn(assistant, "幫我點兩份餃子送到辦公室")
        done = await take_turn(assistant, "好的", shown.conversation_id)
    assert [t.state for t in done.tasks if t.intent == "order_food"] == [TaskState.DONE], done.text
    assert partner_rows(home, "kuaisong.food", "SELECT * FROM orders"), done.text
