"""Region and consent rules, as a table."""

from __future__ import annotations

import pytest

from tandem.privacy.policy import Consent, evaluate

PII = frozenset({"PERSON", "EMAIL"})
HEALTH = frozenset({"PERSON", "HEALTH"})


@pytest.mark.parametrize(("user", "endpoint", "categories", "consent", "allowed", "reason"), [
    ("DE", "DE", PII, Consent(), True, "policy:pseudonymised"),
    ("DE", "CH", PII, Consent(), True, "policy:pseudonymised"),  # adequacy decision
    ("DE", "SG", PII, Consent(), False, "policy:sg-outside-adequacy"),
    ("DE", "SG", PII, Consent(cross_border=True, consent_id="c-17"), True, "policy:cross-border-consent"),
    ("DE", "SG", frozenset(), Consent(), True, "policy:no-personal-data"),
    ("FR", "US", PII, Consent(), False, "policy:us-outside-adequacy"),
    ("CN", "SG", PII, Consent(cross_border=True), False, "policy:cn-data-stays-in-cn"),
    ("CN", "CN", PII, Consent(), True, "policy:pseudonymised"),
    ("CN", "SG", frozenset(), Consent(), True, "policy:no-personal-data"),
    ("DE", "DE", HEALTH, Consent(), False, "policy:health-needs-consent"),
    ("DE", "DE", HEALTH, Consent(health=True), True, "policy:health-consent"),
    ("US", "US", PII, Consent(), True, "policy:pseudonymised"),
    ("DE", "DE", frozenset(), Consent(cloud=False), False, "policy:cloud-off"),
])
def test_rules(user: str, endpoint: str, categories: frozenset[str], consent: Consent, allowed: bool,
               reason: str) -> None:
    verdict = evaluate(user, endpoint, categories, consent)
    assert verdict.allowed is allowed
    assert verdict.reasons == (reason,)
    assert bool(verdict.legal_basis) is allowed


def test_identifiers_never_leave_unpseudonymised() -> None:
    assert not evaluate("US", "US", PII, Consent(), pseudonymised=False).allowed


def test_legal_basis_names_the_consent() -> None:
    verdict = evaluate("DE", "JP", PII, Consent(consent_id="consent-2026-11-29"))
    assert "consent-2026-11-29" in verdict.legal_basis and "Art. 6(1)(b)" in verdict.legal_basis
