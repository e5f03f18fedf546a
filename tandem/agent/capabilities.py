"""Capabilities from manifests: a partner's tool that declares an ``intent`` becomes something the user
can ask for, with its parameters, descriptions and example sentences per language.

    [[tools]]
    name = "book_ride"
    transactional = true
    idempotency = "key"
    intent = "book_taxi"
    resolve = [{tool = "quote_ride", arguments = {destination = "{destination}"}}]
    arguments = {quote_id = "{quote_ride.quote_id}", name = "{profile.name}"}
    [tools.parameters.destination]
    kind = "place"
    required = true
    question = {en = "Where to?", de = "Wohin?", zh = "去哪里？"}
    [tools.examples]
    en = ["(book|get) [me] a taxi to {destination}"]

The agent never imports ``tandem.services``: the shell hands in the installed manifests as documents,
and the built-in partners' manifests (``tandem.partners``) give the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

from tandem.agent.intents import IntentSpec
from tandem.partners import builtin_manifests, tool_effect

__all__ = ["capabilities", "shipped", "titles"]


def _spec(doc: dict[str, Any], tool: dict[str, Any]) -> IntentSpec:
    params: dict[str, dict[str, Any]] = tool.get("parameters", {})
    instead = tool.get("instead")
    description = tool.get("description", {})
    resolve = tuple({"tool": r} if isinstance(r, str) else dict(r) for r in tool.get("resolve", ()))
    return IntentSpec(
        name=tool["intent"], category=doc["categories"][0], tool=tool["name"],
        description=description.get("en") or next(iter(description.values()), tool["name"]),
        slots={name: p.get("kind", "text") for name, p in params.items()},
        required=tuple(name for name, p in params.items() if p.get("required")),
        examples={lang: tuple(found) for lang, found in tool.get("examples", {}).items()},
        questions={name: dict(p["question"]) for name, p in params.items() if p.get("question")},
        instead=(instead["intent"], dict(instead.get("parameters", {}))) if instead else None,
        resolve=resolve, arguments=dict(tool.get("arguments", {})), summary=dict(tool.get("summary", {})),
        transactional=bool(tool.get("transactional")),
        removes=tool.get("effect") == "delete", writes=tool_effect(tool) != "read",
        defaults={name: p["default"] for name, p in params.items() if "default" in p},
        choices={name: {v: tuple(words) for v, words in p["values"].items()} for name, p in params.items()
                 if p.get("values")},
        timed=tuple(name for name, p in params.items() if p.get("time")),
        samples={name: tuple(p["samples"]) for name, p in params.items() if p.get("samples")},
        phrasings={lang: tuple(found) for lang, found in tool.get("phrasings", {}).items()},
        partner=str(doc.get("id", "")),
        own={name: dict(p["own_order"]) for name, p in params.items() if p.get("own_order")},
        shapes={name: (str(p["shape"]),) for name, p in params.items() if p.get("shape")},
        items={k: str(v) for k, v in dict(tool.get("items", {})).items()},
        titles={lang: str(title) for lang, title in dict(tool.get("titles", {})).items()},
        labels={name: {lang: str(t) for lang, t in dict(p["title"]).items()} for name, p in params.items()
                if p.get("title")},
        values={key: {str(v): {lang: str(t) for lang, t in dict(names).items()} for v, names in dict(said).items()}
                for key, said in dict(doc.get("values", {})).items()})


def _merge(first: IntentSpec, other: IntentSpec) -> IntentSpec:
    """Two partners offering the same intent: the first one's parameters, both partners' examples, phrasings and shapes
    of values (``shapes``: each partner's order ids look like its own), the first one's titles and parameter titles
    (``labels``), another's in a language the first has none in (review RR-5); and each partner's own list items'
    fields and names of answer values (``items_by``, ``values_by``; the spec's ``items`` and ``values`` are the first
    one's): a partner's answers are shown and named by its own manifest, never another partner's (review R20-7: a
    second partner naming "cancelled" "delivered"; ``IntentSpec.answers_of``)."""
    def both(field: str) -> dict[str, tuple[str, ...]]:
        mine, theirs = getattr(first, field), getattr(other, field)
        return {lang: tuple(dict.fromkeys((*mine.get(lang, ()), *theirs.get(lang, ())))) for lang in {*mine, *theirs}}

    labels = {name: {**other.labels.get(name, {}), **first.labels.get(name, {})}
              for name in first.slots if name in first.labels or name in other.labels}
    return IntentSpec(**{**{f: getattr(first, f) for f in first.__dataclass_fields__}, "examples": both("examples"),
                         "phrasings": both("phrasings"), "shapes": both("shapes"),
                         "titles": {**other.titles, **first.titles}, "labels": labels,
                         "items_by": {**_by_partner(other, "items"), **_by_partner(first, "items")},
                         "values_by": {**_by_partner(other, "values"), **_by_partner(first, "values")}})


def _by_partner(spec: IntentSpec, field: str) -> dict[str, Any]:
    """``spec``'s ``items`` or ``values`` per partner: those it was merged from, and its own partner's."""
    return {**getattr(spec, f"{field}_by"), spec.partner: getattr(spec, field)}


def capabilities(docs: Iterable[dict[str, Any]]) -> tuple[IntentSpec, ...]:
    """Every intent the manifest documents declare, one per intent name, in the order first declared. An intent a
    built-in partner offers learns from the phrasings every built-in partner wrote for it: they say how users ask
    for the capability, not for one partner, so a home offered only its region's partners (EU or CN) learns what the
    shipped judge learned (a manifest holds at most 24 phrasings per language; review R48)."""
    return tuple(_gathered(_with_builtin_phrasings(spec) for spec in _specs(docs)).values())


def _specs(docs: Iterable[dict[str, Any]]) -> Iterable[IntentSpec]:
    return (_spec(doc, tool) for doc in docs for tool in doc.get("tools", ()) if tool.get("intent"))


def _gathered(specs: Iterable[IntentSpec]) -> dict[str, IntentSpec]:
    """One spec per intent name, in the order first declared; later partners' examples and phrasings joined in."""
    found: dict[str, IntentSpec] = {}
    for spec in specs:
        found[spec.name] = _merge(found[spec.name], spec) if spec.name in found else spec
    return found


def _with_builtin_phrasings(spec: IntentSpec) -> IntentSpec:
    if spec.partner not in {str(doc.get("id")) for doc in builtin_manifests()}:
        return spec
    phrasings = next((builtin.phrasings for builtin in shipped() if builtin.name == spec.name), {})
    return _merge(spec, replace(spec, phrasings=phrasings))


@cache
def shipped() -> tuple[IntentSpec, ...]:
    """The intents of the reference partners shipped with Tandem, each with every built-in partner's examples and
    phrasings for it (in manifest order)."""
    return tuple(_gathered(_specs(builtin_manifests())).values())


def titles(intents: Iterable[IntentSpec]) -> dict[str, dict[str, str]]:
    """Each capability's short names by language, as its manifest declares them (``titles``): what the web app shows on
    a task's card, served to it, so a partner Tandem does not ship is named in the user's language too."""
    return {spec.name: dict(spec.titles) for spec in intents if spec.titles}
