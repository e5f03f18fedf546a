"""The generic execution path: a capability's manifest says how its call is made, so a new partner needs
no agent code.

    resolve   = [{tool = "quote_ride", arguments = {destination = "{destination}"}, pick = "name"}]
    arguments = {quote_id = "{quote_ride.quote_id}", name = "{profile.name}", address = "{place.address}"}
    summary   = {price = "{quote_ride.price}", to = "{destination}"}

Each resolve step is a read-only call of the same partner; a list answer is narrowed to the item whose
``pick`` field matches the step's first argument (none: the user is asked again). Templates name the
task's parameters, ``profile.*`` (name, phone, city, payment_token), ``place.*`` (the address and city
of the task's place) and earlier steps' fields; a template whose value is unknown leaves the argument
out. The summary is what the confirmation shows; ids and prices come from the partner's structured
answers, user values only from the task's own parameters.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from tandem.agent.intents import IntentSpec, rejoined
from tandem.agent.minimise import declares, free_text, not_declared
from tandem.agent.own_orders import fill as fill_own
from tandem.agent.own_orders import undone
from tandem.agent.profile import Profile
from tandem.agent.skills import (
    HOOKS,
    PAYMENT_METHOD,
    WRITES,
    Context,
    LookupFailed,
    Prepared,
    fold,
    missing_profile,
    profile_questions,
    resolve_place,
    said_in,
)
from tandem.agent.spelling import respelled
from tandem.agent.spoken import languages
from tandem.agent.tasks import PendingCall
from tandem.observe import count
from tandem.privacy.dictionaries import stop_words
from tandem.text import one_line, pieces, unspaced

__all__ = ["OWN_SUMMARY_KEYS", "SANDBOX_TOKEN", "filled_at", "filled_from_profile", "generic", "got_past",
           "prepare", "profile_needs", "render", "whole_readings", "writes"]

# The built-in sandbox payment method: a partner whose manifest says `payments = ["sandbox"]` takes it (the
# reference partners do); nothing is charged.
SANDBOX_TOKEN = "tok_sandbox_test_money"

log = logging.getLogger("tandem.agent")

# The summary keys Tandem writes itself: the partner's name (from the registry) and the payment's label (the sandbox's
# test money); a manifest's summary and a partner's question cannot set them.
OWN_SUMMARY_KEYS = frozenset({"partner", "payment"})

_REF = re.compile(r"\{([\w.]+)\}")
_LISTED, _LABEL = 5, 160  # items named in a "which one?" question, and characters of each
_RESERVED = ("profile", "place")  # what a template's "{profile.name}" names, never a resolve step's answer
# The user's details a template can write into a call, as the kind of personal data a manifest declares.
_PERSONAL = {"profile.name": "name", "profile.phone": "phone", "profile.payment_token": "payment_token",
             "place.address": "address"}


def _lookup(path: str, values: dict[str, Any]) -> Any:
    value: Any = values
    for key in path.split("."):
        if not isinstance(value, dict) or value.get(key) in (None, ""):
            return None
        value = value[key]
    return value


def render(template: Any, values: dict[str, Any]) -> Any:
    """A template filled in: one whole ``{ref}`` keeps its value's type; text with refs becomes text;
    None when a reference is unknown. Dicts and lists are rendered item by item."""
    if isinstance(template, dict):
        return {k: v for k, v in ((k, render(t, values)) for k, t in template.items()) if v is not None}
    if isinstance(template, list):
        return [render(t, values) for t in template]
    if not isinstance(template, str):
        return template
    whole = _REF.fullmatch(template)
    if whole:
        return _lookup(whole.group(1), values)
    found = [_lookup(ref, values) for ref in _REF.findall(template)]
    if any(v is None for v in found):
        return None
    return _REF.sub(lambda m: str(_lookup(m.group(1), values)), template)


def profile_needs(spec: IntentSpec) -> tuple[str, ...]:
    """The profile fields a capability's templates use."""
    text = repr((spec.arguments, [s.get("arguments") for s in spec.resolve]))
    return tuple(dict.fromkeys(re.findall(r"\{profile\.(\w+)\}", text)))


