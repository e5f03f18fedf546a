"""A value read short is read whole again when the partner finds nothing by it (review R21-1): the partners' examples
say '{film} im {cinema}', so 'Mord im Orient-Express' is read as the film 'Mord' at a cinema 'Orient-Express'; no
cinema of that name shows it, the whole title names the film. On the generic execution path, for any capability: a
preparation that asks again for a value, or finds nothing, is tried once more with the words as the user said them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.assistant import Assistant
from tandem.agent.journal import Journal
from tandem.agent.profile import load_profile
from tandem.agent.tasks import Task, TaskState
from tests.agent.conftest import schedule_film, write_profile
from tests.agent.toolsets import in_memory_partners

pytestmark = pytest.mark.anyio


async def _asked(home: Path, film: str, sentence: str) -> Task:
    """The one task of ``sentence`` said to an assistant over the in-memory partners, ``film`` showing today (DE)."""
    schedule_film(home, "DE", film, film)
    write_profile(home, "DE")
    async with in_memory_partners(home) as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"), profile=load_profile(home))
        (task,) = (await assistant.ask(sentence)).tasks
        return task


@pytest.mark.parametrize("title", ["Mord im Orient-Express", "Ein Amerikaner in Paris"])
async def test_a_title_the_examples_would_cut_finds_its_film(home: Path, title: str) -> None:
    task = await _asked(home, title, f"Zwei Kinokarten für {title} heute um 20 Uhr")
    assert task.state == TaskState.AWAITING_CONFIRMATION, task.question
    assert task.call is not None and task.call.summary["film"] == title
    assert task.slots["film"] == title and not task.slots.get("cinema")  # what the call was made with


async def test_a_film_at_a_named_cinema_stays_cut(home: Path) -> None:
    """'Dune im Lichtspiel Alexanderplatz': the cut reading finds the showing there, so it stands."""
    task = await _asked(home, "Dune", "Zwei Kinokarten für Dune im Lichtspiel Alexanderplatz heute um 20 Uhr")
    assert task.call is not None and task.call.summary["film"] == "Dune", task.question
    assert task.slots["cinema"] == "Lichtspiel Alexanderplatz"


async def test_a_cut_reading_that_stops_on_another_value_stays_cut(home: Path) -> None:
    """No count said: the cut reading asks how many (review R22-3), it found nothing wanting; the film stays 'Dune'."""
    task = await _asked(home, "Dune", "Kinokarten für Dune im Lichtspiel Alexanderplatz heute um 20 Uhr")
    assert task.missing == "count"
    assert task.slots["film"] == "Dune" and task.slots["cinema"] == "Lichtspiel Alexanderplatz"
