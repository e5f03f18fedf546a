"""A read-only answer that is a list shows its entries on the card (office5's note: the notes, the calendar, the
reminders showed only "✓ Done" on the web, while the chat line and the voice name them)."""

from __future__ import annotations

from tests.web.conftest import Page

WAIT_MS = 60_000


def test_the_notes_are_listed_on_their_card(tab: Page) -> None:
    page = tab.open()
    for said in ("Notiere: Milch kaufen", "Zeig meine Notizen"):
        page.fill("#prompt", said)
        page.keyboard.press("Enter")
        page.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached", timeout=WAIT_MS)
    listed = page.locator(".card[data-state='done'] ul.found li")
    listed.first.wait_for(timeout=WAIT_MS)
    assert listed.count() == 1 and listed.first.inner_text().startswith("Milch kaufen"), listed.all_inner_texts()
    # a list waits for no confirmation: not "I prepared 1 task(s). Nothing is bought before you confirm." (walk4)
    said = page.locator("#log .msg.assistant").last.inner_text()
    assert ("nothing waits for your OK" in said or "nichts wartet auf deine Bestätigung" in said) \
        and "Nothing is bought" not in said and "Gekauft wird erst" not in said, said
    assert tab.errors == []


RENDER = """async (tasks) => {
  const {renderCard} = await import("/static/js/cards.js");
  return tasks.map((task) => [...renderCard(task, {}).querySelectorAll("ul.found li")].map((li) => li.textContent));
}"""


def test_a_list_is_shown_by_the_fields_its_manifest_declares(tab: Page) -> None:
    # dialog6's R14-8: the card read title/name/text and starts_at/due_at by name; now task.items names the fields,
    # and a list whose tool declares none shows its count only (no guess)
    page = tab.open()
    entry = {"label": "Zahnarzt", "at": "2026-12-06T15:00:00", "name": "not the name"}
    done = {"id": "t-1", "intent": "list_visits", "state": "done", "summary": {}, "result": [entry]}
    shown = page.evaluate(RENDER, [{**done, "items": {"name": "label", "time": "at"}}, {**done, "items": None}])
    assert len(shown[0]) == 1 and shown[0][0].startswith("Zahnarzt · ") and "2026" in shown[0][0], shown
    assert shown[1] == [], shown


def test_an_empty_list_says_on_its_card_what_the_task_line_says(tab: Page) -> None:
    """dialog9's request: an empty list's card showed "✓ Done (0)" while the task line said "Ich habe nichts
    gefunden."; the card shows the server's sentence (say.toml's found_none, through the API), not a copy in JS."""
    from tandem.agent.spoken import found
    from tandem.agent.tasks import Task, TaskState
    from tandem.api.web import _card

    card = _card(Task("t-1", "c-1", "list_notes", {}, TaskState.DONE, "de", result=[]))
    assert card["found_none"] == found(0, "", "de") == "Ich habe nichts gefunden.", card
    shown = tab.open().evaluate("""async (task) => {
      const {renderCard} = await import("/static/js/cards.js");
      return renderCard(task, {}).querySelector(".result").textContent;
    }""", card)
    assert "Ich habe nichts gefunden." in shown and "(0)" not in shown, shown


def test_an_orders_state_is_shown_by_its_name(tab: Page) -> None:
    """dialog12's request: the API's task carries its states by name (Task.public()['named']); the card showed the
    done order as "✓ Bestellung PB-7" and its rows with the value as sent ("in_kitchen"), while the task line and the
    voice say "in der Küche". Now the answer's state follows its order, and a row shows its value by name."""
    from tandem.agent.tasks import PendingCall, Task, TaskState
    from tandem.api.web import _card

    call = PendingCall("track_pizza", "pizzabote", {}, False, summary={"status": "in_kitchen"},
                       values={"status": {"in_kitchen": "in der Küche"}})
    card = _card(Task("t-1", "c-1", "track_pizza", {}, TaskState.DONE, "de", call=call,
                      result={"order_id": "PB-7", "status": "in_kitchen"}))
    shown = tab.open().evaluate("""async (task) => {
      const {renderCard} = await import("/static/js/cards.js");
      const card = renderCard(task, {});
      return [card.querySelector(".result").textContent, card.querySelector(".facts").textContent];
    }""", card)
    assert shown[0].endswith("PB-7 · in der Küche"), shown
    assert "in der Küche" in shown[1] and "in_kitchen" not in shown[1], shown
    assert "field.status" not in shown[1], shown  # a field no translation names is shown by its key
    labelled = {**card, "labels": {"status": "Stand der Bestellung"}}  # the partner's own name for the field
    facts = tab.page.evaluate("""async (task) => {
      const {renderCard} = await import("/static/js/cards.js");
      return renderCard(task, {}).querySelector(".facts").textContent;
    }""", labelled)
    assert "Stand der Bestellung" in facts, facts
    assert tab.errors == []


def test_every_renderer_names_its_fields_as_the_partner_does(tab: Page) -> None:
    """The cinema, event and reminder cards named their fields by the web app's words only ("Zeit", "Karten"), while
    the order card and the generic one take the partner's (``labels``): now every renderer does, and a field the
    partner does not name keeps the web app's word."""
    at = "2026-12-06T20:00:00"
    tasks = [
        {"intent": "buy_movie_tickets", "summary": {"film": "Dune", "cinema": "Lichtspiel", "starts_at": at,
                                                    "tickets": 2, "price_each": 11.5, "currency": "EUR"},
         "labels": {"film": "Filmtitel", "starts_at": "Vorstellung", "tickets": "Plätze", "price_each": "Pro Platz"}},
        {"intent": "buy_event_tickets", "summary": {"event": "Tosca", "venue": "Oper", "starts_at": at,
                                                    "section": "Parkett", "price_each": 80, "currency": "EUR"},
         "labels": {"venue": "Spielstätte", "starts_at": "Beginn", "section": "Rang"}},
        {"intent": "set_reminder", "summary": {"reminder": "Milch kaufen", "due_at": at},
         "labels": {"reminder": "Notiz", "due_at": "Wecker"}},
    ]
    shown = tab.open().evaluate("""async (tasks) => {
      const {renderCard} = await import("/static/js/cards.js");
      return tasks.map((task) => [...renderCard({id: "t-1", state: "awaiting-confirmation", ...task}, {})
        .querySelectorAll(".facts dt")].map((dt) => dt.textContent));
    }""", tasks)
    for task, terms in zip(tasks, shown, strict=True):
        assert set(task["labels"].values()) <= set(terms), (task["intent"], terms)
    assert "Kino" in shown[0] and "Veranstaltung" in shown[1], shown  # not named by the partner: the web app's word
    assert tab.errors == []


def test_a_capability_named_like_a_property_of_every_object_gets_its_card(tab: Page) -> None:
    """A partner's capability may be named "constructor" (the manifest's pattern allows it): the card looked its
    renderer up on a plain object, found Object.prototype's constructor, and showed the broken card instead."""
    task = {"id": "t-1", "intent": "constructor", "state": "awaiting-confirmation", "summary": {"seats": "A1, A2"}}
    card = tab.open().evaluate("""async (task) => {
      const {renderCard} = await import("/static/js/cards.js");
      const card = renderCard(task, {});
      return [card.className, card.querySelector(".facts")?.textContent || ""];
    }""", task)
    assert "broken" not in card[0] and "A1, A2" in card[1], card
