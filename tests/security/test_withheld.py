"""What a turn tells a caller that may not read the user's details (issue 13): a task acts with the profile and
remembered habits, but a caller without ``admin`` (which reads the profile) is told "your saved office
address", "your name" instead of the values, and one without ``privacy`` (which reads memory) "your usual
cinema" instead of the remembered one: in the reply, the task's summary and slots, earlier turns, the chat
model's answer and the web app's turn. The user's own clients (the local token, the web app's link) see the
values. Before, any local process without a credential read the name, phone and office address of whoever
owns the device from the summary of its own request. A real server with the reference partners."""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.security.conftest import SENTENCE
from tests.security.test_keys import bearer, create_key

UI = {"X-Tandem-UI": "1"}
# What the server's home holds about the user (tests.agent.conftest.write_profile), as it may be written
PROFILE_VALUES = (r"\bAlex\b", r"\bMuster\b", "Friedrichstraße", "Kastanienallee", r"30 ?1234567", "tok_test")
OFFICE_DE, NAME_DE = "deine gespeicherte Büroadresse", "dein Name"


def _withheld(answer: httpx.Response, values: tuple[str, ...] = PROFILE_VALUES) -> None:
    assert answer.status_code == 200, answer.text
    plain = not answer.headers["content-type"].startswith("application/json")  # NDJSON: as it came
    body = answer.text if plain else json.dumps(answer.json(), ensure_ascii=False)
    for value in values:
        assert re.search(value, body, re.IGNORECASE) is None, (value, answer.request.url, body)


def _by_intent(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t["intent"]: t for t in tasks}


def test_a_caller_without_admin_is_told_what_a_detail_is_not_the_detail(server: LiveServer, home: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        opened = http.post("/v1/assistant/conversations", json={"text": SENTENCE})  # any local process
        _withheld(opened)
        body = opened.json()
        conversation, tasks = body["conversation_id"], _by_intent(body["tasks"])
        food, film = tasks["order_food"], tasks["buy_movie_tickets"]
        assert food["summary"]["address"] == OFFICE_DE and film["summary"]["holder"] == NAME_DE
        assert OFFICE_DE in body["text"] and NAME_DE in body["text"]
        for path in (f"/v1/assistant/conversations/{conversation}", f"/v1/assistant/tasks/{food['id']}",
                     f"/v1/assistant/tasks?conversation_id={conversation}",
                     f"/api/ui/tasks?conversation_id={conversation}"):
            _withheld(http.get(path))
        said = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": "Ja, bitte."})
        _withheld(said)
        assert "darf keine Käufe bestätigen" in said.json()["text"]  # and it repeats what waits, named
        chat = http.post("/v1/chat/completions", headers={"X-Tandem-Conversation": conversation},
                         json={"model": "tandem:assistant", "messages": [{"role": "user", "content": "ja"}]})
        _withheld(chat)
        assert OFFICE_DE in chat.json()["choices"][0]["message"]["content"]
        turn = http.post("/api/ui/turn", json={"text": "Bestell mir eine Pizza nach Hause"}, headers=UI)
        _withheld(turn)  # the web app opened at the bare address: every event of its turn
        assert "deine gespeicherte Wohnadresse" in turn.text

        # the user's own client sees what will be sent, and the task used the real address all along
        mine = http.get(f"/v1/assistant/tasks/{food['id']}", headers=server.local).json()
        assert mine["summary"]["address"] == "Friedrichstraße 100"
        done = http.post(f"/v1/assistant/confirmations/{food['confirmation_id']}/confirm", headers=server.local)
        assert done.status_code == 200 and done.json()["state"] == "done", done.text
        _withheld(http.get(f"/v1/assistant/tasks/{food['id']}"))  # the partner's answer too

        # a key is an app: without admin it is told the names, with admin the values
        phone = bearer(create_key(home, "phone", "assistant,confirm"))
        _withheld(http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=phone))
        admin = bearer(create_key(home, "settings", "assistant,admin"))
        shown = http.post("/v1/assistant/conversations", json={"text": SENTENCE}, headers=admin)
        assert shown.status_code == 200, shown.text
        assert _by_intent(shown.json()["tasks"])["order_food"]["summary"]["address"] == "Friedrichstraße 100"


