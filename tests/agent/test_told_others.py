"""A Chinese clause that someone else of the user's opens after a possessive ("我哥点了两份饺子送到公司", "我妈订了…",
"我们老板…") tells what they did, as one opened by "同事" does (told.toml zh ``others``, ``owners``): review30 R30-5
rest, "我哥点了两份饺子送到公司" + 好的 placed an order at 128c96c. A request for them ("帮他点一份饺子") and a clause
the user opens ("我想点两份饺子") still ask. Phrasings are review30's, dialog22's and money22's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.confirming import take_turn
from tandem.agent.learned import familiar
from tandem.agent.told import told
from tandem.agent.understand import Understander
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio


async def test_what_the_users_brother_ordered_is_not_ordered_again(home: Path, understander: Understander) -> None:
    async with talking(home, "CN", understander) as (assistant, _):
        said = await take_turn(assistant, "我哥点了两份饺子送到公司")
        await take_turn(assistant, "好的", said.conversation_id)
    assert partner_rows(home, "kuaisong.food", "SELECT id FROM orders") == [], said.text


@pytest.mark.parametrize(("text", "tells"), [
    ("我哥点了两份饺子送到公司", True), ("我妈订了两张电影票", True), ("我的同事已经买了票", True),
    ("我们老板取消了外卖", True), ("同事已经帮我点了一份饺子送到公司", True),
    ("帮我点一份饺子送到公司", False), ("我想点两份饺子", False), ("帮我哥点一份饺子送到公司", False),
    ("我哥想看电影，帮我买两张今晚八点沙丘的电影票", False)])
def test_a_clause_someone_of_the_users_opens_tells(text: str, tells: bool) -> None:
    assert told(text, "zh", familiar(tuple(shipped()), "zh")[0]) is tells


async def test_a_question_whether_the_assistant_ordered_orders_nothing(home: Path, understander: Understander) -> None:
    """review31 R31-11: 'hast du die Pizza ins Büro bestellt?' + ja ordered a pizza (told.toml de helpers lacked the
    second person: "hast", "hattest", "bist", "warst")."""
    async with talking(home, "DE", understander) as (assistant, _):
        said = await take_turn(assistant, "hast du die Pizza ins Büro bestellt?")
        await take_turn(assistant, "ja", said.conversation_id)
    assert partner_rows(home, "gabelpost.food", "SELECT id FROM orders") == [], said.text


@pytest.mark.parametrize(("text", "tells"), [("hast du die Pizza ins Büro bestellt?", True),
                                             ("hast du die Pizza storniert?", True),
                                             ("bestell eine Pizza ins Büro", False)])
def test_a_german_question_in_the_second_person_perfect_tells(text: str, tells: bool) -> None:
    assert told(text, "de", familiar(tuple(shipped()), "de")[0]) is tells
