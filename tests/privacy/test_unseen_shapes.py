"""Session 5 generalisations (issue 15), each on values written here, none from a benchmark set: a shape
no set holds is caught on the egress path, and an ordinary sentence of the same make is left alone."""

from __future__ import annotations

import re

import pytest

from tandem.privacy.detect import Finding
from tandem.privacy.failclosed import DigitRuns
from tandem.privacy.names import NameDetector, NameNeighbours, ProperNounDetector
from tandem.privacy.patterns import PatternDetector
from tandem.router.wiring import egress_detector, fast_detector
from tests.privacy.test_leak_classes import assert_gone

EGRESS = egress_detector(fast_detector("DE"))


# --- addresses: street grammar that works for streets no list holds -------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    # a post-office box
    ("Mail the form to PO Box 3381 and keep a copy.", "PO Box 3381"),
    ("Write to Post Office Box 77, Tarrow.", "Post Office Box 77"),
    # a house number on a numbered highway
    ("The farm is at 4402 State Route 17, just past the bridge.", "4402 State Route 17"),
    ("She moved to 311 US Highway 9 last spring.", "311 US Highway 9"),
    # a secondary unit on its own, behind a street no rule parsed
    ("Deliver to Kertváros krt. 9. Apt. 318 by noon.", "Apt. 318"),
    # a pre-directional makes the street suffix optional (USPS)
    ("Pick me up at 1200 West Olmsted Garza tomorrow.", "1200 West Olmsted Garza"),
    # a particle between a Romance street word and the name; a lower-case name after a house number
    ("Validate this: 77 Rue de Quelvenec 12, please.", "77 Rue de Quelvenec 12"),
    ("the hotel is at 14 rue albertine pouchard 69003 near the river.", "14 rue albertine pouchard 69003"),
])
def test_street_shapes_without_a_listed_street_are_addresses(text: str, address: str) -> None:
    assert_gone(text, address)


def test_a_house_number_beside_an_unknown_street_name_goes_with_it() -> None:
    # No street word at all: the safety net takes the unknown name, the number beside it goes along.
    assert_gone("The bus stops at Ostrovní Kalnica 2381", "Ostrovní Kalnica 2381")
    assert_gone("it is the corner of Vesturgata 41 and Quabbin Lanes", "Vesturgata 41")
    assert_gone("It's in the corner of 88 Ventouris Str. and Maple", "88 Ventouris")


@pytest.mark.parametrize("text", [
    "Send 2 via email please, the plaza is closed.",
    "I gave Kevin 20 dollars for the tickets.",
    "We met in 2019 and visited 5 different cities.",
    "Windows 11 runs on 3 of our laptops.",
    "The suite has 2 rooms and the unit costs 300 a month.",
])
def test_numbers_in_ordinary_sentences_stay(text: str) -> None:
    found = [f for f in EGRESS.detect(text, "en") if f.category == "ADDRESS"]
    assert found == []


# --- five-digit numbers: fail closed -------------------------------------------------------------------

def test_a_lone_five_digit_number_is_replaced_but_amounts_and_counts_stay() -> None:
    found = DigitRuns().detect("Their code is 48213, not 12000 dollars; $45000 and 30000 people came.", "en")
    assert {f.text for f in found} == {"48213"}  # a code said after its name is a secret too (secrets.py)
    assert_gone("MERRIWICK, n/a\n 73104 is where it goes.", "73104")


# --- names: context, neighbours, lower case --------------------------------------------------------------

@pytest.mark.parametrize(("text", "payee"), [
    ("please transfer 300 dollars to Gran from checking", "Gran"),
    ("$45 to auntie tomorrow", "auntie"),
    ("send the money to joy.", "joy"),
])
def test_who_receives_money_is_a_person_even_as_a_common_word(text: str, payee: str) -> None:
    assert any(f.text == payee and f.category == "PERSON" for f in NameDetector().detect(text, "en"))


@pytest.mark.parametrize("text", [
    "I want to transfer money to pay the rent.",
    "Pay 40 dollars to book a table.",
    "Move $200 to my savings account.",
    "Transfer 50 dollars to checking.",
])
def test_a_verb_or_an_account_after_to_is_no_payee(text: str) -> None:
    assert [f for f in NameDetector().detect(text, "en") if f.category == "PERSON"] == []


@pytest.mark.parametrize("text", [
    "Convert 100 dollars to Yen.",  # "yen" is also a census surname: the unit of money decides
    "How much is 20 dollars to pesos?",
    "I paid $5 to Amazon.",  # a word the dictionary knows that is no name: a shop, not a person
    "I paid 12 dollars to Walmart for the month.",
])
def test_a_currency_or_a_shop_after_to_is_no_payee(text: str) -> None:
    assert [f for f in NameDetector().detect(text, "en") if f.category == "PERSON"] == []


@pytest.mark.parametrize(("text", "payee"), [
    ("Transfer money to Mr. Okonkwo.", "Okonkwo"),  # the title is skipped, the name is the payee
    ("please wire 80 dollars to Dr Hallvard today", "Hallvard"),
])
def test_the_payee_after_a_title_is_the_name(text: str, payee: str) -> None:
    assert any(f.text == payee and f.category == "PERSON" for f in NameDetector().detect(text, "en"))


def test_a_name_grows_over_the_capitalised_run_it_stands_in() -> None:
    # Only "Corvalis" is a name to the lists; the words after it are ordinary words written as one name.
    text = "Your appointment at Corvalis Family Wellness Partners is confirmed."
    grown = NameNeighbours().detect_rest(text, "en", [Finding(20, 28, "PERSON", "Corvalis", 0.6)])
    assert [f.text for f in grown] == ["Corvalis Family Wellness Partners"]


def test_a_lower_case_name_takes_the_census_name_beside_it() -> None:
    assert_gone("a counsellor called white harriet j in the valley", "white harriet")
    assert_gone("book me with fenwick matt please", "fenwick matt")


def test_two_unknown_lower_case_words_are_a_name() -> None:
    assert_gone("The office is on Main Road; ask for tuvrelka omsani at the desk.", "tuvrelka omsani")


@pytest.mark.parametrize("text", [
    "Kevin will call you tomorrow about the report.",
    "Ask Kevin. Yesterday was busy.",
    "kevin said he would come back later",
])
def test_function_words_and_sentence_starts_never_join_a_name(text: str) -> None:
    name = re.search(r"[Kk]evin", text)
    assert name is not None
    grown = NameNeighbours().detect_rest(text, "en", [Finding(name.start(), name.end(), "PERSON", name.group())])
    assert grown == []


def test_ordinary_lower_case_text_with_one_typo_is_not_flagged() -> None:
    text = "I couldnt find the bus stop near the market, can you help?"
    assert ProperNounDetector().detect(text, "en") == []
    assert [f for f in PatternDetector().detect(text, "en") if f.replaceable] == []
