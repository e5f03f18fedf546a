"""A film named in another language than the partner's (walk4 W4-11): a Chinese user in Berlin asked for "沙丘" and the
Lichtspiel cinema, which lists "Dune", answered that it does not show it. The catalog gives a film's titles in every
language it names it in, and the agent reads all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.tasks import TaskState
from tandem.app.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import write_profile

pytestmark = pytest.mark.anyio


async def test_a_film_said_in_the_users_language_is_found_in_the_partners(home: Path) -> None:
    write_profile(home, "DE")
    async with open_assistant(load_settings(region="DE")) as assistant:
        reply = await assistant.ask("订两张今晚八点的沙丘电影票")
        (task,) = reply.tasks
        assert task.intent == "buy_movie_tickets" and task.state == TaskState.AWAITING_CONFIRMATION, reply.text
        assert task.call is not None and task.call.summary["film"] == "Dune" and task.call.summary["tickets"] == 2
