"""PII detection against public sets with gold spans: span precision, recall and F2 per type, and the
share of texts holding PII in which anything at all was found ("any PII" recall), per language.

Formats are recognised by shape, so another split of the same kind works as is:

- presidio-research synth: a JSON list of ``{"full_text", "spans": [{"entity_type", "start_position",
  "end_position"}]}`` (English);
- MultiPriv: a JSON list of person records with a ``naturalParagraph``; gold spans are the record's
  fields found in the paragraph (ignoring case), plus later mentions of part of a person's name (English);
- CLUENER-style: JSON lines ``{"text", "label": {type: {entity: [[start, end_inclusive]]}}}`` (Chinese).

Only the types Tandem replaces are scored (mapped to its categories). Findings that overlap a gold span
of an unscored type (an organisation, a city, a job title) count neither way; topics (health, finance)
are routing signals, not spans, and are not scored. A finding matches a gold span of the same category
when they overlap by at least half of their union (IoU >= 0.5), so a trailing newline or comma is not
an error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun, require, take
from tandem.eval.metrics import PRF
from tandem.eval.report import Report
from tandem.privacy.detect import TOPICS, Finding

__all__ = ["Gold", "Sample", "load", "match", "read_file", "run"]

PRESIDIO = {"PERSON": "PERSON", "STREET_ADDRESS": "ADDRESS", "CREDIT_CARD": "CREDIT_CARD", "PHONE_NUMBER": "PHONE",
            "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "IBAN", "US_SSN": "ID_NUMBER", "IP_ADDRESS": "IP_ADDRESS",
            "US_DRIVER_LICENSE": "ID_NUMBER"}
MULTIPRIV = {"name": "PERSON", "doctor": "PERSON", "location": "ADDRESS", "idCardNumbers": "ID_NUMBER",
             "emailAddress": "EMAIL", "phoneNumbers": "PHONE"}
CLUENER = {"name": "PERSON", "address": "ADDRESS"}


@dataclass(frozen=True)
class Gold:
    """One labelled span; ``category`` is Tandem's, or None for a type Tandem does not replace."""

    start: int
    end: int  # one past the last character
    category: str | None


@dataclass(frozen=True)
class Sample:
    """One text with its gold spans."""

    language: str
    text: str
    gold: tuple[Gold, ...]


def _presidio(rows: list[dict[str, Any]]) -> list[Sample]:
    return [Sample("en", r["full_text"], tuple(Gold(s["start_position"], s["end_position"],
                                                     PRESIDIO.get(s["entity_type"])) for s in r["spans"]))
            for r in rows]


def _name_parts(text: str, name: str, taken: list[Gold]) -> list[Gold]:
    """Later mentions of part of a name ("Bobby" after "Bobby Jackson") identify the same person."""
    out: list[Gold] = []
    for part in {p for p in name.split() if len(p) > 2}:
        for m in re.finditer(rf"\b{re.escape(part)}\b", text, re.I):
            if all(m.end() <= g.start or m.start() >= g.end for g in taken + out):
                out.append(Gold(m.start(), m.end(), "PERSON"))
    return out


def _multipriv(rows: list[dict[str, Any]]) -> list[Sample]:
    out = []
    for row in rows:
        text = row["naturalParagraph"]
        gold = [Gold(m.start(), m.end(), MULTIPRIV.get(key)) for key, value in row.items()
                if key != "naturalParagraph" and str(value).strip() and len(str(value)) > 2
                for m in re.finditer(re.escape(str(value)), text, re.I)]  # records scramble the case
        for key in (k for k, v in MULTIPRIV.items() if v == "PERSON"):
            gold += _name_parts(text, str(row.get(key, "")), gold)
        out.append(Sample("en", text, tuple(gold)))
    return out


def _cluener(rows: list[dict[str, Any]]) -> list[Sample]:
    return [Sample(r.get("language", "zh"), r["text"], tuple(
        Gold(start, end + 1, CLUENER.get(kind)) for kind, entities in (r.get("label") or {}).items()
        for spans in entities.values() for start, end in spans)) for r in rows]


