"""The sentence from the issue, in German, English and Chinese, against the real reference partner MCP
servers with no cloud configured: two confirmed orders, in the partners' own databases. The servers run in this
process (``in_process``: the app's own connections, over in-memory streams); starting them as processes is tested in
tests/services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tandem.api.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows, write_profile
from tests.agent.in_process import in_process  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("in_process")]  # the reference partners in this process

CASES = [
    ("DE", "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr",
     "gabelpost.food", "lichtspiel.cinema", "Dune"),
    ("DE", "Order me a pizza to the office and book two cinema tickets for Dune today at 8 pm",
     "gabelpost.food", "lichtspiel.cinema", "Dune"),
    ("CN", "帮我点一份披萨送到办公室，再订两张今晚八点的沙丘电影票", "kuaisong.food", "guangying.cinema", "沙丘"),
]


@pytest.mark.parametrize(("region", "sentence", "food", "cinema", "title"), CASES)
async def test_one_sentence_two_confirmed_orders(home: Path, region: str, sentence: str, food: str, cinema: str,
                                                 title: str) -> None:
    write_profile(home, region)  # the shipped catalog already shows Dune at 20:00: nothing is scheduled here
    settings = load_settings(region=region)
    assert not (home / "endpoints.toml").exists()  # no cloud configured
    async with open_assistant(settings) as assistant:
        reply = await assistant.ask(sentence)
        assert reply.understanding is not None and reply.understanding.tier == "fast"
        assert [t.intent for t in reply.tasks] == ["order_food", "buy_movie_tickets"]
        assert all(t.state == TaskState.AWAITING_CONFIRMATION for t in reply.tasks)
        # Nothing is bought before the user says yes.
        assert partner_rows(home, food, "SELECT * FROM orders") == []
        assert partner_rows(home, cinema, "SELECT * FROM orders") == []
        food_task, movie_task = reply.tasks
        assert movie_task.call is not None and movie_task.call.summary["tickets"] == 2
        assert movie_task.call.summary["starts_at"].endswith("20:00")
        assert food_task.call is not None and food_task.call.summary["address"] == "Friedrichstraße 100"
        done = [await assistant.confirm(t.confirmation_id or "") for t in reply.tasks]
    assert [t.state for t in done] == [TaskState.DONE, TaskState.DONE]
    food_orders = partner_rows(home, food, "SELECT * FROM orders")
    tickets = partner_rows(home, cinema, "SELECT * FROM orders")
    assert len(food_orders) == 1 and len(tickets) == 1
    assert "披萨" in food_orders[0]["items"] or "Pizza" in food_orders[0]["items"]
    assert food_orders[0]["address"] == "Friedrichstraße 100"
    sql = "SELECT s.starts_at, f.title FROM showtimes s JOIN films f ON f.id = s.film_id WHERE s.id = '{}'"
    (show,) = partner_rows(home, cinema, sql.format(tickets[0]["showtime_id"]))
    assert show["title"] == title and show["starts_at"].endswith("20:00") and len(json.loads(tickets[0]["seats"])) == 2
    assert done[0].result["order_id"] == food_orders[0]["id"] and done[1].result["order_id"] == tickets[0]["id"]


@pytest.mark.parametrize(("region", "sentence", "asked", "address", "city"), [
    ("DE", "Bestell mir eine Pizza ins Büro", "Wie lautet die Adresse deines Büros?",
     "Friedrichstraße 88, 10117 Berlin", "Berlin"),
    ("DE", "Order me a pizza to the office", "What is the address of your office?",
     "Friedrichstraße 88, 10117 Berlin", "Berlin"),
    ("CN", "帮我点一份披萨送到办公室", "你办公室的地址是什么？", "北京市朝阳区建国路88号", "北京"),
    ("DE", "Bestell mir eine Pizza ins Büro", "Wie lautet die Adresse deines Büros?", "Friedrichstraße 100, Berlin",
     "Berlin"),  # walk7 (session 17): without a postcode the city was asked after the address that names it
])
async def test_a_fresh_device_asks_the_offices_address_once_in_words_and_keeps_it_with_its_city(
        home: Path, region: str, sentence: str, asked: str, address: str, city: str) -> None:
    """walk4 W4-2: with no office saved and no city, the order asked "Wie lautet die Adresse (office)?" (the place's
    key in a German sentence), then, answered with a full address, "In welcher Stadt bist du?". Now the question is
    in the user's words, an answer that is no address is asked again, and the address is kept as the office with the
    city it names: the order is proposed at once, and the next order there asks nothing."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text('name = "Alex Muster"\nphone = "+49 30 1234567"\n', encoding="utf-8")
    async with open_assistant(load_settings(region=region)) as assistant:
        (task,) = (await assistant.ask(sentence)).tasks
        assert task.state == TaskState.NEEDS_INFO and task.question == asked, task
        again = await assistant.answer(task.id, "weiß nicht")
        assert again.state == TaskState.NEEDS_INFO and (again.question or "").endswith(asked), again
        proposed = await assistant.answer(task.id, address)
        assert proposed.state == TaskState.AWAITING_CONFIRMATION and proposed.call is not None, proposed
        assert proposed.call.summary["address"] == address
        (second,) = (await assistant.ask(sentence)).tasks
        assert second.state == TaskState.AWAITING_CONFIRMATION, second
    saved = load_profile(home)
    assert saved.places["office"].address == address and saved.places["office"].city == city
    assert partner_rows(home, "gabelpost.food" if region == "DE" else "kuaisong.food", "SELECT * FROM orders") == []


@pytest.mark.parametrize(("region", "sentence", "answers"), [
    ("DE", "Ich hätte gern Sushi ins Büro, und besorg mir drei Kinokarten für Dune heute Abend um acht",
     ["Alex Muster", "+49 30 1234567", "Friedrichstraße 100, 10117 Berlin"]),
    ("CN", "给我办公室送一份饺子，另外买两张今天晚上8点沙丘的票", ["李伟", "13800138000", "北京市朝阳区建国路88号"]),
])
async def test_a_fresh_device_asks_name_phone_and_address_and_no_city_beside_the_address(
        home: Path, region: str, sentence: str, answers: list[str]) -> None:
    """A new user's walk (session 18): the flagship in words of their own asked the name, the phone and the office's
    address, and beside each of the last two the cinema's "In welcher Stadt bist du?" / "你在哪个城市？", which the
    address answers (its city). Only the three questions are asked, each once; both orders are then proposed."""
    from tandem.agent.skills import skill_text

    lang = "zh" if region == "CN" else "de"
    async with open_assistant(load_settings(region=region)) as assistant:
        reply = await assistant.ask(sentence)
        told = [reply.text]
        for answer in answers:
            reply = await assistant.ask(answer, reply.conversation_id)
            told.append(reply.text)
        tasks = assistant.tasks(reply.conversation_id)
    assert all(skill_text("profile.city", lang) not in text for text in told), told
    assert [t.intent for t in tasks] == ["order_food", "buy_movie_tickets"], tasks
    assert tasks[1].state == TaskState.AWAITING_CONFIRMATION, told  # the city came with the address
