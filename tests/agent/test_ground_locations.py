"""Where a calendar entry takes place, said in German and Chinese (tandem.office.toml examples with ``{location}``: the
place stayed in the title, "Chorprobe in der Kirche", or was not read at all), and a Chinese route walked from a place
("从酒店*走*到…": the origin was "酒店走") or a start said after the goal ("directions to X *from* Y"). Own sentences,
none from a bench set."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import TemplateParser

NOW = dt.datetime(2026, 12, 4, 15, 0)


@pytest.mark.parametrize(("text", "slots"), [
    ("Neuer Termin: Chorprobe in der Kirche St. Marien", {"title": "Chorprobe", "location": "Kirche St. Marien"}),
    ("Lauftreff im Stadtpark in den Kalender eintragen", {"title": "Lauftreff", "location": "Stadtpark"}),
    ("Zahnreinigung beim Zahnarzt Weiss in den Kalender", {"title": "Zahnreinigung", "location": "Zahnarzt Weiss"}),
    ("新建日程：业主大会，地点是社区中心", {"title": "业主大会", "location": "社区中心"}),
    ("添加日程：羽毛球训练，地点在体育馆", {"title": "羽毛球训练", "location": "体育馆"}),
    ("在社区中心开业主大会，加到日历里", {"title": "业主大会", "location": "社区中心"}),
    # "in den Kalender" says where the entry goes, no place it takes place in
    ("Zahnarzt in den Kalender eintragen", {"title": "Zahnarzt"}),
])
def test_where_an_entry_takes_place_is_its_location(text: str, slots: dict[str, object]) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [("add_calendar_event", slots)]


@pytest.mark.parametrize(("text", "slots"), [
    ("从酒店走到南锣鼓巷怎么走", {"origin": "酒店", "destination": "南锣鼓巷"}),
    ("从宿舍走去图书馆要多久", {"origin": "宿舍", "destination": "图书馆"}),
    ("从人民广场到外滩怎么走", {"origin": "人民广场", "destination": "外滩"}),
    # the start said after the goal (the destination held "Lakeside Park from the office")
    ("directions to Lakeside Park from the office", {"destination": "Lakeside Park", "origin": "office"}),
    ("route to the stadium from the station by bus", {"destination": "the stadium", "origin": "the station",
                                                      "mode": "metro"}),
    ("Weg zum Zoo vom Bahnhof", {"destination": "Zoo", "origin": "Bahnhof"}),
])
def test_a_route_walked_from_a_place_starts_there(text: str, slots: dict[str, object]) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [("find_route", slots)]


@pytest.mark.parametrize(("text", "note"), [  # review29 R29-14: no template read a note that opens with "Notiz:"
    ("Notiz: Fahrrad aufpumpen", "Fahrrad aufpumpen"), ("Notiz: Oma zurückrufen", "Oma zurückrufen"),
])
def test_a_german_note_opened_with_notiz_is_a_note(text: str, note: str) -> None:
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [("take_note", {"text": note})]
