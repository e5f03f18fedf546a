"""Schema-Guided Dialogue (DSTC8): zero-shot state tracking and service calls from service schemas.

A split is a directory of ``dialogues_*.json`` plus its ``schema.json``; services also listed in the
training schema (``../train/schema.json`` by default) are "seen", the rest "unseen". For every user turn
and service frame the on-device model fills a JSON state constrained to that service's schema (active
intent, requested slots, slot values); for every system turn that calls a service, it gets the service's
intents as tools (the schema is the tool definition) and the dialogue so far, and must make that call.

Metrics, per frame as in DSTC8: active-intent accuracy, requested-slot F1, joint goal accuracy (every
slot value right; values compare without case and surrounding spaces, any listed variant counts) and
service-call exact match (method and every parameter; a parameter may equal the canonical value or a
surface form the user state lists for that slot).

With ``run.tier == "understand"`` only the active intent is measured, with Tandem's own understanding
tiers: each service's schema becomes a partner manifest (``manifest``: one capability per intent, its
examples the schema's intent description and name, nothing written by hand), so every service is
zero-shot; by default only services missing from the training schema are scored ("unseen"), on the
report half of the dialogues (a stable hash of the dialogue id; nothing was tuned on either half). A user turn
the tiers place in one of the frame's service's intents sets the active intent; a turn they call chat
("thanks", "at 7 pm please") keeps the previous one, as a dialogue state does. The CLI injects the tiers
as ``options["understander"]``: (manifest documents, the texts to come) -> (text -> (Understanding,
forced choice)).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError, TandemError
from tandem.eval.base import EvalRun, require, take
from tandem.eval.metrics import set_f1
from tandem.eval.report import Report
from tandem.eval.xsid import half
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ResponseFormat, Tool

__all__ = ["FrameScore", "IntentScore", "Service", "call_matches", "dialogues", "load_schemas", "manifest", "run",
           "state_matches", "state_schema", "tools_of"]


@dataclass(frozen=True)
class Service:
    """One service from an SGD schema file."""

    name: str
    description: str
    slots: dict[str, dict[str, Any]]  # slot name -> its schema entry (description, categorical values)
    intents: dict[str, dict[str, Any]]  # intent name -> its schema entry (required/optional slots)

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Service:
        return cls(entry["service_name"], entry.get("description", ""),
                   {s["name"]: s for s in entry["slots"]}, {i["name"]: i for i in entry["intents"]})


@dataclass
class FrameScore:
    """Running totals for one group of frames (all, seen, unseen)."""

    intent: list[bool] = field(default_factory=list)  # active intent right, per user frame
    requested: list[float] = field(default_factory=list)  # requested-slot F1, per user frame
    joint: list[bool] = field(default_factory=list)  # all slot values right, per user frame
    calls: list[bool] = field(default_factory=list)  # service call exactly right, per call

    def row(self) -> dict[str, float | int]:
        def mean(values: list[Any]) -> float:
            return sum(values) / len(values) if values else 0.0
        return {"active_intent_acc": mean(self.intent), "requested_slot_f1": mean(self.requested),
                "joint_goal_acc": mean(self.joint), "service_call_em": mean(self.calls),
                "n_frames": len(self.intent), "n_calls": len(self.calls)}


def load_schemas(path: Path) -> dict[str, Service]:
    return {e["service_name"]: Service.of(e) for e in json.loads(path.read_text(encoding="utf-8"))}


def dialogues(folder: Path) -> Iterator[dict[str, Any]]:
    """Dialogues taking one from each file in turn, so a small ``--limit`` still spans many services."""
    files = sorted(folder.glob("dialogues_*.json"))
    if not files:
        raise ConfigError(f"no dialogues_*.json in {folder}", hint="point --data at an SGD split directory")
    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    for row in zip_longest(*loaded):
        yield from (d for d in row if d is not None)


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def state_matches(predicted: dict[str, Any], gold: dict[str, list[str]]) -> bool:
    """Joint goal: the same slots, each predicted value one of the gold variants."""
    filled = {k: v for k, v in predicted.items() if isinstance(v, str) and v.strip() and _norm(v) != "none"}
    return filled.keys() == gold.keys() and all(_norm(filled[k]) in {_norm(g) for g in gold[k]} for k in gold)


def call_matches(method: str, arguments: dict[str, Any], gold: dict[str, Any],
                 variants: dict[str, list[str]]) -> bool:
    """Service-call exact match; ``variants`` are the surface forms the user state lists per slot."""
    expected = gold["parameters"]
    if method != gold["method"] or arguments.keys() != expected.keys():
        return False
    return all(_norm(arguments[k]) in {_norm(expected[k]), *(_norm(v) for v in variants.get(k, []))}
               for k in expected)


def _slot_schema(slot: dict[str, Any]) -> dict[str, Any]:
    values = slot.get("possible_values") or []
    if slot.get("is_categorical") and values:
        return {"enum": list(values), "description": slot.get("description", "")}
    return {"type": "string", "description": slot.get("description", "")}


def state_schema(service: Service) -> dict[str, Any]:
    """The JSON the model fills per user turn: the service's intents, slots and categorical values."""
    return {"type": "object", "additionalProperties": False,
            "required": ["active_intent", "requested_slots", "slot_values"], "properties": {
                "active_intent": {"enum": [*service.intents, "NONE"]},
                "requested_slots": {"type": "array", "items": {"enum": list(service.slots)}},
                "slot_values": {"type": "object", "additionalProperties": False,
                                "properties": {n: _slot_schema(s) for n, s in service.slots.items()}}}}


