"""A request put as a plea or a question ("能不能提醒我…", "可不可以…", "是不是可以帮我…": Chinese asks politely with an
A-not-A question) is read as the request it frames: the templates read it without the frame's words
(chat_examples.toml ``[frames]``), as they read a formal German imperative in the familiar one (review29 R29-18: each
was no task). Questions that frame no request stay chat. Rows marked "review29" are the review's reproductions; the
others are und22's own variants."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import Understander

_NOON = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "wanted"), [
    ("能不能提醒我六点给妈妈打电话", ("set_reminder", "todo", "给妈妈打电话")),  # review29 R29-18
    ("是不是可以帮我记一下：明天交报告", ("take_note", "text", "明天交报告")),  # review29 R29-18
    ("可不可以提醒我明天早上七点起床", ("set_reminder", "todo", "起床")),
    ("能不能帮我记一下：周五交房租", ("take_note", "text", "周五交房租")),
    ("是不是可以提醒我八点吃药", ("set_reminder", "todo", "吃药")),
])
def test_a_plea_is_the_request_it_frames(understander: Understander, text: str, wanted: tuple[str, str, str]) -> None:
    read = understander.understand(text, _NOON)
    name, slot, said = wanted
    assert [(i.name, i.slots.get(slot)) for i in read.intents] == [(name, said)]


@pytest.mark.parametrize("text", ["能不能告诉我今天天气怎么样", "可不可以给我讲个笑话"])
def test_a_question_that_frames_no_request_stays_chat(understander: Understander, text: str) -> None:
    assert understander.understand(text, _NOON).intents == ()
