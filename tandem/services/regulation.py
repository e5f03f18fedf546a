"""Which services may be offered to a user, by region and data-transfer rules. Pure functions.

Two regimes are modelled, the ones Tandem ships partners for:

* EU/EEA users (GDPR chapter V): a service may process data in the EEA, on the device, or in a country
  with an EU adequacy decision. Anything else is a third-country transfer and is only offered when the
  user's policy explicitly allows it (their cross-border consent). The country lists are the privacy
  layer's (``tandem.privacy.policy``), so cloud routing and partner services apply the same ones.
* CN users (PIPL / data-localisation rules as the seed describes them): only services that process
  data in mainland China or on the device.

Other regions get every service offered there. "Not offered" is a value with a reason, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tandem.privacy.policy import ADEQUATE, EEA, Consent

__all__ = ["ADEQUATE", "EEA", "EU", "Offer", "TransferPolicy", "expand_regions", "offer"]

EU = frozenset(EEA - {"IS", "LI", "NO"})
LOCAL = "LOCAL"


@dataclass(frozen=True)
class TransferPolicy:
    """What the user (or their organisation) allows beyond the default rules."""

    allow_third_country: bool = False  # EU users: also offer services processing outside EEA/adequacy

    @classmethod
    def from_consent(cls, consent: Consent) -> TransferPolicy:
        """The same cross-border consent that lets personal data go to a cloud endpoint abroad."""
        return cls(allow_third_country=consent.cross_border)


@dataclass(frozen=True)
class Offer:
    """Whether a service may be offered to a user, and why."""

    allowed: bool
    reason: str  # one line for `tandem services list` and the agent's explanation


def expand_regions(codes: Iterable[str]) -> frozenset[str]:
    """ISO codes with the groups ``EU`` and ``EEA`` expanded to their member states."""
    out: set[str] = set()
    for code in codes:
        out |= EU if code == "EU" else EEA if code == "EEA" else {code}
    return frozenset(out)


def offer(user_region: str, offered_in: Iterable[str], processed_in: Iterable[str],
          policy: TransferPolicy | None = None) -> Offer:
    """Decide whether a service offered in ``offered_in`` and processing data in ``processed_in`` may
    be offered to a user in ``user_region``."""
    policy = policy or TransferPolicy()
    if user_region not in expand_regions(offered_in):
        return Offer(False, f"not offered in {user_region}")
    processing = expand_regions(processed_in) - {LOCAL}
    if user_region == "CN":
        outside = sorted(processing - {"CN"})
        if outside:
            return Offer(False, f"processes data outside mainland China ({', '.join(outside)})")
        return Offer(True, "data stays in China" if processing else "data stays on the device")
    if user_region in EEA:
        outside = sorted(processing - EEA - ADEQUATE)
        if outside and not policy.allow_third_country:
            return Offer(False, f"transfers data to a third country without adequacy ({', '.join(outside)})")
        if outside:
            return Offer(True, f"third-country transfer allowed by policy ({', '.join(outside)})")
        return Offer(True, "data stays in the EEA or adequate countries" if processing
                     else "data stays on the device")
    return Offer(True, f"offered in {user_region}")
