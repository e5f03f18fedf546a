"""Check digits: real-format numbers pass, a single changed digit fails."""

from __future__ import annotations

import pytest

from tandem.privacy.checksums import cn_resident_id_ok, de_tax_id_ok, iban_ok, luhn_ok


@pytest.mark.parametrize(("check", "good", "bad"), [
    (luhn_ok, "4539 1488 0343 6467", "4539 1488 0343 6468"),
    (luhn_ok, "5555-5555-5555-4444", "5555-5555-5555-4445"),
    (iban_ok, "DE44 5001 0517 5407 3249 31", "DE44 5001 0517 5407 3249 32"),
    (iban_ok, "GB29NWBK60161331926819", "GB29NWBK60161331926818"),
    (iban_ok, "gb29nwbk60161331926819", "GB29NWBK6016133192681"),  # case-insensitive; wrong length fails
    (cn_resident_id_ok, "440304198506123412", "440304198506123413"),
    (cn_resident_id_ok, "11010519491231002X", "110105194912310021"),
    (de_tax_id_ok, "47150389216", "47150389217"),
    (de_tax_id_ok, "26349187202", "26349187203"),
])
def test_valid_passes_and_one_digit_off_fails(check: object, good: str, bad: str) -> None:
    assert callable(check)
    assert check(good)
    assert not check(bad)


def test_cn_id_needs_a_real_birth_date() -> None:
    # 1985-13-06 is no date, even if the check digit were right for the digits.
    assert not cn_resident_id_ok("440304198513063412")


def test_de_tax_id_needs_exactly_one_repeated_digit() -> None:
    assert not de_tax_id_ok("12345678903")  # every digit once: not a valid IdNr structure
    assert not de_tax_id_ok("01234567890")  # leading zero