def test_remembered_habits_need_the_privacy_scope(server: LiveServer, home: Path) -> None:
    usual = ("Alexanderplatz", "20:00")  # the partner is "Lichtspiel Kinos GmbH": not a habit
    with httpx.Client(base_url=server.url, timeout=120) as http:
        for key, value in (("cinema", "Lichtspiel Alexanderplatz"), ("clock", "20:00")):  # the user says so
            stated = http.post("/v1/memory/items", json={"key": key, "value": value}, headers=server.local)
            assert stated.status_code == 200, stated.text
        asked = http.post("/v1/assistant/conversations", json={"text": "book two tickets for Dune tonight"})
        _withheld(asked, PROFILE_VALUES + usual)
        (film,) = asked.json()["tasks"]
        assert film["state"] == "awaiting-confirmation", film
        assert film["summary"]["cinema"] == "your usual cinema", film["summary"]
        assert "your usual time" in film["summary"]["starts_at"]
        own = http.get(f"/v1/assistant/tasks/{film['id']}", headers=server.local).json()["summary"]
        assert own["cinema"] == "Lichtspiel Alexanderplatz" and own["starts_at"].endswith("20:00")

        settings = bearer(create_key(home, "settings", "assistant,admin"))  # the profile, not memory
        told = http.post("/v1/assistant/conversations", json={"text": "book two tickets for Dune tonight"},
                         headers=settings)
        _withheld(told, usual)
        assert told.json()["tasks"][0]["summary"]["holder"] == "Alex Muster"
        ledger = bearer(create_key(home, "privacy", "assistant,privacy"))  # memory, not the profile
        told = http.post("/v1/assistant/conversations", json={"text": "book two tickets for Dune tonight"},
                         headers=ledger)
        _withheld(told)
        assert told.json()["tasks"][0]["summary"]["cinema"] == "Lichtspiel Alexanderplatz"


def test_what_the_caller_wrote_comes_back_as_written_so_it_confirms_no_guess(server: LiveServer) -> None:
    """Naming a value inside the caller's own words told it which of them is the value: a keyless process sent
    "Are you Bob, Carl, Dana, Alex, ...?" and its conversation's turn came back with "Alex" and "Muster" as "your
    name" (review of session 7, R1). Its words are its own, named nowhere; what the assistant adds is named."""
    guesses = "Are you Bob, Carl, Dana, Alex, Max, Schmidt, Muster or Meier? Call 030 1234567, Friedrichstraße 100"
    with httpx.Client(base_url=server.url, timeout=120) as http:
        opened = http.post("/v1/assistant/conversations", json={"text": guesses})
        assert opened.status_code == 200, opened.text
        assert "your name" not in opened.text and "dein Name" not in opened.text, opened.text
        conversation = http.get(f"/v1/assistant/conversations/{opened.json()['conversation_id']}").json()
        assert [t["text"] for t in conversation["turns"] if t["role"] == "user"] == [guesses]
        assert all(t["text"] == guesses for t in opened.json()["tasks"] + conversation["tasks"])
        # the assistant's own words still name what it filled in from the profile
        _withheld(http.post("/v1/assistant/conversations", json={"text": SENTENCE}))


