"""A phone number said in groups of number words (French pairs, Spanish "treinta y cuatro", Turkish "yüz otuz iki",
Polish hundreds) is a number, as one said digit by digit is: the egress check replaces it."""

from __future__ import annotations

import pytest

from tandem.privacy.failclosed import said_digits
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "said"), [
    ("Sie sagte, ihre Nummer ist zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.", "douze"),
    ("Su número es seis uno dos, treinta y cuatro, cincuenta y seis, setenta y ocho.", "treinta"),
    ("Her number is sıfır beş yüz otuz iki, yüz yirmi üç, kırk beş, altmış yedi.", "otuz"),
    ("Jej numer to sześćset jeden, dwieście trzydzieści cztery, pięćset sześćdziesiąt siedem.", "dwieście"),
    ("Il suo numero è tre quattro sette, trentadue, quarantotto, cinquantasei.", "trentadue"),
    ("My number is oh seven nine, thirty four, fifty six, seventy eight.", "thirty"),
])
def test_a_number_said_in_groups_does_not_leave(text: str, said: str) -> None:
    assert said not in _sent(text)


@pytest.mark.parametrize("text", [
    "I was born in nineteen eighty five.",
    "We need twenty five chairs, thirty cups and ten tables.",
    "One hundred and twenty people came, and forty stayed.",
    "Il y a trente-deux élèves et quarante professeurs.",
    "Compré doce huevos y treinta y cinco manzanas.",
    "Un, deux, trois, nous irons au bois!",
])
def test_counts_in_a_sentence_are_no_number(text: str) -> None:
    assert said_digits(text) == []
