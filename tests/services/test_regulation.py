"""Regulation rules: EU users get EEA/adequate/on-device processing, CN users only CN/on-device."""

from __future__ import annotations

from tandem.services.regulation import TransferPolicy, expand_regions, offer


def test_offered_regions_and_groups() -> None:
    assert "DE" in expand_regions(["EU"]) and "NO" in expand_regions(["EEA"]) and "NO" not in expand_regions(["EU"])
    assert not offer("US", ["EEA"], ["DE"]).allowed
    assert offer("US", ["US"], ["US"]).allowed


def test_eu_user_and_third_country_transfers() -> None:
    assert offer("DE", ["EEA"], ["DE", "IE"]).allowed
    assert offer("FR", ["EEA"], ["CH", "JP"]).allowed  # adequacy decisions
    denied = offer("DE", ["EEA"], ["DE", "IN"])
    assert not denied.allowed and "IN" in denied.reason
    assert offer("DE", ["EEA"], ["IN"], TransferPolicy(allow_third_country=True)).allowed
    assert offer("DE", ["EEA"], ["LOCAL"]).reason == "data stays on the device"


def test_cn_user_only_gets_processing_in_china() -> None:
    assert offer("CN", ["CN"], ["CN"]).allowed
    assert offer("CN", ["CN", "DE"], ["LOCAL"]).allowed
    for elsewhere in (["CN", "SG"], ["US"], ["EEA"]):
        assert not offer("CN", ["CN"], elsewhere, TransferPolicy(allow_third_country=True)).allowed


def test_policy_follows_the_privacy_consent() -> None:
    from tandem.privacy.policy import Consent

    assert not offer("DE", ["EEA"], ["IN"], TransferPolicy.from_consent(Consent())).allowed
    assert offer("DE", ["EEA"], ["IN"], TransferPolicy.from_consent(Consent(cross_border=True))).allowed
