"""A thing looked up (a capability whose answer is a list: ``IntentSpec.listed``) ends before the verb that closes its
clause, as a thing got does ("Gartenschlauch *suchen*", "Notiz zum Urlaub *anzeigen*"); a to-do keeps its verb ("Kinder
abholen"). Own sentences, none from a bench set."""

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.ground import ended


def _spec(name: str):
    return next(s for s in shipped() if s.name == name)


@pytest.mark.parametrize(("name", "slot", "value", "lang", "thing"), [
    ("search_products", "item", "einen Gartenschlauch suchen", "de", "Gartenschlauch"),
    ("search_products", "item", "Winterreifen kaufen", "de", "Winterreifen"),
    ("search_products", "item", "Laufschuhe finden", "de", "Laufschuhe"),
    ("search_products", "item", "Fahrradhelme nachschauen", "de", "Fahrradhelme"),
    ("search_products", "item", "a camping stove please", "en", "camping stove"),
    ("show_notes", "topic", "Urlaub suchen", "de", "Urlaub"),
    ("show_notes", "topic", "Steuererklärung finden", "de", "Steuererklärung"),
    ("show_notes", "topic", "the plumber please", "en", "the plumber"),
])
def test_a_thing_looked_up_ends_before_its_closing_verb(name: str, slot: str, value: str, lang: str,
                                                        thing: str) -> None:
    assert ended(_spec(name), {slot: value}, lang)[slot] == thing


@pytest.mark.parametrize(("name", "slot", "value", "lang"), [
    ("set_reminder", "todo", "Kinder abholen", "de"),  # a to-do is what to do
    ("set_reminder", "todo", "Rasen mähen", "de"),
    ("take_note", "text", "Schlüssel beim Nachbarn abholen", "de"),
    ("show_notes", "topic", "Steuererklärung", "de"),
])
def test_a_to_do_keeps_its_verb(name: str, slot: str, value: str, lang: str) -> None:
    assert ended(_spec(name), {slot: value}, lang)[slot] == value


@pytest.mark.parametrize(("value", "topic"), [  # reread25 L5: "Notizen über Auto waschen" searched "Auto"
    ("Auto waschen", "Auto waschen"),
    ("Thema Wohnung streichen", "Thema Wohnung streichen"),
    ("Fenster putzen", "Fenster putzen"),
    ("Keller aufräumen", "Keller aufräumen"),
    ("Reifen wechseln", "Reifen wechseln"),
    ("Hecke schneiden", "Hecke schneiden"),
    ("Fahrrad reparieren", "Fahrrad reparieren"),
    ("Kuchen backen bitte", "Kuchen backen"),
    ("Fenster putzen anzeigen", "Fenster putzen"),  # the verb of looking after the topic's own is cut
    ("Reifen wechseln suchen", "Reifen wechseln"),
    ("Umzug planen bitte raussuchen", "Umzug planen"),
])
def test_a_topic_that_is_an_activity_keeps_its_verb(value: str, topic: str) -> None:
    """A verb closing the clause that is no verb of looking (verb_words.toml ``looking``) is the topic's own."""
    assert ended(_spec("show_notes"), {"topic": value}, "de")["topic"] == topic


# review26 R26-4, reread26 M2: the request's own verb at the clause's end
@pytest.mark.parametrize(("value", "topic"), [
    ("Urlaub gemacht", "Urlaub"),  # "welche Notizen hab ich zum Urlaub gemacht": a participle
    ("Steuern gespeichert", "Steuern"),
    ("Jonas aufgeschrieben", "Jonas"),
    ("Umzug notiert", "Umzug"),
    ("Garten geschrieben", "Garten"),
    ("Urlaub vorlesen", "Urlaub"),  # a verb of presenting what was found
    ("Steuererklärung durchgehen", "Steuererklärung"),
    ("Einkauf anzeigen lassen", "Einkauf"),  # "lassen" goes with the verb before it
    ("Geburtstag zusammenfassen", "Geburtstag"),
    ("Auto waschen lassen", "Auto waschen"),
])
def test_the_requests_own_closing_verb_is_cut(value: str, topic: str) -> None:
    assert ended(_spec("show_notes"), {"topic": value}, "de")["topic"] == topic
