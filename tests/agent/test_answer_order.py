"""Two tasks asking at once: the user's next line answers the question shown first (walk3 W3-5: on a fresh device the
flagship sentence asked the food order's phone number and then the cinema's city; "+49 30 9876543" went to the city
question, the cinema partner got the user's phone number as a city and the task failed). The reference partners are
served in this process (``in_process``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.profile import load_profile
from tandem.agent.tasks import TaskState
from tandem.app.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.in_process import in_process  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("in_process")]  # the reference partners in this process


async def test_the_next_line_answers_the_question_shown_first(home: Path) -> None:
    async with open_assistant(load_settings(region="DE")) as assistant:
        first = await assistant.ask("Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr")
        food, cinema = first.tasks
        assert (food.missing, cinema.missing) == ("profile.name", "profile.name")
        named = await assistant.ask("Maria Beispiel", first.conversation_id)
        shown = named.text.splitlines()
        food, cinema = (assistant.journal.task(t.id) for t in first.tasks)
        asked = {food.missing, cinema.missing}
        # the city is asked after the other details (the office's address, asked next, names it: a680e8d)
        assert asked == {"profile.phone", "profile.city"} and len(shown) == 1, named.text
        assert shown[0].startswith(f"[{food.id}]") and food.missing == "profile.phone", named.text
        await assistant.ask("+49 30 9876543", first.conversation_id)  # walk3 W3-5: it became the cinema's city
        after = {t.id: assistant.journal.task(t.id) for t in first.tasks}
        assert after[food.id].missing != food.missing  # the question shown was answered
        assert after[cinema.id].missing == cinema.missing and after[cinema.id].state == TaskState.NEEDS_INFO
    profile = load_profile(home)
    assert (profile.phone, profile.city) == ("+49 30 9876543", "")