def test_a_value_is_named_wherever_it_is_written_and_only_as_a_whole() -> None:
    from tandem.agent.assistant import Assistant
    from tandem.agent.journal import Journal
    from tandem.agent.profile import Place, Profile
    from tandem.agent.tasks import PendingCall, Task, TaskState
    from tandem.agent.withhold import PROFILE, withheld

    profile = Profile(name="Alex Muster", phone="+49 30 1234567", payment_token="tok_test_4242",
                      places={"office": Place("Friedrichstraße 100", "Berlin"), "mum": Place("Am Hang 3", "Jena")})
    journal = Journal(Path(os.environ["TANDEM_HOME"]) / "agent.db")
    try:
        hidden = withheld(Assistant(_NoTools(), journal, profile=profile), frozenset())
        said = hidden.text("ALEX MUSTER, +49301234567 / 030 1234567, Friedrichstraße 100, Am Hang 3, tok_test_4242; "
                           "Hi Alex! Lichtspiel Alexanderplatz, Mustermann", "en")
        assert said == ("your name, your phone number / your phone number, your saved office address, your saved "
                        "address “mum”, your payment method; Hi your name! Lichtspiel Alexanderplatz, Mustermann")
        # as a partner may write it back: upper case ("SS" for "ß"), on two lines, dialled from abroad
        assert hidden.text("FRIEDRICHSTRASSE 100 / Friedrichstraße\n100 / 0049 30 123 45 67 / 0301234567890") == \
            "your saved office address / your saved office address / your phone number / 0301234567890"
        # folded (fullwidth, accents, any case), percent-encoded, a street word shortened (withheld.toml);
        # a partner's ids are no exception: an order id may carry the address
        assert hidden.text("Friedrichstr. 100 / friedrichstr 100 / https://x/?to=Friedrichstra%C3%9Fe%20100&a=1 / "
                           "Ａｌｅｘ, Ms. MÜSTER") == ("your saved office address / your saved office address / "
                                                      "https://x/?to=your saved office address&a=1 / your name, Ms. "
                                                      "your name")
        # written as HTML or JSON text, with a hidden soft hyphen or zero-width space, the street word apart, a
        # number mark, other digits, the country code without "+" (review of session 8, R15)
        assert hidden.text("Friedrichstra&szlig;e&nbsp;100 / Friedrichstra\\u00dfe 100 / "
                           "Friedrich\u00adstra\u00dfe 100 / Fried\u200brichstraße 100 / "
                           "Friedrich-Straße 100 / Friedrichstraße Nr. 100 / "
                           "Friedrichstraße \u0661\u0660\u0660 / 49301234567") == " / ".join(
                               ["your saved office address"] * 7 + ["your phone number"])
        assert hidden.text("Friedrichstraße 1000 / Nr. 100 / 493012345678") == \
            "Friedrichstraße 1000 / Nr. 100 / 493012345678"  # only the whole value
        assert hidden.data({"order_id": "Friedrichstraße 100/7", "text": "Alex", "language": "de"}) == \
            {"order_id": "deine gespeicherte Büroadresse/7", "text": "dein Name", "language": "de"}
        # by provenance: a task names only what it filled in, and never the caller's words
        task = Task(id="t-1", conversation_id="conv-1", intent="order_item", slots={"item": "Alex Muster"},
                    state=TaskState.AWAITING_CONFIRMATION, language="en", text="order Alex Muster",
                    question="I found no “Alex Muster”", filled=("place.office",),
                    call=PendingCall("buy", "shop", {"address": "Friedrichstraße 100"}, True,
                                     {"item": "Alex Muster", "address": "Friedrichstraße 100"}))
        shown = hidden.task(task)
        assert (shown.text, shown.slots, shown.question) == (task.text, task.slots, task.question)
        assert shown.call is not None and shown.call.summary == {"item": "Alex Muster",
                                                                 "address": "your saved office address"}
        assert hidden.task(replace(task, filled=None)).call.summary["item"] == "your name"  # not known: every value
        # by key: a value is named only at the keys it was filled in at; a source without a key, at every key
        holder = replace(task, filled=("profile.name@summary.holder", "place.office@arguments.address"),
                         call=PendingCall("buy", "shop", {"address": "Friedrichstraße 100", "to": "Alex"}, True,
                                          {"address": "Alex Muster", "holder": "Alex Muster"}),
                         result={"note": "for Alex at Friedrichstraße 100"})
        shown = hidden.task(holder)
        assert shown.call is not None and shown.call.summary == {"address": "Alex Muster", "holder": "your name"}
        assert shown.call.arguments == {"address": "your saved office address", "to": "Alex"}
        assert shown.result == {"note": "for your name at your saved office address"}  # a partner's words: anywhere
        assert hidden.task(replace(holder, filled=("profile.name",))).call.summary["address"] == "your name"
        assert withheld(Assistant(_NoTools(), journal, profile=profile), frozenset({PROFILE})).text("Alex") == "Alex"
    finally:
        journal.close()


