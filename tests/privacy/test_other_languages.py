"""French, Italian, Spanish, Catalan, Polish and Turkish names, addresses and numbers inside a German or English request
(an EU user's contacts): nothing of them reaches the cloud. The sentences are written here from the public formats of
those countries' addresses and postcodes, none from a benchmark set; the ordinary sentences beside them stay."""

from __future__ import annotations

import pytest

from tandem.privacy.failclosed import DigitRuns
from tests.privacy.test_leak_classes import assert_gone
from tests.privacy.test_unseen_shapes import EGRESS


@pytest.mark.parametrize(("text", "value"), [
    # a street name typed in lower case inside a cased sentence, after a street word no English or German word is
    ("Deliver the pizza to via garibaldi 23 milano please.", "via garibaldi 23"),
    ("Bring mir die Pizza in die via garibaldi 23 nach Mailand.", "via garibaldi 23"),
    ("Die Lieferung geht an ulica długa 5 in Danzig.", "ulica długa 5"),
    ("Deliver it to rue des lilas 12 in Paris, thanks.", "rue des lilas 12"),
    ("Please deliver to impasse des roses 2, Nantes.", "impasse des roses 2"),
    # a flat after a slash, a Spanish floor and door, a Polish flat, a Turkish street word and "No"
    ("Bitte erinnere mich, Małgorzata Wiśniewska anzurufen, ul. Marszałkowska 84/92.", "ul. Marszałkowska 84/92"),
    ("Ship to Calle Mayor 7, 3º B, Madrid.", "Calle Mayor 7, 3º B"),
    ("Send flowers to Agnieszka Kowalczyk, ul. Długa 5 m. 3.", "ul. Długa 5 m. 3"),
    ("Ich wohne jetzt in der Cumhuriyet Cad. No 12, İzmir.", "Cumhuriyet Cad. No 12"),
    ("Send it to Atatürk Mahallesi, Gül Sokak No: 8, Ankara.", "Gül Sokak No: 8"),
    # a postcode written with a dash before its town
    ("Liefern an ul. Piotrkowska 104, 90-926 Łódź.", "90-926"),
    ("Send flowers to Agnieszka Kowalczyk, ul. Długa 5, 80-831 Gdańsk.", "80-831"),
    ("Her flat is at Rua Augusta 20, 1100-053 Lisboa.", "1100-053"),
])
def test_addresses_written_the_way_other_eu_countries_write_them_do_not_leave(text: str, value: str) -> None:
    assert_gone(text, value)


@pytest.mark.parametrize("text", [
    "Send it via email 2 times.",
    "Travel via bus 12 to the station.",
    "Take the road via the 5 bridges.",
])
def test_via_as_a_way_is_no_street(text: str) -> None:
    assert [f for f in EGRESS.detect(text, "en") if f.category == "ADDRESS"] == []


@pytest.mark.parametrize("text", ["Between 10-100 Euro please.", "I read 20-300 Pages.", "Call 10-123 Support.",
                                  "Das Spiel endete 10-120 Punkte."])
def test_a_range_before_a_word_is_no_postcode(text: str) -> None:
    assert [f for f in DigitRuns().detect(text, "en") + DigitRuns().detect(text, "de") if f.category == "ADDRESS"] == []


@pytest.mark.parametrize(("text", "date"), [
    ("Please fill in: nato il 12 marzo 1985 a Napoli.", "12 marzo 1985"),
    ("Her birthday is 5 de mayo de 1990.", "5 de mayo de 1990"),
    ("Fill the form: urodzony 12 marca 1985 w Krakowie.", "12 marca 1985"),
    ("Write: 12 Mart 1985 doğumlu.", "12 Mart 1985"),
    ("Trag ein: née le 3 avril 2015.", "3 avril 2015"),
])
def test_a_birth_date_with_another_languages_month_does_not_leave(text: str, date: str) -> None:
    assert_gone(text, date)


@pytest.mark.parametrize(("text", "said"), [
    ("Sie sagte, ihre Nummer ist tre quattro sette uno due tre quattro cinque sei sette.",
     "tre quattro sette uno due tre quattro cinque sei sette"),
    ("He wrote: sıfır beş üç iki bir iki üç dört beş altı yedi, call him.",
     "sıfır beş üç iki bir iki üç dört beş altı yedi"),
    ("Her number: seis uno dos tres cuatro cinco seis siete ocho.", "seis uno dos tres cuatro cinco seis siete ocho"),
    ("Notiere: sześć zero jeden dwa trzy cztery pięć sześć siedem.",
     "sześć zero jeden dwa trzy cztery pięć sześć siedem"),
])
def test_a_number_said_digit_by_digit_in_another_language_does_not_leave(text: str, said: str) -> None:
    assert_gone(text, said)


def test_a_few_number_words_are_no_number() -> None:
    assert DigitRuns().detect("Un deux trois, nous irons au bois; uno, due, tre!", "en") == []
