"""A pizza and cinema tickets shown; the pizza bought, then "and the tickets too", "und die Karten auch", "票也要"
(answers.toml ``also``). Before, it was a new request ("Sorry, I did not get that.", or tickets asked about anew).

What users expect: a confirmation they declined ("only the pizza" declined the tickets) is not bought on a vague
"too": it is prepared anew with the same values and shown for a fresh yes. One that still waits ("yes, the pizza",
"yes": the tickets were never answered) is shown again; the next yes buys exactly what was shown. Nothing is bought on
the "too" itself, nor on a question, a refusal, a number, a time or a condition beside it.

The replies are my own probes (dialog16, session 25), none from a bench set."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.spoken import plainly
from tandem.agent.tasks import Task, TaskState
from tests.agent.conftest import partner_rows
from tests.agent.conversing import talking

pytestmark = pytest.mark.anyio

_TWO = {"DE": "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr",
        "EN": "Order me a pizza to the office and book two cinema tickets for Dune today at 8 pm",
        "CN": "帮我点一份披萨送到办公室，再订两张今晚八点的沙丘电影票"}
_CINEMA = {"EN": "lichtspiel.cinema", "DE": "lichtspiel.cinema", "CN": "guangying.cinema"}
_ONLY = {"EN": "only the pizza", "DE": "nur die Pizza", "CN": "只要披萨"}
_CHOOSE = {"EN": "yes, the pizza", "DE": "ja, die Pizza", "CN": "披萨可以"}
_YES = {"EN": "yes", "DE": "ja", "CN": "好的"}

_TOO = {  # said after the pizza was bought: the tickets asked for after all
    "EN": ["and the tickets too", "the tickets too", "the cinema tickets as well", "and the tickets as well please",
           "yes, the tickets too", "also the tickets", "the tickets too, thanks"],
    "DE": ["und die Karten auch", "die Kinokarten auch", "die Karten auch noch", "und die Kinokarten bitte auch",
           "ja, die Karten auch", "die Karten ebenfalls", "und die Kinokarten dazu"],
    "CN": ["票也要", "电影票也要", "还有电影票", "电影票也要吧", "票也要，谢谢", "电影票也订吧", "好的，票也要"],
}

_NOT_TOO = {  # said after the pizza was bought: nothing asked for again, nothing bought
    "EN": ["the tickets too?", "not the tickets too", "and three tickets too", "the tickets too, but tomorrow",
           "the tickets too if it's not too late", "and the tickets too, maybe", "no, not the tickets too"],
    "DE": ["die Karten auch?", "die Karten auch nicht", "und drei Karten auch", "die Karten auch, aber morgen",
           "die Karten auch, wenn es noch geht", "die Karten vielleicht auch", "nein, die Karten auch nicht"],
    "CN": ["票也要吗", "票也不要", "也要三张票", "票也要，不过明天", "票要是还有的话也要", "票也许也要",
           "不，票也不要"],
}


@contextlib.asynccontextmanager
async def _pizza_bought(home: Path, lang: str, *, declined: bool) -> AsyncIterator[tuple[Assistant, str]]:
    """A pizza and tickets shown and the pizza bought: the tickets declined ("only the pizza") or still waiting
    ("yes, the pizza", then "yes")."""
    async with talking(home, lang) as (assistant, _):
        conversation = (await take_turn(assistant, _TWO[lang])).conversation_id
        for said in [_ONLY[lang]] if declined else [_CHOOSE[lang], _YES[lang]]:
            await take_turn(assistant, said, conversation)
        states = {t.intent: t.state for t in assistant.tasks(conversation)}
        assert states == {"order_food": TaskState.DONE, "buy_movie_tickets":
                          TaskState.CANCELLED if declined else TaskState.AWAITING_CONFIRMATION}
        yield assistant, conversation


def _tickets(assistant: Assistant, conversation: str) -> Task:
    return next(t for t in assistant.tasks(conversation) if t.intent == "buy_movie_tickets")


def test_an_also_word_beside_at_most_a_yes_adds_and_nothing_else_does() -> None:
    adds = ["too", "and too", "yes too", "as well please", "auch", "und auch", "ja auch", "auch noch", "也要", "还有",
            "也要吧", "好的也要"]
    not_adds = ["not too", "only too", "too maybe", "nicht auch", "auch nicht", "nur auch", "也不要", "也许也要",
                "too if late", "auch wenn", "要是有也要"]
    assert [p for p in adds if plainly(p) != "also"] == []
    assert {p: plainly(p) for p in not_adds if plainly(p) == "also"} == {}


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_declined_confirmation_asked_for_too_is_prepared_anew_for_a_fresh_yes(home: Path, lang: str) -> None:
    async with _pizza_bought(home, lang, declined=True) as (assistant, conversation):
        declined = _tickets(assistant, conversation)
        too = await take_turn(assistant, _TOO[lang][0], conversation)
        assert [(t.intent, t.state) for t in too.tasks] == [("buy_movie_tickets", TaskState.AWAITING_CONFIRMATION)]
        assert too.tasks[0].id != declined.id and too.tasks[0].call is not None and declined.call is not None
        assert too.tasks[0].call.arguments == declined.call.arguments  # the same showing, count and holder
        assert partner_rows(home, _CINEMA[lang], "SELECT * FROM orders") == []  # nothing bought on "too"
        bought = await take_turn(assistant, _YES[lang], conversation)
        assert [(t.id, t.state) for t in bought.tasks] == [(too.tasks[0].id, TaskState.DONE)]
        assert len(partner_rows(home, _CINEMA[lang], "SELECT * FROM orders")) == 1


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_every_way_of_saying_too_asks_anew_and_buys_nothing(home: Path, lang: str) -> None:
    """Each reply of _TOO after the tickets were declined: a fresh confirmation of the tickets, nothing bought. Each
    is said in a conversation of its own (the first "too" would leave the tickets waiting for the next)."""
    async with _pizza_bought(home, lang, declined=True) as (assistant, _):
        conversations = {}
        for said in _TOO[lang]:
            conversation = (await take_turn(assistant, _TWO[lang])).conversation_id
            await take_turn(assistant, _ONLY[lang], conversation)
            conversations[said] = (await take_turn(assistant, said, conversation)).tasks
        assert {said: [(t.intent, t.state) for t in tasks] for said, tasks in conversations.items()} == {
            said: [("buy_movie_tickets", TaskState.AWAITING_CONFIRMATION)] for said in _TOO[lang]}
        assert partner_rows(home, _CINEMA[lang], "SELECT * FROM orders") == []


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_question_refusal_number_time_or_condition_beside_too_asks_nothing_anew(home: Path,
                                                                                      lang: str) -> None:
    async with _pizza_bought(home, lang, declined=True) as (assistant, conversation):
        declined = _tickets(assistant, conversation).call
        said = {reply: (await take_turn(assistant, reply, conversation)).tasks for reply in _NOT_TOO[lang]}
        made_again = [reply for reply, tasks in said.items()
                      if any(t.call and declined and t.call.arguments == declined.arguments for t in tasks)]
    assert declined is not None and made_again == []  # none is the declined tickets made again
    assert partner_rows(home, _CINEMA[lang], "SELECT * FROM orders") == []


@pytest.mark.parametrize("lang", ["EN", "DE", "CN"])
async def test_a_waiting_confirmation_asked_for_too_is_shown_again_and_bought_on_the_yes(home: Path,
                                                                                       lang: str) -> None:
    async with _pizza_bought(home, lang, declined=False) as (assistant, conversation):
        waiting = _tickets(assistant, conversation)
        too = await take_turn(assistant, _TOO[lang][1], conversation)
        bought_on_too = partner_rows(home, _CINEMA[lang], "SELECT * FROM orders")
        await take_turn(assistant, _YES[lang], conversation)
        tasks = assistant.tasks(conversation)
    assert [(t.id, t.state) for t in too.tasks] == [(waiting.id, TaskState.AWAITING_CONFIRMATION)]
    assert bought_on_too == [] and len(tasks) == 2  # no task made of the "too"
    assert len(partner_rows(home, _CINEMA[lang], "SELECT * FROM orders")) == 1


async def test_too_while_one_is_asked_shows_both_and_the_yes_buys_both(home: Path) -> None:
    """"ja, die Pizza" asks a yes to the pizza; "und die Kinokarten auch" adds the waiting tickets: both shown again,
    nothing bought, and the next yes buys exactly the two."""
    async with talking(home, "DE") as (assistant, _):
        conversation = (await take_turn(assistant, _TWO["DE"])).conversation_id
        await take_turn(assistant, "ja, die Pizza", conversation)
        both = await take_turn(assistant, "und die Kinokarten auch", conversation)
        assert sorted(t.intent for t in both.tasks) == ["buy_movie_tickets", "order_food"]
        assert {t.state for t in both.tasks} == {TaskState.AWAITING_CONFIRMATION}
        assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
        bought = await take_turn(assistant, "ja", conversation)
        assert {t.state for t in bought.tasks} == {TaskState.DONE} and len(bought.tasks) == 2
        assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