RIGHT = {"name": "Alex Muster", "address": "Friedrichstraße 100", "phone": "+49 30 1234567"}  # the profile's
WRONG = {"name": "Bob Meier", "address": "Lindenstraße 12", "phone": "+49 40 7654321"}
# ids (tasks, confirmations, conversations, a partner's 12 hex digits), clock times
_VARYING = re.compile(r"\b(?:t|c|conv)-[\w-]+|\b[0-9a-f]{12}\b|\d+\.\d+|\b\d{4}-\d\d-\d\dT[\d:.+]+")


def _conversation_read_back(http: httpx.Client, guess: dict[str, str]) -> str:
    """What a keyless caller can read after a conversation that names ``guess`` in its own words, beside a task
    that fills in the user's name, phone and office address; the guess replaced by placeholders, ids and
    times blanked, so two runs compare equal unless the guess changed what the server said."""
    said = ["Bestell mir eine Pizza ins Büro", f"neue Notiz {guess['name']}, {guess['address']}, {guess['phone']}",
            f"Erinnere mich morgen um 9 an {guess['name']}", f"Bestell mir Sushi für {guess['name']} ins Büro"]
    # (a dish the food partner knows around the guess: a bare name as the dish is read as food or as a product
    # depending on the name, which would tell two guesses apart by the classifier, not by withholding)
    opened = http.post("/v1/assistant/conversations", json={"text": said[0]})
    assert opened.status_code == 200, opened.text
    conversation = opened.json()["conversation_id"]
    answers = [opened.json()]
    for text in said[1:]:
        answer = http.post(f"/v1/assistant/conversations/{conversation}/messages", json={"text": text})
        assert answer.status_code == 200, answer.text
        answers.append(answer.json())
    read = http.get(f"/v1/assistant/conversations/{conversation}")
    assert read.status_code == 200, read.text
    tasks = [(t["intent"], t["state"]) for t in read.json()["tasks"]]
    assert tasks == [("order_food", "awaiting-confirmation"), ("take_note", "done"), ("set_reminder", "done"),
                     ("order_food", "needs-info")], tasks  # the guesses reached a partner and a question
    assert read.json()["tasks"][0]["summary"]["address"] == OFFICE_DE  # what the assistant filled in is still named
    body = json.dumps([answers, read.json()], ensure_ascii=False, sort_keys=True)
    for field, value in guess.items():
        body = body.replace(value, f"<{field}>")
    return _VARYING.sub("<>", body)


def test_a_keyless_caller_cannot_tell_a_right_guess_from_a_wrong_one(server: LiveServer) -> None:
    """Withholding by provenance (review of session 7, R1): a value the caller said itself (a note, a dish, a
    slot) was named when it equalled the stored one, so one request per field confirmed a guess: "note: Alex
    Muster" came back as "note: dein Name", "Bob Meier" as written. Only what the assistant filled in from the
    profile or memory is named; with the right and a wrong guess the caller reads the same answers."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        right, wrong = _conversation_read_back(http, RIGHT), _conversation_read_back(http, WRONG)
    assert "<name>" in right and "<address>" in right and "<phone>" in right  # the guesses come back as said
    assert right == wrong


def test_earlier_turns_are_named_in_the_conversations_language(server: LiveServer) -> None:
    """A German conversation read back named its values in English ("your saved office address")."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        opened = http.post("/v1/assistant/conversations", json={"text": SENTENCE}).json()
        said = http.post(f"/v1/assistant/conversations/{opened['conversation_id']}/messages", json={"text": "ja"})
        assert said.status_code == 200, said.text
        turns = http.get(f"/v1/assistant/conversations/{opened['conversation_id']}").json()["turns"]
    told = "\n".join(t["text"] for t in turns if t["role"] == "assistant")
    assert OFFICE_DE in told and NAME_DE in told and "your" not in told, told
    assert all(set(t) == {"role", "text", "created_at"} for t in turns)


