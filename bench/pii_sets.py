"""Loaders for the public PII evaluation sets, as (language, text, gold spans) with Tandem's categories.

Only the types Tandem replaces are scored; the rest (organisations, cities, ages, job titles...) are
listed as not targeted, since replacing them would cost answer quality without identifying anyone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

PRESIDIO_TYPES = {"PERSON": "PERSON", "STREET_ADDRESS": "ADDRESS", "CREDIT_CARD": "CREDIT_CARD",
                  "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "IBAN", "US_SSN": "ID_NUMBER",
                  "IP_ADDRESS": "IP_ADDRESS", "US_DRIVER_LICENSE": "ID_NUMBER"}
MULTIPRIV_FIELDS = {"name": "PERSON", "doctor": "PERSON", "location": "ADDRESS", "idCardNumbers": "ID_NUMBER",
                    "emailAddress": "EMAIL", "phoneNumbers": "PHONE"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    category: str
    value: str


@dataclass(frozen=True)
class Sample:
    source: str
    language: str
    text: str
    gold: tuple[Gold, ...]


def presidio(eval_dir: Path) -> list[Sample]:
    rows = json.loads((eval_dir / "pii" / "presidio_synth_public.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        gold = tuple(Gold(s["start_position"], s["end_position"], PRESIDIO_TYPES[s["entity_type"]], s["entity_value"])
                     for s in row["spans"] if s["entity_type"] in PRESIDIO_TYPES)
        out.append(Sample("presidio", "en", row["full_text"], gold))
    return out


def multipriv(eval_dir: Path) -> list[Sample]:
    rows = json.loads((eval_dir / "pii" / "multipriv_en.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        text = row["naturalParagraph"]
        gold = []
        for field, category in MULTIPRIV_FIELDS.items():
            value = str(row.get(field, ""))
            gold.extend(Gold(m.start(), m.end(), category, value) for m in re.finditer(re.escape(value), text)
                        if value)
        out.append(Sample("multipriv", "en", text, tuple(gold)))
    return out


def own(samples: list[tuple[str, str, dict[str, str]]]) -> list[Sample]:
    """Hand-written de/zh/en samples: gold spans are every occurrence of each listed value."""
    out = []
    for language, text, values in samples:
        gold = tuple(Gold(text.index(v), text.index(v) + len(v), c, v) for v, c in values.items())
        out.append(Sample("own", language, text, gold))
    return out
