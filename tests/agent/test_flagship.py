"""The sentence from the issue, in German, English and Chinese, against the real reference partner MCP
servers (separate processes, over stdio) with no cloud configured: two confirmed orders, in the
partners' own databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.agent.tasks import TaskState
from tandem.api.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows, write_profile

pytestmark = pytest.mark.anyio

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
