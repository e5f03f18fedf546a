"""First names listed side by side in German are people's names, also those that are words ("für Mark und Grace",
"für Will und Rose": review24's L24-6, both went out whole); a list of words of which only one is a first name stays
("mit Will und Kraft", "für Mark und Pfennig"). A list of German words all of one class that are first names somewhere
too (seasons, colours: listed_words.toml) is a list of things with a sign of things right before it ("im Sommer und
Winter", "die Farben Rosa und Lila"); a name beside them, a surname after them or no such sign keeps it a list of names
("für Rosa und Frank", "Rosa und Lila Schmidt", "Karten für Rosa und Lila", "verliebt in Rosa und Lila")."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "names"), [
    ("Zwei Karten für Mark und Grace bitte", ("Mark", "Grace")),
    ("ein Tisch für Will und Rose", ("Will", "Rose")),
    ("Reservier bitte einen Tisch für Joy und Bill um acht", ("Joy", "Bill")),
    ("Die Blumen sind von Rose und Frank", ("Rose", "Frank")),
    ("Ich fahre morgen mit Mark und Will nach Hamburg", ("Mark", "Will")),
    ("Schick die Fotos an Grace, Rose und Mark", ("Grace", "Rose", "Mark")),
    ("Geschenke für Will, Joy und Hope", ("Will", "Joy", "Hope")),
    ("Kinokarten für Rose und Mark am Freitag", ("Rose", "Mark")),
    ("Wir treffen uns mit Frank und Grace im Café", ("Frank", "Grace")),
    ("Das Paket ist von Bill und Rose gekommen", ("Bill", "Rose")),
    ("Bitte eine Nachricht an Mark oder Will schicken", ("Mark", "Will")),
    ("Tickets für Summer und Rose, danke", ("Summer", "Rose")),
    ("Essen mit Dawn und Will am Samstag", ("Dawn", "Will")),
    ("ein Zimmer für Mark sowie Grace", ("Mark", "Grace")),
    ("Karten für Anna und Rose", ("Anna", "Rose")),
])
def test_first_names_listed_together_do_not_leave(text: str, names: tuple[str, ...]) -> None:
    sent = _sent(text)
    assert not [name for name in names if name in sent], sent


@pytest.mark.parametrize("text", [
    "Wir brauchen noch etwas für Brot und Butter",
    "Er hat es mit Will und Kraft geschafft",
    "Früher zahlte man für Mark und Pfennig",
    "Das ging mir durch Mark und Bein",
    "Kuchen für Oma und Opa",
    "Wir kaufen Salz und Pfeffer",
    "Sie haben für Kind und Kegel gesorgt",
    "Er hat Haus und Hof verloren",
    "Wir sammeln Spenden für Arm und Reich",
    "Für Ernst und Freude ist Platz",
    "Ein Abend mit Wein und Gesang",
    "Wir fahren im April und Mai nach Italien",
    "Der Vertrag gilt für Gas und Strom",
])
def test_a_list_of_words_stays(text: str) -> None:
    assert _sent(text) == text


@pytest.mark.parametrize("text", [
    "Im Sommer und Winter ist das Hotel geöffnet",
    "Wir buchen die Hütte im Winter und Sommer",
    "Die Farben Rosa und Lila gefallen mir",
    "Wir fahren jeden Sommer und Winter nach Tirol",
    "Ich mag die Farbtöne Rosa und Lila",
    "Wir waren im Winter und Sommer in Italien",
    "Die Wand streichen wir in der Farbe Rosa oder Lila",
    "Den Pullover gibt es in den Farben Lila und Rosa",
    "Sie hat diesen Sommer und Winter viel gearbeitet",
    "Wir waren letzten Sommer und Winter dort",
])
def test_a_list_of_seasons_or_colours_stays(text: str) -> None:
    assert _sent(text) == text


@pytest.mark.parametrize(("text", "names"), [
    ("Karten für Rosa und Frank am Freitag", ("Rosa", "Frank")),
    ("Die Geschenke sind für Sommer und Finn", ("Sommer", "Finn")),
    ("Essen mit Winter und Grace am Samstag", ("Winter", "Grace")),
    ("Schick die Fotos an Rosa, Mark und Will", ("Rosa", "Mark", "Will")),
    ("Blumen für Lila und Rose", ("Lila", "Rose")),
    ("Wir treffen Lila und Mark im Café", ("Lila", "Mark")),
    ("Nachricht an Rosa oder Will schicken", ("Rosa", "Will")),
    ("ein Tisch für Rosa, Lila und Mark", ("Rosa", "Lila", "Mark")),
    ("Die Karten sind für Sommer und Grace", ("Sommer", "Grace")),
    ("Ich lade Lila und Jonas zum Essen ein", ("Lila", "Jonas")),
    ("Wir besuchen Rosa und Anna morgen", ("Rosa", "Anna")),
    ("Bitte reserviere für Winter und Joy", ("Winter", "Joy")),
    ("Grüße an Lila, Rosa und Peter", ("Lila", "Rosa", "Peter")),
    # one class, but no sign of things, or a surname after (review26's R26-2 on 99bd64c)
    ("Rosa und Lila Schmidt wohnen in der Lindenstraße 5", ("Rosa", "Lila")),
    ("Ich habe Rosa und Lila gestern angerufen, sie kommen um acht", ("Rosa", "Lila")),
    ("Sommer und Winter kommen zum Essen", ("Sommer", "Winter")),
    ("Zwei Karten für Rosa und Lila bitte", ("Rosa", "Lila")),
    ("Er ist in Rosa und Lila verliebt", ("Rosa", "Lila")),  # "in" is no sign of things
    ("Ich habe Vertrauen in Rosa und Lila", ("Rosa", "Lila")),
    # a word for the class elsewhere in the sentence, "seit" (reread26's M6, review26's R26-7 on 1aa83e6)
    ("Rosa und Lila mögen die Farbe Blau am liebsten", ("Rosa", "Lila")),
    ("Die Farben der Kleider von Rosa und Lila passen nicht", ("Rosa", "Lila")),
    ("Rosa und Lila haben die Farben für die Wand ausgesucht", ("Rosa", "Lila")),
    ("Sommer und Winter streichen die Wand in neuen Farben", ("Sommer", "Winter")),
    ("Seit Rosa und Lila hier wohnen ist es lustig", ("Rosa", "Lila")),
])
def test_a_season_or_colour_listed_with_a_name_is_a_name(text: str, names: tuple[str, ...]) -> None:
    sent = _sent(text)
    assert not [name for name in names if name in sent], sent
