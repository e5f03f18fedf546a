"""Capabilities are partner data: the shipped manifests declare every capability with examples in three
languages, examples compile to templates, parameters are read where the examples frame them and only
grounded values are kept, and the generic path fills a call from the manifest's templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.capabilities import capabilities, shipped
from tandem.agent.generic import render
from tandem.agent.ground import grounded, loose_slots
from tandem.agent.templates import compile_example, spell_out
from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 11, 29, 15, 0)
SPECS = {s.name: s for s in shipped()}


def test_every_shipped_capability_is_declared_in_three_languages() -> None:
    assert {"order_food", "buy_movie_tickets", "buy_event_tickets", "find_route", "search_products", "buy_product",
            "add_calendar_event", "take_note", "set_reminder", "show_reminders"} <= set(SPECS)
    for spec in SPECS.values():
        assert set(spec.examples) == {"en", "de", "zh"}, spec.name
        assert all(spec.slots.get(r) for r in spec.required), spec.name


def test_example_syntax() -> None:
    pattern = compile_example("(book|see) [me|us] {film} [(at|in) [the] {cinema}]", {"film": "text"})
    assert pattern.fullmatch("book memento")["film"] == "memento"  # "me" is not read off the title
    found = pattern.fullmatch("see us Dune at the Kino am Ring")
    assert found is not None and found["film"] == "Dune" and found["cinema"] == "Kino am Ring"
    assert pattern.fullmatch("bookDune") is None
    said = spell_out("(book|get) [me] a taxi to {destination}", 3, {"destination": ["the harbour"]})
    assert len(said) == 3 and all(s.endswith("a taxi to the harbour") for s in said)


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("Bring mir zwei Karten für das Konzert vom Nordlicht Quartett", None, None),  # no template: not guessed
    ("book two tickets for the concert Moonlight Trio", "buy_event_tickets", {"event": "Moonlight Trio", "count": 2}),
    ("how do I get to Alexanderplatz by U-Bahn", "find_route", {"destination": "Alexanderplatz", "mode": "metro"}),
    ("Wie komme ich vom Büro zum Hauptbahnhof", "find_route", {"origin": "office", "destination": "Hauptbahnhof"}),
    ("take a note: the spare key is under the mat", "take_note", {"text": "the spare key is under the mat"}),
    ("把明天开会记到日历里", "add_calendar_event", None),
])
def test_templates_from_the_manifests(text: str, intent: str | None, slots: dict[str, object] | None) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [i.name for i in result.intents] == ([intent] if intent else [])
    if slots is not None:
        assert {k: v for k, v in result.intents[0].slots.items() if k != "when"} == slots


@pytest.mark.parametrize("text", ["how do I get to Alexanderplatz by bus", "Wie komme ich mit dem Bus zum Hauptbahnhof",
                                  "Wie komme ich mit der Straßenbahn zum Zoo", "坐公交车去天安门怎么走",
                                  "坐巴士到天安门"])
def test_a_bus_or_a_tram_is_public_transport(text: str) -> None:
    """The route partners' choice values name the bus and the tram as public transport ("metro"), in every language:
    before, 'by bus' ran into the destination and 'mit dem Bus', '坐公交车' read no route at all."""
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots.get("mode")) for i in result.intents] == [("find_route", "metro")]


def test_parameters_are_read_where_the_examples_frame_them() -> None:
    movie, route = SPECS["buy_movie_tickets"], SPECS["find_route"]
    assert loose_slots(movie, "I'd like 3 tickets for Dune", "en") == {"film": "Dune", "count": "3"}
    assert loose_slots(movie, "订两张沙丘的票", "zh")["count"] == "2"
    assert loose_slots(route, "Can I get a ride to the main station", "en") == {"destination": "the main station"}


def test_only_grounded_values_are_kept() -> None:
    food = SPECS["order_food"]
    said = "I'm starving, could a pizza be brought over to my office?"
    assert grounded(food, "dish", "pizza", said) and grounded(food, "place", "office", said)
    assert not grounded(food, "dish", "sushi", said)  # a model's guess that was never said
    assert not grounded(food, "count", 2, said)  # no count was said: asked, not defaulted
    assert grounded(SPECS["find_route"], "mode", "metro", "by U-Bahn to the zoo")


def test_templates_render_arguments_from_slots_profile_and_steps() -> None:
    values = {"count": 2, "profile": {"name": "Alex"}, "quote": {"id": "Q1", "price": 9.5}}
    template = {"n": "{count}", "who": "{profile.name}", "quote_id": "{quote.id}", "note": "{count} for {profile.name}",
                "missing": "{profile.phone}"}
    assert render(template, values) == {"n": 2, "who": "Alex", "quote_id": "Q1", "note": "2 for Alex"}


@pytest.mark.anyio
async def test_the_generic_path_puts_an_event_in_the_calendar(tmp_path: Path) -> None:
    """No skill code for calendar events: the manifest's argument templates make the call."""
    from tandem.agent.assistant import Assistant
    from tandem.agent.journal import Journal
    from tandem.agent.profile import Profile
    from tandem.agent.tasks import TaskState
    from tests.agent.toolsets import in_memory_partners

    async with in_memory_partners(tmp_path) as partners:
        assistant = Assistant(partners, Journal(tmp_path / "agent.db"), profile=Profile(city="Berlin"),
                              clock=lambda: NOW)
        (task,) = (await assistant.ask("put the piano lesson in my calendar tomorrow at 5 pm")).tasks
    assert task.intent == "add_calendar_event" and task.state == TaskState.DONE, task
    assert task.result["title"] == "the piano lesson" and task.result["starts_at"] == "2026-11-30T17:00"


