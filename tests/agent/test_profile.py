"""A fresh device has no profile: the assistant asks for the name and city in the chat and keeps the
answers in profile.toml; without a payment method the reference partners take labelled test money; the profile is
readable and editable through the CLI and the API, with clear errors for bad input. The reference partners are served
in this process (``in_process``): what is tested is the profile, not starting a partner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from tandem.agent.profile import Profile, load_profile, save_profile
from tandem.agent.tasks import TaskState
from tandem.api.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows
from tests.agent.in_process import in_process  # noqa: F401 (the fixture)
from tests.conftest import LiveServer
from tests.test_cli import tandem

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("in_process")]  # the reference partners in this process
SENTENCE = "book two cinema tickets for Dune on {day} at 8 pm"


def _day() -> str:
    return f"{dt.date.today() + dt.timedelta(days=2):%A}"  # a weekday two days ahead: any hour of the day works


async def test_missing_name_and_city_are_asked_and_kept(home: Path) -> None:
    save_profile(home, Profile(payment_token="tok_test_4242"))
    async with open_assistant(load_settings(region="DE")) as assistant:
        task = (await assistant.ask(SENTENCE.format(day=_day()))).tasks[0]
        assert task.state == TaskState.NEEDS_INFO and task.missing == "profile.name"
        task = await assistant.answer(task.id, "Alex Muster")
        assert task.state == TaskState.NEEDS_INFO and task.missing == "profile.city"
        assert "city" in (task.question or "")
        task = await assistant.answer(task.id, "Berlin")
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        assert task.call.summary["tickets"] == 2 and task.call.summary["holder"] == "Alex Muster"
        done = await assistant.confirm(task.confirmation_id or "")
    assert done.state == TaskState.DONE
    assert load_profile(home) == Profile(name="Alex Muster", payment_token="tok_test_4242", city="Berlin")
    (order,) = partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")
    assert order["holder"] == "Alex Muster"


async def test_a_bad_phone_number_is_asked_again(home: Path) -> None:
    save_profile(home, Profile(name="Alex", payment_token="tok_test_4242", city="Berlin"))
    async with open_assistant(load_settings(region="DE")) as assistant:
        task = (await assistant.ask("Order me a pizza to Kastanienallee 7")).tasks[0]
        assert task.missing == "profile.phone"
        again = await assistant.answer(task.id, "call me maybe")
        assert again.state == TaskState.NEEDS_INFO and "not a phone number" in (again.question or "")
        assert not load_profile(home).phone
        done = await assistant.answer(task.id, "+49 30 1234567")
    assert done.state == TaskState.AWAITING_CONFIRMATION
    assert load_profile(home).phone == "+49 30 1234567"


async def test_a_fresh_device_pays_the_reference_partners_with_labelled_test_money(home: Path) -> None:
    save_profile(home, Profile(name="Alex", city="Berlin"))
    async with open_assistant(load_settings(region="DE")) as assistant:
        task = (await assistant.ask(SENTENCE.format(day=_day()))).tasks[0]
        assert task.state == TaskState.AWAITING_CONFIRMATION and task.call is not None
        assert "test money" in task.call.summary["payment"]
        assert partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders") == []
        done = await assistant.confirm(task.confirmation_id or "")
    assert done.state == TaskState.DONE
    assert len(partner_rows(home, "lichtspiel.cinema", "SELECT * FROM orders")) == 1
    assert not load_profile(home).payment_token  # nothing was made up and kept


def test_cli_sets_shows_and_rejects(home: Path) -> None:
    assert tandem("profile", "set", "name", "Alex Muster", home=home).returncode == 0
    assert tandem("profile", "set", "payment_token", "tok_visa_4242", home=home).returncode == 0
    office = tandem("profile", "set", "places.office", "Friedrichstraße 100", "--city", "Berlin", home=home)
    assert office.returncode == 0
    shown = tandem("profile", "show", home=home).stdout
    assert "Alex Muster" in shown and "…4242" in shown and "tok_visa" not in shown and "Friedrichstraße 100" in shown
    bad = tandem("profile", "set", "shoe_size", "44", home=home)
    assert bad.returncode == 1 and bad.stderr.strip().startswith("error: unknown profile field")
    assert "Traceback" not in bad.stderr
    assert load_profile(home).places["office"].city == "Berlin"


def test_api_reads_and_patches(home: Path, tiny_registry: object) -> None:
    from tandem.api.app import create_app

    with LiveServer(create_app(tiny_registry)) as server:  # type: ignore[arg-type]
        url = f"{server.url}/v1/profile"
        changed = httpx.patch(url, json={"name": "Li Lei", "city": "Beijing", "payment_token": "tok_1234"},
                              headers=server.local)  # the profile needs the user's own credential
        assert changed.status_code == 200 and changed.json()["payment_token"] == "…1234"
        assert httpx.get(url, headers=server.local).json()["name"] == "Li Lei"
        bad = httpx.patch(url, json={"name": "X", "phone": "not a number"}, headers=server.local)
        assert bad.status_code == 400 and "not a phone number" in bad.json()["error"]["message"]
        assert load_profile(home).name == "Li Lei"  # all or nothing: the good field of a bad request is not kept
        broken = httpx.patch(url, content=b"{oops", headers={"content-type": "application/json", **server.local})
        assert broken.status_code == 400 and broken.json()["error"]["type"] == "invalid_request_error"


async def test_an_edit_counts_for_a_running_assistant(home: Path) -> None:
    save_profile(home, Profile(name="Alex", payment_token="tok_test_4242", city="Berlin"))
    async with open_assistant(load_settings(region="DE")) as assistant:
        first = (await assistant.ask(SENTENCE.format(day=_day()))).tasks[0]
        assert first.call is not None and first.call.summary["holder"] == "Alex"
        save_profile(home, Profile(name="Kim Berger", payment_token="tok_test_4242", city="Berlin"))  # CLI, web app
        second = (await assistant.ask(SENTENCE.format(day=_day()))).tasks[0]
    assert second.call is not None and second.call.summary["holder"] == "Kim Berger"


async def test_a_profile_field_two_tasks_need_is_asked_once(home: Path) -> None:
    save_profile(home, Profile(payment_token="tok_test_4242", city="Berlin"))
    sentence = "Bestell mir eine Pizza nach Kastanienallee 7 und buch zwei Kinokarten für Dune heute um 20 Uhr"
    async with open_assistant(load_settings(region="DE")) as assistant:
        reply = await assistant.ask(sentence)
        assert [t.missing for t in reply.tasks] == ["profile.name", "profile.name"]
        assert reply.text.count("Namen") == 1  # one question for both tasks
        after = await assistant.ask("Alex Muster", reply.conversation_id)
        assert {t.id for t in after.tasks} == {t.id for t in reply.tasks}
        assert all(t.missing != "profile.name" for t in after.tasks)
    assert load_profile(home).name == "Alex Muster"
