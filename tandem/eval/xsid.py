"""xSID: intent detection and slot filling in English, German and Chinese (mainlp/xsid, conll format).

Each utterance is a ``# text = ...`` / ``# intent = ...`` header and one ``index<TAB>token<TAB>intent<TAB>BIO``
line per token. Predictors return an intent and slot values as text; values are located in the gold
tokens (ignoring spaces and case), so every predictor is scored on the same token spans as conlleval.

Predictors, by ``run.tier``:
    understand  Tandem's own understanding tiers (templates, then the learned e5 tier with its "none of
                these"; the device model fills parameters only with ``--llm``) over xSID's intents declared
                as capabilities from xSID's English training material (``tandem.eval.xsid_train``). The
                CLI injects the tiers as ``options["understander"]``: (manifest documents, the texts to
                come) -> (text -> (an agent ``Understanding``, the learned tier's forced choice)).
    device      the on-device model asked for JSON constrained to a schema whose enums are the intents and
                slot types found in the data given (a held-out split with the same labels needs no code).
    fast        the agent's shipped template parser (its reminder intents only).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError, TandemError
from tandem.eval.base import EvalRun, data_root, require
from tandem.eval.metrics import PRF, Span, bio_spans, span_prf
from tandem.eval.report import Report
from tandem.eval.xsid_train import Declared, choose, excerpt_examples, manifest, snips_examples
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ResponseFormat

__all__ = ["Labels", "Parse", "Scored", "Utterance", "align", "declare", "device_predictor", "half", "load",
           "predicted_spans", "read_conll", "run", "score"]


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
    tier: str | None = None  # which of Tandem's understanding tiers answered ("fast", "learned", "none")
    ms: float | None = None  # how long understanding took
    forced: str | None = None  # the learned tier's first capability when "none of these" is not allowed


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
    intent: str = ""  # the gold intent


def score(utterance: Utterance, parse: Parse) -> Scored:
    gold, predicted = bio_spans(utterance.tags), predicted_spans(utterance.tokens, parse)
    intent_ok = parse.intent == utterance.intent
    return Scored(intent_ok, span_prf(gold, predicted), intent_ok and gold == predicted, parse.intent is not None,
                  utterance.intent)


def _row(scored: Sequence[Scored], parses: Sequence[Parse] = ()) -> dict[str, float | int]:
    total = sum((s.slots for s in scored), PRF(0, 0, 0))
    n = len(scored)
    row: dict[str, float | int] = {
        "intent_acc": sum(s.intent_ok for s in scored) / n if n else 0.0,
        "slot_p": total.precision, "slot_r": total.recall, "slot_f1": total.f(),
        "exact_match": sum(s.exact for s in scored) / n if n else 0.0,
        "answered": sum(s.answered for s in scored) / n if n else 0.0}
    if parses and any(p.tier for p in parses):  # Tandem's tiers: who answered, and how fast
        row.update({f"by_{tier}": sum(p.tier == tier for p in parses) / len(parses) for tier in ("fast", "learned")})
        row["forced_intent_acc"] = sum(p.forced == s.intent for p, s in zip(parses, scored, strict=True)) / n
    row["n"] = n
    return row


def _understood(result: Any, forced: str | None, declared: Declared) -> Parse:
    """An agent ``Understanding`` in xSID's labels: its first intent, the words each slot was read from."""
    forced = declared.intents.get(forced or "", forced)
    if not result.intents:
        return Parse(intent=None, tier=result.tier, ms=result.latency_ms, forced=forced)
    first = result.intents[0]
    slots = tuple((declared.slots[k], str(v)) for k, v in first.spans.items() if k in declared.slots and v)
    return Parse(declared.intents.get(first.name, first.name), slots, result.tier, result.latency_ms, forced)


def declare(run: EvalRun, evaluated: Iterable[str] = ()) -> Declared:
    """xSID's intents as capabilities, from its English training material (see ``tandem.eval.xsid_train``),
    never a sentence that is also ``evaluated`` (Snips' training files hold half of xSID's English
    validation sentences)."""
    folder = Path(run.options.get("train") or data_root() / "snips")
    examples = chain(excerpt_examples(), snips_examples(require(folder, "xSID training data (Snips part)")))
    held_out = {_squash(text) for text in evaluated}
    unseen = (e for e in examples if _squash(e.text) not in held_out)
    return manifest(choose(unseen, int(run.options.get("examples") or 10)))


def half(language: str, text: str) -> str:
    """"tune" or "report", by a stable hash of language and text: the split bench/understand.py calibrates
    the learned tier's "none of these" threshold on (its tune half includes these xSID utterances)."""
    return "tune" if hashlib.sha256(f"{language}\t{text}".encode()).digest()[0] % 2 == 0 else "report"