def read_file(path: Path) -> list[Sample]:
    """Samples of one file, whichever of the three formats it is in."""
    raw = path.read_text(encoding="utf-8")
    try:
        rows = json.loads(raw)
    except ValueError:
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    rows = rows if isinstance(rows, list) else [rows]
    first = rows[0] if rows else {}
    if "full_text" in first:
        return _presidio(rows)
    if "naturalParagraph" in first:
        return _multipriv(rows)
    if "text" in first and "label" in first:
        return _cluener(rows)
    raise ConfigError(f"{path.name}: not a presidio, MultiPriv or CLUENER-style PII file")


def load(data: Path) -> dict[str, list[Sample]]:
    """File stem -> samples, from one file or every .json/.jsonl file in a directory."""
    require(data, "PII data")
    files = [data] if data.is_file() else sorted(p for p in data.iterdir() if p.suffix in (".json", ".jsonl"))
    return {p.stem: read_file(p) for p in files}


def _iou(a: Gold | Finding, b: Gold | Finding) -> float:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap / (max(a.end, b.end) - min(a.start, b.start)) if overlap > 0 else 0.0


def match(gold: Iterable[Gold], found: Iterable[Finding]) -> dict[str, PRF]:
    """Per-category counts for one text (see the module docstring for the rules)."""
    scored = [g for g in gold if g.category]
    ignored = [g for g in gold if not g.category]
    counts: dict[str, list[int]] = {}
    unmatched = list(scored)
    for finding in found:
        if finding.category in TOPICS:
            continue
        hit = next((g for g in unmatched if g.category == finding.category and _iou(g, finding) >= 0.5), None)
        if hit is not None:
            unmatched.remove(hit)
            counts.setdefault(finding.category, [0, 0, 0])[0] += 1
        elif not any(_iou(g, finding) > 0 for g in ignored):
            counts.setdefault(finding.category, [0, 0, 0])[1] += 1
    for g in unmatched:
        counts.setdefault(g.category or "", [0, 0, 0])[2] += 1
    return {k: PRF(*v) for k, v in counts.items()}


def _rows(language: str, per_type: dict[str, PRF], texts: int, flagged: int) -> dict[str, dict[str, float | int]]:
    rows: dict[str, dict[str, float | int]] = {}
    for kind in sorted(per_type):
        c = per_type[kind]
        rows[f"{language} {kind}"] = {"precision": c.precision, "recall": c.recall, "f2": c.f(2), "n_gold": c.tp + c.fn}
    total = sum(per_type.values(), PRF(0, 0, 0))
    rows[f"{language} all"] = {"precision": total.precision, "recall": total.recall, "f2": total.f(2),
                               "n_gold": total.tp + total.fn, "any_pii_recall": flagged / texts if texts else 0.0,
                               "n_texts": texts}
    return rows


def run(run: EvalRun) -> Report:
    """Score the detector on the first ``limit`` texts of each file, grouped by language."""
    if run.detector is None:
        raise ConfigError("the pii suite needs a detector", hint="run it through `tandem eval pii`")
    started = time.monotonic()
    per_lang: dict[str, tuple[dict[str, PRF], list[int]]] = {}
    for stem, samples in load(run.data).items():
        chosen = list(take(samples, run.limit))
        run.progress(f"pii {stem}", 0, len(chosen))
        for i, sample in enumerate(chosen):
            found = run.detector.detect(sample.text, sample.language)
            per_type, tally = per_lang.setdefault(sample.language, ({}, [0, 0]))
            for kind, counts in match(sample.gold, found).items():
                per_type[kind] = per_type.get(kind, PRF(0, 0, 0)) + counts
            if any(g.category for g in sample.gold):
                tally[0] += 1
                tally[1] += any(f.category not in TOPICS for f in found)
            run.progress(f"pii {stem}", i + 1, len(chosen))
    rows: dict[str, dict[str, float | int]] = {}
    for language, (per_type, (texts, flagged)) in per_lang.items():
        rows.update(_rows(language, per_type, texts, flagged))
    notes = ["Span match: same category and IoU >= 0.5; F2 weighs recall 4x. any_pii_recall: texts with scored "
             "gold PII in which the detector found any identifier."]
    return Report(suite="pii", data=str(run.data), rows=rows, limit=run.limit,
                  options={"detector": type(run.detector).__name__}, notes=notes, seconds=time.monotonic() - started)
