"""The privacy engine: find PII (detect, patterns, ner), replace it reversibly (pseudonymize), judge where
data may go (policy) and record every egress (ledger). Pure logic plus its own store; imports no models."""

from tandem.privacy.detect import CompositeDetector, Detector, Finding
from tandem.privacy.ledger import EgressRecord, Ledger
from tandem.privacy.policy import Consent, Verdict, evaluate
from tandem.privacy.pseudonymize import StreamRestorer, Vault, analyse, redact

__all__ = [
    "CompositeDetector",
    "Consent",
    "Detector",
    "EgressRecord",
    "Finding",
    "Ledger",
    "StreamRestorer",
    "Vault",
    "Verdict",
    "analyse",
    "evaluate",
    "redact",
]
