"""An appointment kept in traditional characters (as typed: 鋼琴課) is named by the words of a cancellation said in
simplified ones (取消我的钢琴课的日程; speech writes those): the one=true step's check (generic._names) reads both in
simplified characters. Before, the partner's search found it (store.words_match reads both scripts) and the check
then said the words name none of what it found: the user was asked which, listing the very appointment they named.
The card names it and nothing is deleted before the yes. The phrasing is my own (dialog18)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


async def test_an_appointment_kept_in_traditional_characters_is_named_by_simplified_words(home: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    write_profile(home, "CN")
    async with in_memory_partners(home, "CN") as partners:
        add = next(name for name, spec in partners.specs.items() if spec.tool == "add_event")
        kept = await partners.call(add, {"title": "鋼琴課", "starts_at": f"{tomorrow}T15:00"}, "test-add-1")
        assert kept.ok, kept.text
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home),
                              clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
        card = await take_turn(assistant, "取消我的钢琴课的日程")
        before = partner_rows(home, "tandem.office", "SELECT title FROM events")
        done = await take_turn(assistant, "好的", card.conversation_id)
        after = partner_rows(home, "tandem.office", "SELECT title FROM events")
    assert [(t.intent, t.state) for t in card.tasks] == [("cancel_calendar_event", TaskState.AWAITING_CONFIRMATION)]
    call = card.tasks[0].call
    assert call is not None and call.summary["event"] == "鋼琴課"  # as kept
    assert before == [{"title": "鋼琴課"}] and after == []
    assert [t.state for t in done.tasks] == [TaskState.DONE]