def _chosen(run: EvalRun, data: dict[str, list[Utterance]]) -> dict[str, list[Utterance]]:
    """Per language, the utterances of the half asked for (``options["half"]``: "report" for the
    understanding tiers, whose threshold was tuned on the other half; "all" otherwise), then ``limit`` of
    them spread evenly (the files are grouped by intent, so the first few would be one intent)."""
    wanted = run.options.get("half") or ("report" if run.tier == "understand" else "all")
    data = {lang: [u for u in us if wanted == "all" or half(lang, u.text) == wanted] for lang, us in data.items()}
    if run.limit is None:
        return data
    return {lang: us[::max(1, len(us) // run.limit)][:run.limit] for lang, us in data.items()}


def _tiers(run: EvalRun, chosen: dict[str, list[Utterance]]) -> tuple[Callable[[Utterance], Parse], Declared]:
    build = run.options.get("understander")
    if build is None:
        raise ConfigError("Tandem's understanding tiers were not given to this run", hint="use --tier device")
    texts = [u.text for us in chosen.values() for u in us]
    declared = declare(run, texts)
    understand = build([declared.document], texts)
    def predict(utterance: Utterance) -> Parse:
        result, forced = understand(utterance.text)
        return _understood(result, forced, declared)

    return predict, declared


def _predictor(run: EvalRun, labels: Labels) -> Callable[[Utterance], Parse]:
    if run.tier == "fast":
        parser = run.fast_parser
        if parser is None:
            raise ConfigError("the fast tier is not available", hint="use --tier device")
        return lambda u: parser(u.text, u.language)
    return device_predictor(run.model(), labels)


def run(run: EvalRun) -> Report:
    """Score a predictor per language (``limit`` utterances of each, evenly spread) and over all of them."""
    started = time.monotonic()
    data = load(run.data)
    labels = Labels.of([u for us in data.values() for u in us])
    chosen_all = _chosen(run, data)
    declared = None
    if run.tier == "understand":
        predict, declared = _tiers(run, chosen_all)
    else:
        predict = _predictor(run, labels)
    rows: dict[str, dict[str, float | int]] = {}
    everything: list[tuple[Scored, Parse]] = []
    items: list[dict[str, Any]] = []
    for language, chosen in chosen_all.items():
        done: list[tuple[Scored, Parse]] = []
        run.progress(f"xsid {language}", 0, len(chosen))
        for i, utterance in enumerate(chosen):
            parse = predict(utterance)
            done.append((score(utterance, parse), parse))
            items.append({"id": utterance.id, "text": utterance.text, "intent": utterance.intent,
                          "predicted_intent": parse.intent, "predicted_slots": [list(s) for s in parse.slots],
                          "tier": parse.tier, "exact": done[-1][0].exact})
            run.progress(f"xsid {language}", i + 1, len(chosen))
        rows[language] = _row([s for s, _ in done], [p for _, p in done])
        everything += done
    if len(rows) > 1:
        rows["all"] = _row([s for s, _ in everything], [p for _, p in everything])
    return Report(suite="xsid", data=str(run.data), rows=rows, model=run.model_id, limit=run.limit,
                  options=_options(run, labels, declared), notes=_notes(declared), items=items,
                  seconds=time.monotonic() - started)


def _options(run: EvalRun, labels: Labels, declared: Declared | None) -> dict[str, Any]:
    options: dict[str, Any] = {"tier": run.tier, "labels": f"{len(labels.intents)} intents, "
                                                         f"{len(labels.slots)} slot types",
                               "half": run.options.get("half") or ("report" if run.tier == "understand" else "all")}
    if declared is not None:
        options.update({"capabilities": len(declared.intents), "examples_per_intent": run.options.get("examples"),
                        "training_sentences": declared.examples, "llm_slots": bool(run.options.get("llm"))})
    return options


def _notes(declared: Declared | None) -> list[str]:
    notes = ["Slot P/R/F1: strict spans (type, start, end) as conlleval, micro-averaged; predicted values are "
             "located in the gold tokens ignoring spaces and case.",
             "Exact match: intent right and every slot span right. Answered: share of utterances given an intent."]
    if declared is not None:
        notes.append(f"Tandem's tiers over {len(declared.intents)} capabilities declared from {declared.examples} "
                     "English xSID training sentences (no German or Chinese examples: zero-shot for de/zh). "
                     "An utterance the learned tier calls chat ('none of these') counts as unanswered and wrong. "
                     "by_fast/by_learned: share answered by the template / learned tier; forced_intent_acc: the "
                     "learned tier's first-ranked capability when 'none of these' is not allowed (which "
                     "capability, apart from whether it is one). Latency is bench/understand.py's job: these "
                     "runs embed utterances ahead in batches.")
    return notes
