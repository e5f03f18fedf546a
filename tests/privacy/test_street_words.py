"""The street words of European languages are data (tandem/privacy/street_words.toml), and each one read there opens
or closes an address the pattern detector finds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import tandem.privacy
from tandem.privacy.patterns import PatternDetector

WORDS = tomllib.loads((Path(tandem.privacy.__file__).parent / "street_words.toml").read_text(encoding="utf-8"))
DETECTOR = PatternDetector()


def _addresses(text: str, language: str) -> list[str]:
    return [f.text for f in DETECTOR.detect(text, language) if f.category == "ADDRESS"]


@pytest.mark.parametrize("word", WORDS["eu"]["joined"])
def test_a_street_word_joined_to_its_name(word: str) -> None:
    assert any("12" in a for a in _addresses(f"Bitte liefern an Linden{word} 12, danke.", "de"))


@pytest.mark.parametrize("word", WORDS["eu"]["apart"])
def test_a_street_word_apart_from_its_name(word: str) -> None:
    assert any("Kowalski" in a for a in _addresses(f"Please deliver to Kowalski {word} 12 tomorrow.", "en"))


@pytest.mark.parametrize("word", WORDS["eu"]["only_streets"])
def test_a_street_word_no_english_word_is_after_a_house_number(word: str) -> None:
    assert any("charpentier" in a for a in _addresses(f"Deliver to 6 {word} gustave charpentier today.", "en"))


def test_the_words_are_lower_case_and_one_word_each() -> None:
    for table in WORDS.values():
        for words in table.values():
            assert words and all(w == w.lower() and " " not in w for w in words), words


@pytest.mark.parametrize("word", WORDS["eu"]["number_words"])
def test_a_house_number_after_its_word(word: str) -> None:
    assert any(a.endswith("12") for a in _addresses(f"Please deliver to Kowalski sokak {word} 12 tomorrow.", "en"))


@pytest.mark.parametrize("word", WORDS["eu"]["flat_words"])
def test_a_flat_number_after_its_word(word: str) -> None:
    assert any(a.endswith("41") for a in _addresses(f"Schick die Karte an ul. Puschkina 9 {word} 41.", "de"))


# Own probes (none from a benchmark set): street words of Indonesia and Malaysia, house and flat numbers written the
# Russian way ("d." dom, "kv." kvartira); every number of the address is inside one finding.
@pytest.mark.parametrize(("text", "language", "numbers"), [
    ("Please deliver it to Jalan Sudirman 45, Jakarta.", "en", ["45"]),
    ("Send the parcel to Jl. Thamrin No. 10, Jakarta Pusat.", "en", ["10"]),
    ("Bitte schick das Paket an Jalan Merdeka 17, Bandung.", "de", ["17"]),
    ("My friend lives at Jln. Ampang 88, Kuala Lumpur.", "en", ["88"]),
    ("Our office is at Jalan Gajah Mada No. 27, Jakarta.", "en", ["27"]),
    ("Ich wohne in der ul. Lenina d. 5 kv. 12 in Nowosibirsk.", "de", ["5", "12"]),
    ("Schick die Karte an ul. Puschkina dom 9 kv. 41.", "de", ["9", "41"]),
    # the Baltic avenue and street words, the Russian avenue before its name, a flat after a comma or a hyphen, the
    # house number's word after a Turkish neighbourhood and numbered street
    ("Bitte liefere an Gedimino pr. 9, Vilnius.", "de", ["9"]), ("Send it to Laisvės pr. 12, Kaunas.", "en", ["12"]),
    ("Send the letter to Pärnu mnt. 15, Tallinn.", "en", ["15"]),
    ("The parcel goes to prospekt Mira 10, kv. 5, Moscow.", "en", ["10", "5"]),
    ("Send it to Nevsky prospekt 28, kv. 14.", "en", ["28", "14"]),
    ("The flat is at Brīvības iela 40-2, Riga.", "en", ["40-2"]),
    ("Deliver to Cumhuriyet Mah. 34. Sok. No: 5, Izmir.", "en", ["34.", "5"]),
    ("Ship to Atatürk Mah. 12. Cad. No: 8 Ankara.", "en", ["12.", "8"]),
    ("Deliver to Duna rkp. 14, Szeged.", "en", ["14"]), ("Bitte an Móricz Zsigmond körtér 5 schicken.", "de", ["5"]),
    # Russian street words written in Latin letters (review28 P28-6), a date inside a German street's name (P28-5)
    ("My address is ulitsa Lenina d. 5, kv. 12.", "en", ["5", "12"]), ("Send it to Ulitsa Lenina d. 5.", "en", ["5"]),
    ("Deliver to Leningradskoye shosse 16, Moscow.", "en", ["16"]),
    ("Er wohnt an der Fontanka naberezhnaya 34.", "de", ["34"]), ("We meet at Pushkinskaya ploshchad 2.", "en", ["2"]),
    ("Lieferung an Straße des 17. Juni 114, bitte", "de", ["114"]),
    ("Bring es zur Straße des 17. Juni 114, danke", "de", ["114"]),
])
def test_foreign_street_and_house_number_words(text: str, language: str, numbers: list[str]) -> None:
    found = _addresses(text, language)
    assert all(any(n in a.split() or f" {n}" in a for a in found) for n in numbers), found


@pytest.mark.parametrize(("text", "language", "street"), [
    ("Die Adresse ist Cumhuriyet Mah. 34. Sok. No: 5, Izmir.", "de", "Cumhuriyet"),
    ("Deliver to Konstitucijos prospektas 7, Vilnius.", "en", "Konstitucijos"),
    ("Deliver to Duna rkp. 14, Szeged.", "en", "Duna"),
    ("Bitte an Gedimino pr. 9 liefern.", "de", "Gedimino"),
    ("Die Adresse ist Krivokolenny pereulok 10.", "de", "Krivokolenny"),
])
def test_a_street_name_begins_after_a_function_word(text: str, language: str, street: str) -> None:
    assert any(a.startswith(street) for a in _addresses(text, language)), _addresses(text, language)


@pytest.mark.parametrize("text", [
    "Bitte lies Kapitel Nr. 5 vor.", "Ticket Nr. 12 ist fertig.", "Zimmer Nr. 12 ist frei.", "Order No. 5 has shipped.",
    "Track No. 7 on the album is great.", "Please read part d. 5 of the contract.", "See item no. 4 on the list.",
    "Room No. 12 is ready, go to Desk Nr. 14.", "Lager Nr. 3 ist voll.", "Symphony No. 9 by Beethoven is playing.",
    "Wir haben Tisch Nr. 8 reserviert.", "We walked jalan by jalan for 3 hours.",
])
def test_a_number_after_its_word_without_a_street_is_no_address(text: str) -> None:
    language = "de" if any(w in text for w in ("Bitte", "ist", "Wir")) else "en"
    assert _addresses(text, language) == []