def test_raised_errors_echo_the_request_and_confirm_no_guess(server: LiveServer) -> None:
    """Raised errors are not withheld (review of session 7, R3): they are built from the request and the server's
    own words, never from a profile value, so a profile value sent as an id comes back as sent, exactly as a
    wrong guess does, and one that was not sent never appears."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        told = {}
        for which, guess in (("right", RIGHT), ("wrong", WRONG)):
            answers = [http.post(f"/v1/assistant/conversations/{guess['name']}/messages", json={"text": "hallo"}),
                       http.get(f"/v1/assistant/tasks/{guess['address']}"),
                       http.post(f"/v1/assistant/confirmations/{guess['phone']}/confirm", headers=server.local),
                       http.post("/api/ui/turn", json={"text": "hallo", "conversation_id": guess["name"]}, headers=UI)]
            assert [a.status_code for a in answers] == [404] * 4, [a.text for a in answers]
            body = json.dumps([a.json() for a in answers], ensure_ascii=False)
            for field, value in guess.items():
                body = body.replace(value, f"<{field}>")
            told[which] = body
    assert told["right"] == told["wrong"] and "<name>" in told["right"]
    _withheld(httpx.Response(200, json=json.loads(told["right"])), PROFILE_VALUES)  # no value it did not send


class _NoTools:
    async def tools(self, categories: tuple[str, ...] = ()) -> list[Any]:
        return []

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> Any:
        raise AssertionError("no partner is called")


def _typed_address_read_back(http: httpx.Client, guess: dict[str, str]) -> str:
    """What a keyless caller reads after ordering to an address it typed itself, the guess, in an order that
    fills in the user's name, phone and payment method elsewhere; guesses as placeholders, ids and times
    blanked."""
    told = []
    orders = (("order_food", "Bestell mir eine Pizza nach {}", None),  # a skill's declared keys
              ("buy_product", "Kauf mir einen Wasserkocher", "{}"))  # a manifest's templates; the address asked for
    for (intent, order, answer), field in itertools.product(orders, ("name", "phone", "address")):
        typed = f"Hauptstraße 5 bei {guess[field]}"  # a delivery address must look like one (a street and number)
        opened = http.post("/v1/assistant/conversations", json={"text": order.format(typed)})
        assert opened.status_code == 200, opened.text
        if answer is not None:
            told.append(opened.json())
            opened = http.post(f"/v1/assistant/conversations/{opened.json()['conversation_id']}/messages",
                               json={"text": answer.format(typed)})
            assert opened.status_code == 200, opened.text
        tasks = [t for t in opened.json()["tasks"] if t["intent"] == intent]
        assert [t["state"] for t in tasks] == ["awaiting-confirmation"], opened.json()["tasks"]
        task = tasks[0]
        assert task["summary"]["address"] == typed, task["summary"]  # the caller's words, as written
        read = http.get(f"/v1/assistant/conversations/{opened.json()['conversation_id']}")
        assert read.status_code == 200, read.text
        told += [opened.json(), read.json()]
    body = json.dumps(told, ensure_ascii=False, sort_keys=True)
    for field, value in guess.items():
        body = body.replace(value, f"<{field}>")
    return _VARYING.sub("<>", body)


def test_an_address_the_caller_typed_is_its_own_words_beside_what_the_order_filled_in(server: LiveServer) -> None:
    """Provenance by field (review of session 8, R13): an order to a typed address fills in the user's name and
    phone, and provenance per task named those values wherever they stood in the call, so "Bestell mir eine
    Pizza nach Alex Muster" came back with the delivery address "dein Name" when the guess was right and as
    written when it was wrong. A value is named only at the keys the preparation filled from the profile."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        right, wrong = _typed_address_read_back(http, RIGHT), _typed_address_read_back(http, WRONG)
    assert NAME_DE not in right and "deine Telefonnummer" not in right
    assert right == wrong


