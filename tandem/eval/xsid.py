"""xSID: intent detection and slot filling in English, German and Chinese (mainlp/xsid, conll format).

Each utterance is a ``# text = ...`` / ``# intent = ...`` header and one ``index<TAB>token<TAB>intent<TAB>BIO``
line per token. Predictors return an intent and slot values as text; values are located in the gold
tokens (ignoring spaces and case), so every predictor is scored on the same token spans as conlleval.

The device predictor asks the on-device model for JSON constrained to a schema whose enums are the
intents and slot types found in the data given, so a held-out split with the same labels needs no code.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError, TandemError
from tandem.eval.base import EvalRun, require, take
from tandem.eval.metrics import PRF, Span, bio_spans, span_prf
from tandem.eval.report import Report
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ResponseFormat

__all__ = ["Labels", "Parse", "Scored", "Utterance", "align", "device_predictor", "load", "predicted_spans",
           "read_conll", "run", "score"]


@dataclass(frozen=True)
class Utterance:
    """One gold-labelled utterance."""

    id: str  # "<language>-<position>" (xSID's own ids are not in every language file)
    language: str  # from the file name: "en.valid.conll" -> "en"
    text: str  # the raw utterance
    tokens: tuple[str, ...]  # the tokenisation the tags refer to
    intent: str
    tags: tuple[str, ...]  # one BIO tag per token


@dataclass(frozen=True)
class Parse:
    """What a predictor understood; ``intent`` None means it had no answer."""

    intent: str | None
    slots: tuple[tuple[str, str], ...] = ()  # (slot type, value as written in the utterance)


@dataclass(frozen=True)
class Labels:
    """The label inventory of the data under test: the closed sets a predictor may choose from."""

    intents: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def of(cls, utterances: Sequence[Utterance]) -> Labels:
        intents = sorted({u.intent for u in utterances})
        slots = sorted({t.partition("-")[2] for u in utterances for t in u.tags if t != "O"})
        return cls(tuple(intents), tuple(slots))


def _utterance(block: list[str], language: str, position: int) -> Utterance | None:
    meta: dict[str, str] = {}
    rows: list[list[str]] = []
    for line in block:
        if line.startswith("#"):
            key, sep, value = line[1:].partition("=")
            if sep:
                meta.setdefault(key.strip(), value.strip())
        else:
            rows.append(line.split("\t"))
    if not rows:
        return None
    if any(len(r) < 4 for r in rows):
        raise ConfigError(f"xSID {language} utterance {position}: expected 4 tab-separated columns")
    text = meta.get("text", " ".join(r[1] for r in rows))
    return Utterance(id=f"{language}-{position}", language=language, text=text,
                     tokens=tuple(r[1] for r in rows), intent=meta.get("intent", rows[0][2]),
                     tags=tuple(r[3] for r in rows))


def read_conll(path: Path, language: str | None = None) -> list[Utterance]:
    """Utterances of one conll file; the language defaults to the file name's first part."""
    language = language or path.name.split(".")[0]
    blocks: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            blocks[-1].append(line.rstrip("\n"))
        elif blocks[-1]:
            blocks.append([])
    found = (_utterance(b, language, i) for i, b in enumerate(blocks))
    return [u for u in found if u is not None]


def load(data: Path) -> dict[str, list[Utterance]]:
    """Language -> utterances, from one ``.conll`` file or every ``*.conll`` file in a directory."""
    require(data, "xSID data")
    files = [data] if data.is_file() else sorted(data.glob("*.conll"))
    if not files:
        raise ConfigError(f"no .conll files in {data}", hint="point --data at an xSID split")
    out: dict[str, list[Utterance]] = {}
    for path in files:
        for utterance in read_conll(path):
            out.setdefault(utterance.language, []).append(utterance)
    return out


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def align(tokens: Sequence[str], value: str, taken: set[int] | None = None) -> tuple[int, int] | None:
    """The shortest token span whose text equals ``value`` (ignoring spaces and case), skipping spans
    that overlap ``taken``; None if the value is not in the utterance as written."""
    target, taken = _squash(value), taken or set()
    if not target:
        return None
    for start in range(len(tokens)):
        joined = ""
        for end in range(start, len(tokens)):
            joined += _squash(tokens[end])
            if joined == target and not taken & set(range(start, end + 1)):
                return start, end + 1
            if not target.startswith(joined):
                break
    return None


def predicted_spans(tokens: Sequence[str], parse: Parse) -> set[Span]:
    """Token spans of a parse's slot values; values not found in the utterance count as no span."""
    spans: set[Span] = set()
    taken: set[int] = set()
    for kind, value in parse.slots:
        found = align(tokens, value, taken)
        if found:
            spans.add((kind, *found))
            taken.update(range(*found))
    return spans


