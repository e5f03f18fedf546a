"""Where personal data may go: region rules and the user's consent, as a pure function.

Rules, from the user's region (``Settings.region``) and the endpoint's (where it processes data):

- EU/EEA users: personal data (even pseudonymised, GDPR Art. 4(5)) may go to endpoints in the EEA or a
  country with an adequacy decision (Art. 45); elsewhere only with explicit consent (Art. 49(1)(a)).
  Health data is a special category (Art. 9): the cloud only with explicit consent for it.
- CN users: personal information stays on endpoints in China (PIPL Art. 38–40 security assessment).
- Everyone: the user can switch the cloud off entirely, and no request with identifiers leaves the device
  unpseudonymised.

A request without any personal data may go anywhere the user allows the cloud at all.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ADEQUATE", "EEA", "Consent", "Verdict", "evaluate"]

EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})
# Countries with a European Commission adequacy decision (the US only via DPF certification, which an
# endpoint's region code cannot show, so it is not in this list).
ADEQUATE = frozenset({"AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY"})


@dataclass(frozen=True)
class Consent:
    """What the user agreed to. Defaults are the cautious ones a new install starts with."""

    cloud: bool = True  # the cloud may be used at all
    cross_border: bool = False  # personal data may go to endpoints outside the user's safe area
    health: bool = False  # health data may go to the cloud (GDPR Art. 9(2)(a))
    consent_id: str | None = None  # reference to the recorded consent, written to the ledger


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go to one endpoint, and on which legal basis."""

    allowed: bool
    reasons: tuple[str, ...]  # short, machine-readable, e.g. "policy:eu-outside-adequacy"
    legal_basis: str = ""  # recorded in the ledger for each cloud call


def _safe_area(user_region: str, endpoint_region: str) -> bool:
    if user_region == "CN":
        return endpoint_region == "CN"
    if user_region in EEA:
        return endpoint_region in EEA or endpoint_region in ADEQUATE
    return True


def _basis(consent: Consent, article: str) -> str:
    return f"consent {consent.consent_id} ({article})" if consent.consent_id else article


def evaluate(user_region: str, endpoint_region: str, categories: frozenset[str], consent: Consent,
             *, pseudonymised: bool = True) -> Verdict:
    """May a request whose personal data falls in ``categories`` go to an endpoint in ``endpoint_region``?"""
    if not consent.cloud:
        return Verdict(False, ("policy:cloud-off",))
    personal = bool(categories)
    if personal and not pseudonymised and categories - {"HEALTH", "FINANCE"}:
        return Verdict(False, ("policy:identifiers-not-pseudonymised",))
    if "HEALTH" in categories and not consent.health:
        return Verdict(False, ("policy:health-needs-consent",))
    if personal and not _safe_area(user_region, endpoint_region):
        if user_region == "CN":
            return Verdict(False, ("policy:cn-data-stays-in-cn",))
        if not consent.cross_border:
            return Verdict(False, (f"policy:{endpoint_region.lower()}-outside-adequacy",))
        return Verdict(True, ("policy:cross-border-consent",), _basis(consent, "GDPR Art. 49(1)(a)"))
    if not personal:
        return Verdict(True, ("policy:no-personal-data",), "no personal data")
    if "HEALTH" in categories:
        return Verdict(True, ("policy:health-consent",), _basis(consent, "GDPR Art. 9(2)(a)"))
    return Verdict(True, ("policy:pseudonymised",), _basis(consent, "GDPR Art. 6(1)(b), pseudonymised"))