def test_what_the_user_stored_with_a_partner_is_read_only_with_the_privacy_scope(server: LiveServer,
                                                                                 home: Path) -> None:
    """A partner's answer that is what the user stored there (reminders, notes, calendar: a tool declaring
    reads_user_data) reached any local process: the owner's reminder "Paket für Alex Muster in Friedrichstraße 100"
    came back in full for "zeig meine Erinnerungen" (review of session 8, R14; the task filled nothing in, so
    nothing was named). Without the privacy scope the answer is refused; adding stays open; with it, it is read."""
    stored = "Paket für Alex Muster in Friedrichstraße 100"
    with httpx.Client(base_url=server.url, timeout=120) as http:
        own = http.post("/v1/assistant/conversations", headers=server.local,
                        json={"text": f"Erinnere mich morgen um 9 Uhr an {stored}"})
        assert own.status_code == 200 and own.json()["tasks"][0]["state"] == "done", own.text
        asked = http.post("/v1/assistant/conversations", json={"text": "zeig meine Erinnerungen"})  # keyless
        _withheld(asked)
        (listed,) = asked.json()["tasks"]
        assert (listed["intent"], listed["state"], listed["result"]) == ("show_reminders", "failed", None), listed
        assert "privacy" in listed["error"] and "privacy" in asked.json()["text"]
        for path in (f"/v1/assistant/conversations/{asked.json()['conversation_id']}",
                     f"/v1/assistant/tasks/{listed['id']}"):
            _withheld(http.get(path))
        _withheld(http.post("/api/ui/turn", json={"text": "zeig meine Erinnerungen"}, headers=UI))
        ledger = bearer(create_key(home, "privacy", "assistant,privacy"))
        read = http.post("/v1/assistant/conversations", json={"text": "zeig meine Erinnerungen"}, headers=ledger)
        assert read.status_code == 200 and stored in json.dumps(read.json(), ensure_ascii=False), read.text


def test_a_manifests_provenance_is_read_from_its_templates() -> None:
    """Where a manifest's call holds the user's details, read from its templates: every ``{profile.*}`` field (a
    field added later too, not a fixed list), a saved place's address, a resolve step's answer by what the step
    was asked; "{profile.name}" is the profile even beside a step named "profile" (review of session 8)."""
    from tandem.agent.generic import filled_from_profile
    from tandem.agent.intents import IntentSpec
    from tandem.agent.profile import Place, Profile

    spec = IntentSpec("send_flowers", "flowers", "order_bouquet", "", {"item": "text", "place": "place"}, ("item",),
                      resolve=({"tool": "profile", "arguments": {"query": "{item}"}},
                               {"tool": "quote", "arguments": {"callback": "{profile.phone}"}}),
                      arguments={"name": "{profile.name}", "card": "{item}", "quote": "{quote.id}",
                                 "mail": "{profile.email}"},
                      summary={"to": "{place.address}", "who": "{profile.name}", "city": "{profile.city}"})
    profile = Profile("Alex Muster", "+49 30 1234567", "tok_test", "Berlin",
                      {"office": Place("Friedrichstraße 100", "Berlin")})
    assert set(filled_from_profile(spec, {"item": "Rosen", "place": "office"}, profile)) == {
        "profile.name@arguments.name", "profile.phone@arguments.quote", "profile.email@arguments.mail",
        "place.office@summary.to", "profile.name@summary.who"}
    typed = filled_from_profile(spec, {"item": "Rosen", "place": "Lindenstraße 12"}, profile)  # the caller's words
    assert not [e for e in typed if e.startswith("place.")], typed
