"""Address pieces without a street word, address lines in any Latin script, and what is left of a finding
that another one partly covers: none of it may reach the cloud."""

from __future__ import annotations

import pytest

from tandem.privacy.detect import Finding, merge_findings
from tandem.router.wiring import egress_detector, fast_detector

DETECT = egress_detector(fast_detector("DE"))


def found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in DETECT.detect(text, "en")]


@pytest.mark.parametrize(("text", "address"), [
    ("The restaurant is at 9816 214 Pavlou Drandaki", "9816 214 Pavlou Drandaki"),
    ("The shop was at 17 Ulica Kwiatowa", "17 Ulica Kwiatowa"),
])
def test_a_place_at_a_house_number(text: str, address: str) -> None:
    assert ("ADDRESS", address) in found(text)


@pytest.mark.parametrize("text", ["Dinner is at 8 pm", "The call is at 12:30 today", "Growth is at 20% this year"])
def test_times_and_shares_are_no_house_numbers(text: str) -> None:
    assert not [f for f in found(text) if f[0] == "ADDRESS"]


def test_address_lines_in_latin_extended_scripts_continue_the_block() -> None:
    text = "009 Slovenčeva 51\n Suite 632\n Črni Vrh nad Idrijo\n Slovenia 15755"
    (address,) = [t for c, t in found(text) if c == "ADDRESS"]
    assert address.endswith("Slovenia 15755") and "Črni Vrh nad Idrijo" in address


def test_what_a_kept_finding_does_not_cover_stays_a_finding() -> None:
    text = "Jarmila Fiedlerová\n\n009 Slovenčeva 51"
    person = Finding(0, 18, "PERSON", text[:18], 0.7, "names")
    address = Finding(8, len(text), "ADDRESS", text[8:], 0.85, "patterns")
    merged = merge_findings([person, address])
    assert [(f.category, f.text) for f in merged] == [("PERSON", "Jarmila"), ("ADDRESS", text[8:])]
    cue = "Bitte schicken Sie die Unterlagen an Uhlandstraße 67"
    lower = Finding(14, len(cue), "ADDRESS", cue[14:], 0.7, "cue")
    street = Finding(37, len(cue), "ADDRESS", cue[37:], 0.9, "street")
    assert merge_findings([lower, street]) == [street]  # "Sie die Unterlagen an" is no address