_SYSTEM = ("You understand requests to a voice assistant. Choose the request's intent, then list its slots: "
           "each slot is a type and a value copied word for word from the request. Leave out anything that "
           "fits no slot type.")


def device_predictor(model: Model, labels: Labels) -> Callable[[Utterance], Parse]:
    """Intent + slots from the on-device model, JSON constrained to the data's label inventory."""
    schema = {"type": "object", "additionalProperties": False, "required": ["intent", "slots"], "properties": {
        "intent": {"enum": list(labels.intents)},
        "slots": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["type", "value"],
            "properties": {"type": {"enum": list(labels.slots)}, "value": {"type": "string"}}}}}}
    fmt = ResponseFormat(type="json_schema", schema=schema)

    def predict(utterance: Utterance) -> Parse:
        request = ChatRequest(messages=(Message("system", _SYSTEM), Message("user", utterance.text)),
                              response_format=fmt, temperature=0.0, max_tokens=96, seed=0)
        try:
            value = json.loads(complete(model, request).message.content or "")
        except (TandemError, ValueError):
            return Parse(intent=None)
        slots = value.get("slots") if isinstance(value, dict) else None
        pairs = tuple((s["type"], s["value"]) for s in slots or () if isinstance(s, dict)
                      and isinstance(s.get("type"), str) and isinstance(s.get("value"), str))
        return Parse(intent=value.get("intent") if isinstance(value, dict) else None, slots=pairs)

    return predict


@dataclass(frozen=True)
class Scored:
    """One utterance's outcome."""

    intent_ok: bool
    slots: PRF  # span counts of this utterance
    exact: bool  # intent right and the span sets identical
    answered: bool  # the predictor named an intent (a partial parser abstains on what it does not cover)


def score(utterance: Utterance, parse: Parse) -> Scored:
    gold, predicted = bio_spans(utterance.tags), predicted_spans(utterance.tokens, parse)
    intent_ok = parse.intent == utterance.intent
    return Scored(intent_ok, span_prf(gold, predicted), intent_ok and gold == predicted, parse.intent is not None)


def _row(scored: Sequence[Scored]) -> dict[str, float | int]:
    total = sum((s.slots for s in scored), PRF(0, 0, 0))
    n = len(scored)
    return {"intent_acc": sum(s.intent_ok for s in scored) / n if n else 0.0,
            "slot_p": total.precision, "slot_r": total.recall, "slot_f1": total.f(),
            "exact_match": sum(s.exact for s in scored) / n if n else 0.0,
            "answered": sum(s.answered for s in scored) / n if n else 0.0, "n": n}


def _predictor(run: EvalRun, labels: Labels) -> Callable[[Utterance], Parse]:
    if run.tier == "fast":
        parser = run.fast_parser
        if parser is None:
            raise ConfigError("the fast tier is not available", hint="use --tier device")
        return lambda u: parser(u.text, u.language)
    return device_predictor(run.model(), labels)


def run(run: EvalRun) -> Report:
    """Score a predictor per language (the first ``limit`` utterances of each) and over all of them."""
    started = time.monotonic()
    data = load(run.data)
    labels = Labels.of([u for us in data.values() for u in us])
    predict = _predictor(run, labels)
    rows: dict[str, dict[str, float | int]] = {}
    everything: list[Scored] = []
    items: list[dict[str, Any]] = []
    for language, utterances in data.items():
        chosen = list(take(utterances, run.limit))
        scored = []
        run.progress(f"xsid {language}", 0, len(chosen))
        for i, utterance in enumerate(chosen):
            parse = predict(utterance)
            scored.append(score(utterance, parse))
            items.append({"id": utterance.id, "text": utterance.text, "intent": utterance.intent,
                          "predicted_intent": parse.intent, "predicted_slots": [list(s) for s in parse.slots],
                          "exact": scored[-1].exact})
            run.progress(f"xsid {language}", i + 1, len(chosen))
        rows[language] = _row(scored)
        everything += scored
    if len(rows) > 1:
        rows["all"] = _row(everything)
    notes = ["Slot P/R/F1: strict spans (type, start, end) as conlleval, micro-averaged; predicted values are "
             "located in the gold tokens ignoring spaces and case.",
             "Exact match: intent right and every slot span right. Answered: share of utterances given an intent."]
    return Report(suite="xsid", data=str(run.data), rows=rows, model=run.model_id if run.tier == "device" else None,
                  limit=run.limit, options={"tier": run.tier, "labels": f"{len(labels.intents)} intents, "
                                            f"{len(labels.slots)} slot types"},
                  notes=notes, items=items, seconds=time.monotonic() - started)