def writes(spec: IntentSpec) -> dict[str, frozenset[str]] | None:
    """Where a capability's call writes what: each call key ("arguments.name", "summary.address") with the
    references its value is made from ("profile.name", "place.address", "cinema"), read from the manifest's
    templates or the skill's declaration (``skills.WRITES``); None when a skill declares nothing. A field of a
    resolve step's answer carries what the step was asked with (a partner may echo it)."""
    if spec.name in HOOKS:
        declared = WRITES.get(spec.name)
        return None if declared is None else {key: frozenset(_REF.findall(t)) for key, t in declared.items()}
    steps: dict[str, frozenset[str]] = {}
    for step in spec.resolve:
        steps[step["tool"]] = _refs(step.get("arguments", {}), steps)
    return {f"{part}.{key}": _refs(template, steps)
            for part, templates in (("arguments", spec.arguments), ("summary", spec.summary))
            for key, template in (templates or {}).items()}


def _refs(template: Any, steps: dict[str, frozenset[str]]) -> frozenset[str]:
    """The references a template's value is made from, a resolve step's field by what the step was asked."""
    found: set[str] = set()
    for ref in _REF.findall(repr(template)):
        head = ref.partition(".")[0]
        found |= {ref} if head in _RESERVED else steps.get(head, {ref})
    return frozenset(found)


def filled_at(spec: IntentSpec, sources: dict[str, str]) -> tuple[str, ...]:
    """Provenance entries (``tasks.Task.filled``) for what was filled from the user's details, ``sources``
    mapping a reference to where its value is kept ({"profile.name": "profile.name", "place.address":
    "place.office", "cinema": "memory.cinema"}): "profile.name@arguments.holder_name" for each call key written
    from it; the bare source (named anywhere in the call) when the capability does not say where it writes."""
    return _entries(writes(spec), sources)


def _entries(where: dict[str, frozenset[str]] | None, sources: dict[str, str]) -> tuple[str, ...]:
    if where is None:
        return tuple(dict.fromkeys(sources.values()))
    return tuple(f"{sources[ref]}@{key}" for key, refs in where.items() for ref in sorted(refs) if ref in sources)


def filled_from_profile(spec: IntentSpec, slots: dict[str, Any], profile: Profile) -> tuple[str, ...]:
    """Provenance of a capability's call (``tasks.Task.filled``): the call keys its skill or its manifest's
    templates write from the profile, and from the saved place its place slot names. Read from what the
    capability declares, never from the values: a caller who says the user's name itself (a film, a note, a
    typed delivery address) said its own words, which stay as written. The city is not withheld."""
    where = writes(spec)
    fields = HOOKS[spec.name][1] if where is None else \
        tuple(r.removeprefix("profile.") for refs in where.values() for r in refs if r.startswith("profile."))
    sources = {f"profile.{f}": f"profile.{f}" for f in fields if f != "city"}
    saved = {slot: f"place.{slots[slot]}" for slot in _saved(spec, slots, profile)}  # "{origin}" is the address
    if saved:
        sources["place.address"] = next(iter(saved.values()))
    return _entries(where, {**sources, **saved})


def _pick(found: list[Any], field: str, wanted: Any) -> Any:
    """The item whose ``field``, or its name in another language (``names``: {"zh": "电热水壶"}), holds ``wanted``
    or is held by it."""
    items = [f for f in found if isinstance(f, dict)]
    if not wanted:
        return items[0] if items else None
    want = fold(str(wanted))

    def said(item: dict[str, Any]) -> list[str]:
        names = item.get("names")
        return [n for n in (fold(v) for v in (item.get(field, ""), *(names.values() if isinstance(names, dict)
                                                                       else ()))) if n]

    return next((i for i in items if want and any(want in n or n in want for n in said(i))), None)


