"""Every shipped capability asked for in English, German and Chinese (issue 14 "What to build" 1 and 3), through the
real assistant and the shipped reference partners as their own MCP processes: a committing tool is proposed with a
summary from the partner's answers and done only after the yes, in the partner's own database; a read-only one
(a route, a product search, the reminders) is answered at once, with no confirmation; a calendar entry, a note and a
reminder are written to the office partner. Follow-ups on the user's own orders: tests/agent/test_followup.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.reply import describe
from tandem.agent.tasks import Task, TaskState
from tandem.app.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows, write_profile

pytestmark = pytest.mark.anyio

# (what the user says, the capability, the partner's table a done task adds a row to, whether it is confirmed first)
DE = [
    ("Order me a pizza to the office", "order_food", ("gabelpost.food", "orders"), True),
    ("Bestell mir eine Pizza ins Büro", "order_food", ("gabelpost.food", "orders"), True),
    ("book two cinema tickets for Dune today at 8 pm", "buy_movie_tickets", ("lichtspiel.cinema", "orders"), True),
    ("buch zwei Kinokarten für Dune heute um 20 Uhr", "buy_movie_tickets", ("lichtspiel.cinema", "orders"), True),
    ("book two concert tickets for Nordlicht Quartett", "buy_event_tickets", ("rangplatz.tickets", "orders"), True),
    ("buch zwei Konzertkarten für Nordlicht Quartett", "buy_event_tickets", ("rangplatz.tickets", "orders"), True),
    ("how do i get from Brandenburger Tor to Alexanderplatz", "find_route", None, False),
    ("wie komme ich vom Brandenburger Tor zum Alexanderplatz", "find_route", None, False),
    ("search for a powerbank", "search_products", None, False),
    ("was kostet eine Powerbank", "search_products", None, False),
    ("buy a powerbank and have it shipped to my home", "buy_product", ("korbwerk.shopping", "orders"), True),
    ("kauf mir eine Powerbank und lass sie nach Hause liefern", "buy_product", ("korbwerk.shopping", "orders"), True),
    ("add a meeting with Anna tomorrow at 10 to my calendar", "add_calendar_event", ("tandem.office", "events"), False),
    ("trag mir morgen um 10 Zahnarzt in meinen Kalender ein", "add_calendar_event", ("tandem.office", "events"), False),
    ("note to self buy oat milk", "take_note", ("tandem.office", "notes"), False),
    ("neue Notiz Hafermilch kaufen", "take_note", ("tandem.office", "notes"), False),
    ("remind me to water the plants tomorrow at 9", "set_reminder", ("tandem.office", "reminders"), False),
    ("Erinnere mich morgen um 9 an den Zahnarzt", "set_reminder", ("tandem.office", "reminders"), False),
    ("show my reminders", "show_reminders", None, False),
    ("zeig meine Erinnerungen", "show_reminders", None, False),
]
CN = [
    ("帮我点一份披萨送到办公室", "order_food", ("kuaisong.food", "orders"), True),
    ("订两张今晚八点的沙丘电影票", "buy_movie_tickets", ("guangying.cinema", "orders"), True),
    ("帮我订两张星河乐队新年演唱会的门票", "buy_event_tickets", ("piaogen.tickets", "orders"), True),
    ("从天安门广场到故宫怎么走", "find_route", None, False),
    ("搜一下移动电源", "search_products", None, False),
    ("买一个移动电源送到家", "buy_product", ("haowuji.shopping", "orders"), True),
    ("把明天上午十点的牙医预约加到日历里", "add_calendar_event", ("tandem.office", "events"), False),
    ("记一下：买燕麦奶", "take_note", ("tandem.office", "notes"), False),
    ("明天早上九点提醒我浇花", "set_reminder", ("tandem.office", "reminders"), False),
    ("我的提醒有哪些", "show_reminders", None, False),
]


def _rows(home: Path, table: tuple[str, str] | None) -> int:
    return len(partner_rows(home, table[0], f"SELECT * FROM {table[1]}")) if table else 0


async def _run(assistant: Assistant, home: Path, said: str, intent: str, table: tuple[str, str] | None,
               confirmed: bool) -> Task:
    before = _rows(home, table)
    reply = await assistant.ask(said)
    assert [t.intent for t in reply.tasks] == [intent], (said, reply.text)
    (task,) = reply.tasks
    if confirmed:
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None, (said, task)
        assert task.call.transactional and _rows(home, table) == before, said  # nothing before the yes
        task = await assistant.confirm(task.confirmation_id or "")
    assert task.state == TaskState.DONE and task.call is not None, (said, task)
    assert task.call.transactional == confirmed, said
    assert _rows(home, table) == before + (1 if table else 0), said  # one row in the partner's own database
    return task


@pytest.mark.parametrize(("region", "cases"), [("DE", DE), ("CN", CN)])
async def test_every_shipped_capability_in_its_languages(home: Path, region: str,
                                                          cases: list[tuple[str, str, tuple[str, str] | None, bool]]
                                                          ) -> None:
    write_profile(home, region)
    async with open_assistant(load_settings(region=region)) as assistant:
        for said, intent, table, confirmed in cases:
            task = await _run(assistant, home, said, intent, table, confirmed)
            if intent == "find_route":  # answered with a route card: the route's facts, not only "done"
                assert task.result["found"] and "minutes: " in describe(task), said
            if intent in ("search_products", "show_reminders"):
                assert isinstance(task.result, list) and task.result, said
