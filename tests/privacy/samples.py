"""The hand-written en/de/zh PII samples (they live in ``tandem.eval.pii_samples``, which benches use too)."""

from __future__ import annotations

from tandem.eval.pii_samples import SAMPLES

__all__ = ["SAMPLES"]