def _place(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> tuple[dict[str, Any] | None, Prepared | None]:
    """The task's place as address and city, or the question for its address, when the call is made with it
    (``{place.address}``: a delivery); a capability that names its places itself (a route's origin and
    destination) passes them as said, a saved one as its address (``_saved``)."""
    slot = next((s for s, kind in spec.slots.items() if kind == "place" and slots.get(s)), None)
    if slot is None or not re.search(r"\{place\.", repr((spec.arguments, spec.summary, spec.resolve))):
        return None, None
    place = resolve_place(spec, slot, str(slots[slot]), ctx)
    if isinstance(place, Prepared):
        return None, place
    return {"address": place.address, "city": place.city}, None


def _saved(spec: IntentSpec, slots: dict[str, Any], profile: Profile) -> dict[str, str]:
    """The place parameters that name one of the user's saved places ("home" for "von zu Hause", "从家"), as the
    saved address: what a partner can find, where the word is only the user's own name for it."""
    return {slot: profile.places[value].address for slot, kind in spec.slots.items()
            if kind == "place" and isinstance(value := slots.get(slot), str) and value in profile.places}


def _undeclared(spec: IntentSpec, ctx: Context) -> Prepared | None:
    """The refusal of a call whose templates write the user's details into a tool taking free text (the committing
    one or a resolve step's) that does not declare them: the check of the values on their way out (``minimise``)
    cannot tell a template's value from a note's words, which such a tool takes as they are (walk2 W2-5). Other
    tools' values are checked on their way out."""
    tools = {t.name: t for t in ctx.tools}
    calls = [(ctx.commit, spec.arguments), *((tools.get(ctx.sibling(step["tool"]) or ""), step.get("arguments", {}))
                                           for step in spec.resolve)]
    for tool, templates in calls:
        if tool is None or not free_text(tool.personal_data):
            continue
        kinds = sorted({kind for ref in _REF.findall(repr(templates))
                        if (kind := _PERSONAL.get(ref)) and not declares(kind, tool.personal_data)})
        if kinds:
            log.warning("generic: refused %s: templates write %s, not declared", spec.name, ",".join(kinds))
            return Prepared(error=not_declared(ctx.commit.partner or ctx.commit.service_id, kinds))
    return None


async def generic(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    """The capability's call from its manifest: resolve steps, then arguments and summary from templates."""
    refused = _undeclared(spec, ctx)
    if refused is not None:
        return refused
    place, ask = _place(spec, slots, ctx)
    if ask is not None:
        return ask
    profile = {"name": ctx.profile.name, "phone": ctx.profile.phone, "payment_token": ctx.profile.payment_token,
               "city": ctx.profile.city or (place or {}).get("city", "")}
    values: dict[str, Any] = {**slots, **_saved(spec, slots, ctx.profile), "profile": profile, "place": place or {}}
    for step in spec.resolve:
        tool = ctx.sibling(step["tool"])
        if tool is None:
            return Prepared(error=f"{ctx.commit.service_id} offers no {step['tool']}")
        arguments = render(step.get("arguments", {}), values)
        answer = await ctx.lookup(tool, arguments)
        if isinstance(answer, list) and step.get("one"):  # the partner searched: one fits, or the user says which
            found = [a for a in answer if isinstance(a, dict)]
            named = [a for a in found if _names(spec, step, slots, values, a, ctx.language)]
            if len(named) != 1:  # a said word none holds ("my meeting with Bob": Alice's) is asked about, never taken
                return _which(spec, step, named or found, values, ctx) if found else _not_found(spec, step, slots, ctx)
            answer = named[0]
        elif isinstance(answer, list):
            wanted = next(iter(arguments.values()), None) if arguments else None
            answer = _pick(answer, step.get("pick", "name"), wanted)
            if answer is None:
                return _not_found(spec, step, slots, ctx)
        if step["tool"] not in _RESERVED:  # a step so named cannot stand in for the profile or the place
            values[step["tool"]] = answer
    arguments = render(spec.arguments, values)
    shown = {**values, **{s["tool"]: _in_language(values[s["tool"]], s, ctx.language) for s in spec.resolve
                          if s["tool"] in values and s["tool"] not in _RESERVED}}
    summary = render(spec.summary, shown) if spec.summary else {k: v for k, v in slots.items()}
    # Who is paid and with what is Tandem's word, never a manifest's ("payment: sandbox – test money" on a charge)
    summary = {"partner": ctx.commit.partner or ctx.commit.service_id,
               **{k: v for k, v in summary.items() if k not in OWN_SUMMARY_KEYS}}
    summary = {**summary, **undone(spec, slots, ctx, summary)}  # a cancellation names the order it undoes
    return Prepared(call=PendingCall(ctx.commit.name, ctx.commit.service_id, arguments, ctx.commit.transactional,
                                     summary, spec.answers_of(ctx.commit.service_id)[0]))


def _in_language(item: Any, step: dict[str, Any], language: str) -> Any:
    """A step's answer as the user reads it: the field it was picked by (``pick``, else "name") in the user's language
    when the partner names the item in it (``names``: {"zh": "电热水壶 Aqua 1.7升"}), so a confirmation to a Chinese
    user does not say "Wasserkocher Aqua 1,7 l". Only what is shown: the call keeps the partner's ids and words."""
    field = step.get("pick", "name")
    if not isinstance(item, dict) or field not in item:
        return item
    return {**item, field: said_in(item, language, field)}


def _not_found(spec: IntentSpec, step: dict[str, Any], slots: dict[str, Any], ctx: Context) -> Prepared:
    """The question when a step found nothing: it repeats only what the caller said (a slot), never a profile value."""
    said = _said_slot(step, spec)
    wanted = slots.get(said) if said else None
    return Prepared(missing=said, question=ctx.text("not_found", wanted=wanted) if wanted else ctx.text("nothing_fits"))


def _which(spec: IntentSpec, step: dict[str, Any], found: list[dict[str, Any]], values: dict[str, Any],
           ctx: Context) -> Prepared:
    """Several items fit a step that takes one ("cancel my meeting", two meetings): the user is asked which, each
    item numbered and shown by the summary it would give (its facts from the partner's answer, on one bounded line);
    the answer fills the step's first parameter again, a number with that item's facts (``Prepared.choices``: two
    "Standup" that day are told apart by their times)."""
    said = _said_slot(step, spec)
    if said is None:
        return Prepared(error=ctx.text("nothing_fits"))
    labels = []
    for item in found[:_LISTED]:
        shown = render(spec.summary, {**values, step["tool"]: _in_language(item, step, ctx.language)}) \
            if spec.summary else item
        labels.append(one_line(", ".join(str(v) for v in shown.values() if v not in (None, "")))[:_LABEL])
    listing = "; ".join(f"{n}) {label}" for n, label in enumerate(labels, 1))  # "2" answers with the second
    more = f" (+{len(found) - _LISTED})" if len(found) > _LISTED else ""
    return Prepared(missing=said, question=ctx.text("which_one", listing=listing + more), choices=tuple(labels))


def _names(spec: IntentSpec, step: dict[str, Any], slots: dict[str, Any], values: dict[str, Any],
           item: dict[str, Any], language: str) -> bool:
    """Does the user's value for the step's first parameter name ``item``: every word of it that carries meaning (not a
    function word, a Latin one of three letters or more) begins a word of what the item's summary would show
    ("dentist" in "Dentist Dr. Berg", "zahnarzt" in "Zahnarzttermin"; not "art" in "Party"); Chinese when at least
    half of its two-character pieces are there, both read in simplified characters (a title kept as typed in
    traditional ones is named by words said in simplified ones, as speech writes them, and the other way round).
    Nothing said names every item."""
    said = _said_slot(step, spec)
    value = respelled(str(slots.get(said) or "") if said else "", "zh")
    shown = render(spec.summary, {**values, step["tool"]: item}) if spec.summary else item
    text = respelled(" ".join(str(v) for v in shown.values() if isinstance(v, str | int | float)), "zh").casefold()
    words, skip = re.findall(r"\w+", text), stop_words(*{language, *languages()})
    for word in (w for w in re.findall(r"\w+", value.casefold()) if w not in skip):
        if unspaced(word):  # most of its pieces: "和鲍勃的会议" shares only 会议 with "和爱丽丝的会议"
            held = [p for p in pieces(word) if p not in skip]
            if held and 2 * sum(p in text for p in held) < len(held):
                return False
        elif len(word) >= 3 and not any(w.startswith(word) for w in words):
            return False
    return True


def _said_slot(step: dict[str, Any], spec: IntentSpec) -> str | None:
    """The parameter a step's first argument comes from ("{item}" → "item"), to ask for it again."""
    for template in step.get("arguments", {}).values():
        found = _REF.fullmatch(str(template))
        if found and found.group(1) in spec.slots:
            return found.group(1)
    return None


async def prepare(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    """The task's call once every required parameter is there (the first missing one is asked, never
    defaulted), through the capability's registered hook or else the generic path."""
    slots = {**spec.defaults, **{k: v for k, v in slots.items() if v not in (None, "")}}
    found = fill_own(spec, slots, ctx)  # "cancel my order": the user's own earlier order there, or asked
    if isinstance(found, Prepared):
        return found
    slots = found
    for slot in spec.required:
        if slots.get(slot) in (None, ""):
            return Prepared(missing=slot, question=spec.question(slot, ctx.language))
    for slot in spec.timed:  # a reminder needs a time of day, not only a day
        if slot in slots and "T" not in str(slots[slot]):
            return Prepared(missing=slot, question=spec.question(slot, ctx.language))
    skill, needs = HOOKS.get(spec.name, (generic, profile_needs(spec)))
    missing = missing_profile(ctx.profile, needs)
    asked = [f for f in missing if f in profile_questions()]
    if asked:  # the answer is kept in the profile on the device (see Assistant._answer_profile)
        return Prepared(missing=f"profile.{asked[0]}", question=ctx.text(f"profile.{asked[0]}"))
    sandbox = missing == ["payment_token"] and ctx.commit.sandbox
    if sandbox:  # a fresh device pays a partner that declares it takes test money with it, and says so
        ctx = replace(ctx, profile=replace(ctx.profile, payment_token=SANDBOX_TOKEN))
    elif missing:  # a payment token comes from the payment provider, never typed into a chat: the task waits
        return Prepared(waiting=PAYMENT_METHOD)
    try:
        prepared = await skill(spec, slots, ctx)
    except LookupFailed as exc:  # a partner's question for the user is asked (Assistant._plan), never answered here
        return Prepared(error=str(exc), asked=exc.asked)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a partner answered in an unexpected shape
        # ... or a bug in the skill: the traceback goes to the log, so the two can be told apart
        count("partner_errors", "unreadable-answer")
        log.exception("%s: %s's answer could not be read", spec.name, ctx.commit.service_id,
                      extra={"event": "partner_error", "reason": "unreadable-answer"})
        return Prepared(error=f"{ctx.commit.service_id} gave an answer I cannot read ({type(exc).__name__}: {exc})")
    if sandbox and prepared.call is not None:
        label = ctx.text("sandbox")
        prepared = replace(prepared, call=replace(prepared.call, summary={**prepared.call.summary, "payment": label}))
    return prepared


def whole_readings(spec: IntentSpec, slots: dict[str, Any], text: str, lang: str) -> list[dict[str, Any]]:
    """``slots`` with two values read apart at the words an example says between them joined back, as the user said
    them in ``text`` (``intents.rejoined``: film "Mord" at a cinema "Orient-Express" → the film "Mord im
    Orient-Express"): tried when the partner finds nothing by the values apart. A value the user gave later (an
    answer to "which film?") was not said with the other, so it is never joined to it."""
    said = fold(text)
    return [whole for whole in rejoined(spec, slots, lang)
            if all(fold(str(v)) in said for k, v in whole.items() if v != slots.get(k) and v not in (None, ""))]


def got_past(prepared: Prepared, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Did a preparation with ``after``'s values get past what made it stop with ``before``'s: a call, or a question
    about a value the two do not differ in (the film found, its time asked)?"""
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return prepared.call is not None or bool(prepared.missing and prepared.missing not in changed
                                             and not prepared.error)