def test_a_parameter_is_named_for_the_user_as_its_manifest_titles_it() -> None:
    """Session 18 (dialog9's confirmation fields): a parameter's ``title`` per language is the spec's ``labels``."""
    tool = {"name": "order", "intent": "order_flowers", "description": {"en": "Order flowers."},
            "examples": {"en": ["order {bouquet}"]},
            "parameters": {"bouquet": {"kind": "text", "required": True, "title": {"en": "Bouquet", "de": "Strauß"}},
                           "note": {"kind": "text"}}}
    (spec,) = capabilities([{"id": "test.flowers", "categories": ["flowers"], "tools": [tool]}])
    assert spec.labels == {"bouquet": {"en": "Bouquet", "de": "Strauß"}}


def test_two_partners_of_one_capability_name_its_parameters_together() -> None:
    """Review RR-5: the merged capability's parameter titles are the first partner's, and another's in a language (or
    for a parameter) the first titles none in; before, a second partner's titles were never used."""
    def doc(partner: str, titles: dict[str, dict[str, str]]) -> dict[str, object]:
        parameters = {name: {"kind": "text", **({"title": titles[name]} if name in titles else {})}
                      for name in ("bouquet", "note")}
        tool = {"name": "order", "intent": "order_flowers", "description": {"en": "Order flowers."},
                "examples": {"en": ["order {bouquet}"]}, "parameters": parameters}
        return {"id": partner, "categories": ["flowers"], "tools": [tool]}

    (spec,) = capabilities([doc("test.eu", {"bouquet": {"de": "Strauß"}}),
                            doc("test.cn", {"bouquet": {"de": "Blumen", "zh": "花束"}, "note": {"zh": "留言"}})])
    assert spec.labels == {"bouquet": {"de": "Strauß", "zh": "花束"}, "note": {"zh": "留言"}}


def test_a_partner_names_only_the_values_of_its_own_answers() -> None:
    """A manifest's [values] names the values its answers send, per field and language ("in_kitchen" is "in der
    Küche"). Two partners of one capability: the first one's names stand, and another partner's never name the
    first one's values (review R20-7: a second partner could say the first one's cancelled order was delivered); each
    partner's own names and items are kept for its own answers (``answers_of``)."""
    def doc(partner: str, values: dict[str, dict[str, dict[str, str]]], **items: str) -> dict[str, object]:
        tool = {"name": "order", "intent": "order_flowers", "description": {"en": "Order flowers."}, "items": items,
                "examples": {"en": ["order {bouquet}"]}, "parameters": {"bouquet": {"kind": "text"}}}
        return {"id": partner, "categories": ["flowers"], "tools": [tool], "values": values}

    (spec,) = capabilities([doc("test.eu", {"status": {"in_kitchen": {"de": "in der Küche"}}}),
                            doc("test.cn", {"status": {"in_kitchen": {"de": "Küche", "zh": "厨房制作中"},
                                                       "cancelled": {"de": "geliefert"}}}, name="bouquet")])
    assert spec.values == {"status": {"in_kitchen": {"de": "in der Küche"}}}
    assert spec.answers_of("test.eu") == ({}, {"status": {"in_kitchen": {"de": "in der Küche"}}})
    assert spec.answers_of("test.cn") == ({"name": "bouquet"}, {"status": {
        "in_kitchen": {"de": "Küche", "zh": "厨房制作中"}, "cancelled": {"de": "geliefert"}}})
    assert spec.answers_of("test.elsewhere") == ({}, {})  # a partner that declares nothing: nobody's names