def tools_of(service: Service) -> tuple[Tool, ...]:
    """The service's intents as tools: required slots required, optional ones optional."""
    tools = []
    for name, intent in service.intents.items():
        params = [*intent.get("required_slots", []), *intent.get("optional_slots", {})]
        tools.append(Tool(name=name, description=intent.get("description", ""), parameters={
            "type": "object", "additionalProperties": False, "required": list(intent.get("required_slots", [])),
            "properties": {p: _slot_schema(service.slots[p]) for p in params if p in service.slots}}))
    return tuple(tools)


def _describe(service: Service) -> str:
    intents = "; ".join(f"{n}: {i.get('description', '')}" for n, i in service.intents.items())
    slots = "; ".join(f"{n}: {s.get('description', '')}" for n, s in service.slots.items())
    return f"Service {service.name}: {service.description}.\nIntents: {intents}.\nSlots: {slots}."


_TRACK = ("You track the state of a dialogue between a user and an assistant, for one service. Give the intent "
          "the user is pursuing now (NONE if none yet), the slots whose values the user asks for in the last "
          "turn, and every slot value the user has given or accepted so far, copied as written.\n")


class _Tracker:
    """Predictions for one dialogue, one model call each."""

    def __init__(self, model: Model, services: dict[str, Service]) -> None:
        self.model, self.services = model, services

    def state(self, history: list[Message], service: Service) -> dict[str, Any]:
        fmt = ResponseFormat(type="json_schema", schema=state_schema(service))
        request = ChatRequest(messages=(Message("system", _TRACK + _describe(service)), *history),
                              response_format=fmt, temperature=0.0, max_tokens=200, seed=0)
        try:
            value = json.loads(complete(self.model, request).message.content or "")
        except (TandemError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def call(self, history: list[Message], service: Service) -> tuple[str, dict[str, Any]] | None:
        system = f"You are an assistant that uses this service for the user.\n{_describe(service)}"
        request = ChatRequest(messages=(Message("system", system), *history), tools=tools_of(service),
                              tool_choice="auto", temperature=0.0, max_tokens=200, seed=0)
        try:
            calls = complete(self.model, request).message.tool_calls
        except TandemError:
            return None
        return (calls[0].name, calls[0].arguments) if calls else None


def _score_dialogue(tracker: _Tracker, dialogue: dict[str, Any], groups: dict[str, FrameScore],
                    seen: set[str] | None) -> None:
    history: list[Message] = []
    last_state: dict[str, dict[str, list[str]]] = {}
    for turn in dialogue["turns"]:
        user = turn["speaker"] == "USER"
        for frame in turn["frames"]:
            service = tracker.services[frame["service"]]
            targets = [groups["all"]] + ([groups["seen" if service.name in seen else "unseen"]] if seen else [])
            if user:
                gold = frame["state"]
                last_state[service.name] = gold["slot_values"]
                got = tracker.state([*history, Message("user", turn["utterance"])], service)
                values = got.get("slot_values")
                for g in targets:
                    g.intent.append(got.get("active_intent", "NONE") == gold["active_intent"])
                    g.requested.append(set_f1(gold["requested_slots"], got.get("requested_slots") or []))
                    g.joint.append(state_matches(values if isinstance(values, dict) else {}, gold["slot_values"]))
            elif "service_call" in frame:
                call = tracker.call(history, service)
                ok = call is not None and call_matches(*call, frame["service_call"], last_state.get(service.name, {}))
                for g in targets:
                    g.calls.append(ok)
        history.append(Message("user" if user else "assistant", turn["utterance"]))


def _seen(run: EvalRun, data: Path) -> set[str] | None:
    path = Path(run.options.get("train_schema") or data.parent / "train" / "schema.json")
    return set(load_schemas(path)) if path.is_file() else None


def _words(name: str) -> str:
    """"FindRestaurants" -> "find restaurants"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").lower()


def manifest(service: Service) -> dict[str, Any]:
    """The service as a partner manifest: each intent a capability whose English examples are what the
    schema says of it (its description and its name in words), its slots the parameters."""
    tools = []
    for name, intent in service.intents.items():
        said = [re.sub(r"[()\[\]{}|]", " ", intent.get("description", "")).strip(" ."), _words(name)]
        params = [*intent.get("required_slots", []), *intent.get("optional_slots", {})]
        tools.append({"name": name, "intent": name, "description": {"en": intent.get("description") or _words(name)},
                      "transactional": bool(intent.get("is_transactional")),
                      "parameters": {p: {"kind": "text", "required": p in intent.get("required_slots", [])}
                                     for p in params},
                      "examples": {"en": [s for s in dict.fromkeys(said) if s]}})
    return {"name": service.name, "categories": [service.name.lower()], "tools": tools}


@dataclass
class IntentScore:
    """Active-intent totals for one group of user frames."""

    right: list[bool] = field(default_factory=list)  # the tracked active intent is the gold one, per frame
    forced: list[bool] = field(default_factory=list)  # ... when the turn's intent is the tier's first ranked
    answered: list[bool] = field(default_factory=list)  # the tiers placed the turn in an intent
    chance: list[float] = field(default_factory=list)  # 1 / (the service's intents + NONE), per frame

    def row(self) -> dict[str, float | int]:
        def mean(values: list[Any]) -> float:
            return sum(values) / len(values) if values else 0.0
        return {"active_intent_acc": mean(self.right), "forced_acc": mean(self.forced),
                "answered": mean(self.answered), "chance": mean(self.chance), "n_frames": len(self.right)}


def _track(classify: Any, dialogue: dict[str, Any], services: dict[str, Service], groups: dict[str, IntentScore],
           by_service: dict[str, IntentScore], keep: set[str], seen: set[str] | None) -> None:
    """Active intent per user frame of the kept services: the turn's intent, else the one before."""
    active: dict[str, str] = {}
    forced_active: dict[str, str] = {}
    for turn in dialogue["turns"]:
        if turn["speaker"] != "USER":
            continue
        for frame in turn["frames"]:
            name = frame["service"]
            if name not in keep:
                continue
            intent, forced = classify(name, turn["utterance"])
            active[name] = intent or active.get(name, "NONE")
            forced_active[name] = intent or forced or forced_active.get(name, "NONE")
            gold = frame["state"]["active_intent"]
            targets = [groups["all"]] + ([groups["seen" if name in seen else "unseen"]] if seen is not None else [])
            for g in [*targets, by_service.setdefault(name, IntentScore())]:
                g.right.append(active[name] == gold)
                g.forced.append(forced_active[name] == gold)
                g.answered.append(intent is not None)
                g.chance.append(1 / (len(services[name].intents) + 1))


def _classifier(run: EvalRun, services: dict[str, Service], chosen: list[dict[str, Any]]) -> Any:
    """(service, text) -> (intent or None, the tier's first-ranked intent); one tier per service, built lazily
    and given the user turns it will be asked about."""
    build = run.options.get("understander")
    if build is None:
        raise ConfigError("Tandem's understanding tiers were not given to this run", hint="use --tier device")
    built: dict[str, Any] = {}

    def classify(service: str, text: str) -> tuple[str | None, str | None]:
        if service not in built:
            upcoming = [t["utterance"] for d in chosen if service in d["services"] for t in d["turns"]
                        if t["speaker"] == "USER" and any(f["service"] == service for f in t["frames"])]
            built[service] = build([manifest(services[service])], upcoming)
        result, forced = built[service](text)
        return (result.intents[0].name if result.intents else None), forced

    return classify


def _run_understand(run: EvalRun, folder: Path, services: dict[str, Service], seen: set[str] | None) -> Report:
    started = time.monotonic()
    unseen_only = run.options.get("services", "unseen") == "unseen" and seen is not None
    keep = {n for n in services if not (unseen_only and seen and n in seen)}
    wanted = run.options.get("half") or "report"
    chosen = list(take((d for d in dialogues(folder) if keep & set(d["services"])
                        and wanted in ("all", half("sgd", d["dialogue_id"]))), run.limit))
    groups = {"all": IntentScore(), **({"seen": IntentScore(), "unseen": IntentScore()} if seen is not None else {})}
    classify = _classifier(run, services, chosen)
    by_service: dict[str, IntentScore] = {}
    run.progress("sgd dialogues", 0, len(chosen))
    for i, dialogue in enumerate(chosen):
        _track(classify, dialogue, services, groups, by_service, keep, seen)
        run.progress("sgd dialogues", i + 1, len(chosen))
    rows = {k: g.row() for k, g in [*groups.items(), *sorted(by_service.items())] if g.right}
    notes = ["Active intent per user frame, as DSTC8; every service is zero-shot (its capabilities come from its "
             "schema alone: intent descriptions and names). A turn the tiers do not place keeps the previous intent.",
             "forced_acc: the same tracking when the learned tier must pick one of the service's intents for every "
             "turn it does not place (no 'none of these'); chance: 1/(intents + NONE), averaged over frames.",
             "Scored services: " + ", ".join(sorted(keep & {s for d in chosen for s in d["services"]})) + "."]
    return Report(suite="sgd", data=str(run.data), rows=rows, model=run.model_id, limit=run.limit,
                  options={"tier": "understand", "services": "unseen" if unseen_only else "all", "half": wanted,
                           "dialogues": len(chosen), "llm_slots": bool(run.options.get("llm"))},
                  notes=notes, seconds=time.monotonic() - started)


def run(run: EvalRun) -> Report:
    """Score the first ``limit`` dialogues (taken round-robin over the files)."""
    started = time.monotonic()
    folder = require(run.data, "SGD data")
    folder = folder.parent if folder.is_file() else folder
    services = load_schemas(require(folder / "schema.json", "SGD schema.json"))
    seen = _seen(run, folder)
    if run.tier == "understand":
        return _run_understand(run, folder, services, seen)
    chosen = list(take(dialogues(folder), run.limit))
    tracker = _Tracker(run.model(), services)
    groups = {"all": FrameScore(), **({"seen": FrameScore(), "unseen": FrameScore()} if seen else {})}
    run.progress("sgd dialogues", 0, len(chosen))
    for i, dialogue in enumerate(chosen):
        _score_dialogue(tracker, dialogue, groups, seen)
        run.progress("sgd dialogues", i + 1, len(chosen))
    notes = ["Per frame, as DSTC8: a user turn with two services counts twice. Joint goal: exact match after "
             "case/space folding (DSTC8 uses fuzzy matching for free-form slots, so this is stricter).",
             "Seen: the service is in the training schema." if seen else "No training schema: no seen/unseen split."]
    return Report(suite="sgd", data=str(run.data), rows={k: g.row() for k, g in groups.items()},
                  model=run.model_id, limit=run.limit, options={"dialogues": len(chosen)}, notes=notes,
                  seconds=time.monotonic() - started)
