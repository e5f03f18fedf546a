"""A conversation in traditional Chinese (reread26 M4 and H4): the user's own words are kept as typed (a note, a
reminder), what a partner looks up is read simplified, as the partner's menu writes it, and the order goes through.
Own sentences, none from a bench set; the reference partners run in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.tasks import TaskState
from tandem.app.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.in_process import in_process  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("in_process")]


async def test_a_note_is_kept_as_typed_and_a_dish_is_ordered_as_the_menu_writes_it(home: Path) -> None:
    pytest.importorskip("opencc")
    write_profile(home, "CN")
    async with open_assistant(load_settings(region="CN")) as assistant:
        noted = await assistant.ask("記一下：乾隆皇帝的書在書房")
        (note,) = noted.tasks
        if note.state == TaskState.AWAITING_CONFIRMATION:
            note = (await assistant.ask("好", noted.conversation_id)).tasks[0]
        assert note.state == TaskState.DONE, noted.text
        ordered = await assistant.ask("幫我點兩份餃子送到辦公室")
        (food,) = ordered.tasks
        assert food.state == TaskState.AWAITING_CONFIRMATION, ordered.text
        done = await assistant.confirm(food.confirmation_id or "")
        assert done.state == TaskState.DONE, done.result
    notes = partner_rows(home, "tandem.office", "SELECT * FROM notes")
    assert [n["body"] for n in notes] == ["乾隆皇帝的書在書房"]
    (order,) = partner_rows(home, "kuaisong.food", "SELECT * FROM orders")
    assert "饺子" in str(order)


async def test_a_traditional_title_is_kept_and_found_again(home: Path) -> None:
    """A calendar entry and a note saved as typed are found by what is said later, which is read simplified (the
    partner's search reads both scripts alike: tandem.partners.store.words_match)."""
    pytest.importorskip("opencc")
    write_profile(home, "CN")
    async with open_assistant(load_settings(region="CN")) as assistant:
        added = await assistant.ask("星期五下午三點上鋼琴課，記到日曆裡")
        (event,) = added.tasks
        if event.state == TaskState.AWAITING_CONFIRMATION:
            event = await assistant.confirm(event.confirmation_id or "")
        assert event.state == TaskState.DONE, added.text
        (saved,) = partner_rows(home, "tandem.office", "SELECT * FROM events")
        assert "鋼琴課" in saved["title"]
        reminded = await assistant.ask("提醒我明天下午三點去郵局寄書")
        (reminder,) = reminded.tasks
        if reminder.state == TaskState.AWAITING_CONFIRMATION:
            reminder = await assistant.confirm(reminder.confirmation_id or "")
        assert reminder.state == TaskState.DONE, reminded.text
        (kept,) = partner_rows(home, "tandem.office", "SELECT * FROM reminders")
        assert kept["text"] == "去郵局寄書"
        cancelled = await assistant.ask("取消星期五的鋼琴課")
        (cancel,) = cancelled.tasks
        assert cancel.state == TaskState.AWAITING_CONFIRMATION, cancelled.text
        assert (await assistant.confirm(cancel.confirmation_id or "")).state == TaskState.DONE
    assert partner_rows(home, "tandem.office", "SELECT * FROM events") == []
