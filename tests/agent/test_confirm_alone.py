"""A pizza and cinema tickets shown for confirmation, a reply that chooses some with a word that means "this and
nothing else" ("nur die Pizza, nicht das Kino", "just the pizza", "只要披萨，不要电影"; answers.toml ``alone``): a yes
to exactly those and a no to the others. Before, it was asked again (or read as a refusal). A condition, a doubt, a no
beside it, a change (a number, a time) or a choice of all of them still decides nothing (``_decided`` is None).

The replies are my own probes (dialog15, session 24), none from a bench set: per language 11 that decide and 8 that
must not. They are read without buying (``_decided`` only reads); test_confirm_which buys on three of them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import _decided, take_turn
from tandem.agent.tasks import Task, TaskState
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_TWO = {"DE": "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr",
        "EN": "Order me a pizza to the office and book two cinema tickets for Dune today at 8 pm",
        "CN": "帮我点一份披萨送到办公室，再订两张今晚八点的沙丘电影票"}

_PIZZA, _TICKETS = "order_food", "buy_movie_tickets"

_DECIDING = {  # reply -> the one bought (the other declined)
    "EN": {"only the pizza, not the cinema": _PIZZA, "just the pizza": _PIZZA, "only the pizza": _PIZZA,
           "just the pizza please": _PIZZA, "yes, only the pizza": _PIZZA, "only the pizza, no cinema": _PIZZA,
           "I only want the pizza": _PIZZA, "just the tickets": _TICKETS,
           "only the cinema tickets, not the pizza": _TICKETS, "ok, just the cinema": _TICKETS,
           "the pizza only, thanks": _PIZZA},
    "DE": {"nur die Pizza, nicht das Kino": _PIZZA, "nur die Pizza": _PIZZA, "bloß die Pizza": _PIZZA,
           "ja, nur die Pizza": _PIZZA, "ich möchte nur die Pizza": _PIZZA, "nur die Kinokarten, keine Pizza": _TICKETS,
           "lediglich die Pizza, danke": _PIZZA, "nur das Kino": _TICKETS, "nur die Pizza bitte": _PIZZA,
           "ich will nur die Pizza, das Kino nicht": _PIZZA, "okay, nur die Kinokarten": _TICKETS},
    "CN": {"只要披萨，不要电影": _PIZZA, "只要披萨": _PIZZA, "只要电影票": _TICKETS, "好的，只要披萨": _PIZZA,
           "我只要披萨": _PIZZA, "只确认电影票，不要披萨": _TICKETS, "披萨就要，电影不要了": _PIZZA, "仅要披萨": _PIZZA,
           "只订电影票": _TICKETS, "只点披萨": _PIZZA, "只要披萨吧": _PIZZA},
}

_UNDECIDED = {  # a condition, a doubt, a no beside the choice, all of them chosen, a change
    "EN": ["only the pizza if it's still hot", "not only the pizza", "no, only the pizza",
           "only the pizza and the cinema",
           "just the pizza, the cinema maybe later", "only one pizza", "just the pizza tomorrow",
           "only the pizza, not sure about the cinema"],
    "DE": ["nur die Pizza, wenn sie noch warm ist", "nein, nur die Pizza", "nicht nur die Pizza",
           "nur die Pizza und das Kino", "nur eine Pizza", "nur die Pizza, beim Kino bin ich unsicher",
           "nur die Pizza morgen", "vielleicht nur die Pizza"],
    "CN": ["披萨要是还热的话就要", "只要披萨还热就要", "不只要披萨", "只要披萨和电影", "只要一份披萨",
           "只要披萨，电影再说", "明天只要披萨", "不，只要披萨"],
}


@contextlib.asynccontextmanager
async def _two_asked(home: Path, lang: str) -> AsyncIterator[tuple[Assistant, list[Task]]]:
    async with talking(home, lang) as (assistant, _):
        shown = await take_turn(assistant, _TWO[lang])
        assert [t.state for t in shown.tasks] == [TaskState.AWAITING_CONFIRMATION] * 2
        yield assistant, list(shown.tasks)


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_only_this_is_a_yes_to_it_and_a_no_to_the_rest(home: Path, lang: str) -> None:
    async with _two_asked(home, lang) as (assistant, asked):
        read = {reply: _decided(assistant, asked, reply) for reply in _DECIDING[lang]}
    wrong = {reply: found for reply, found in read.items()
             if found is None or [t.intent for t in found[0]] != [_DECIDING[lang][reply]]
             or [t.intent for t in found[1]] != [i for i in (_PIZZA, _TICKETS) if i != _DECIDING[lang][reply]]}
    assert not wrong


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_condition_or_a_doubt_beside_only_decides_nothing(home: Path, lang: str) -> None:
    async with _two_asked(home, lang) as (assistant, asked):
        decided = {reply: found for reply in _UNDECIDED[lang] if (found := _decided(assistant, asked, reply))}
    assert not decided


_REFUSING = {  # a plain refusal of one: declined, the other still waits (before "cancel the pizza" was asked a yes to
    # the pizza: "Shall I go ahead with only this?", found walking `tandem ask` in en)
    "EN": {"cancel the pizza": _PIZZA, "no pizza": _PIZZA, "not the cinema": _TICKETS, "no pizza please": _PIZZA},
    "DE": {"keine Pizza": _PIZZA, "das Kino nicht": _TICKETS, "die Pizza abbrechen": _PIZZA,
           "nicht das Kino": _TICKETS},
    "CN": {"不要披萨": _PIZZA, "电影票不要了": _TICKETS, "取消披萨": _PIZZA, "电影不要": _TICKETS},
}


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_plain_refusal_of_one_declines_it_and_buys_nothing(home: Path, lang: str) -> None:
    async with _two_asked(home, lang) as (assistant, asked):
        read = {reply: _decided(assistant, asked, reply) for reply in _REFUSING[lang]}
        shown = await take_turn(assistant, next(iter(_REFUSING[lang])), asked[0].conversation_id)
    assert {reply: found and ([t.intent for t in found[0]], [t.intent for t in found[1]])
            for reply, found in read.items()} == {reply: ([], [one]) for reply, one in _REFUSING[lang].items()}
    assert {t.intent: t.state for t in shown.tasks} == {_PIZZA: TaskState.CANCELLED,
                                                        _TICKETS: TaskState.AWAITING_CONFIRMATION}
