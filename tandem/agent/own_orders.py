"""The user's own earlier orders, for a follow-up tool's parameter: "cancel my food order", "where is my
order", "refund my tickets" name no order, yet the partner's tool takes its id. A manifest declares where the
value comes from, and Tandem takes it from the user's own committed tasks at that partner, never from a guess:

    [tools.parameters.order_id]
    kind = "text"                            # what the user may say: the order's number (optional: never asked)
    own_order = {from = ["place_order"]}     # the tools whose committed answers hold it ("field": default the name)

Which order (``fill``):

- a value the user said wins when it is one of their orders there (its id, a part of it, or a word of what
  they confirmed: "the curry one"); a value that names none of them is asked about, never sent;
- otherwise a read-only tool (track, show) takes the most recent order; a committing one (cancel, refund) takes
  the only order it has not already done that to, and asks which one, listing them, when several are open;
- no order there at all: the task says so and ends, no call made, unless the capability names another to try
  (``instead``: "where is my order" read as food, and the user's order is at the shop).

Orders are read from the tasks the user's own journal holds (``skills.Context.history``), at the committing
tool's service only: another partner's order ids are never offered to this one.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.clauses import Intent
from tandem.agent.declined import says, words_of
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import familiar
from tandem.agent.skills import Context, Prepared, fold
from tandem.agent.spoken import asks, languages, negated
from tandem.agent.steps import pointers
from tandem.agent.tasks import Task
from tandem.agent.templates import Part, parse_example
from tandem.agent.toolset import ToolSpec
from tandem.agent.writing import segmenter, writing
from tandem.privacy.dictionaries import stop_words
from tandem.text import one_line, pieces, unspaced

__all__ = ["Order", "fill", "holder", "kept_text", "more_said", "order_of", "orders", "placed_said", "pointed_at",
           "says_own_words", "says_verb",
           "texts", "undone"]

_TEXTS = Path(__file__).with_name("own_orders.toml")
_LISTED = 5  # orders named in a "which one?" question, newest first
_ID_SHOWN, _FACTS_SHOWN = 40, 160  # characters of an order's id and of what it was, in that question
# "cancel it" after "where is my order": a follow-up on the order just talked about is taken when the learned tier
# scores it at least this share of "none of these" (chat) and the turn says a word of its examples. Questions that
# point back ("what is it", "was ist das") score their follow-up below 0.006 of chat, "Storniere sie" 0.025; the
# tier alone does not tell a dismissal from a cancellation ("forget it" 0.06, "不用管它了" 1.4): the words do (my
# probes, session 15: 12 of 18 follow-ups taken, 0 of 24 dismissals and questions; /tmp/dialog6/probe3.py).
_POINTED = 0.01
_JOINED = 5  # letters of two words said apart that may be one word of the examples ("sag … ab": "absagen")
_SHOWN = ("restaurant", "film", "event", "item", "items", "starts_at", "total", "currency")  # what names an order


@cache
def texts() -> dict[str, dict[str, str]]:
    """``own_orders.toml``: per language, what the assistant says about the user's orders (and the words of
    ordering again, ``own_orders_again``)."""
    return tomllib.loads(_TEXTS.read_text(encoding="utf-8"))


def _say(key: str, ctx: Context, **values: Any) -> str:
    table = texts().get(ctx.language) or texts()["en"]
    return table[key].format(partner=ctx.commit.partner or ctx.commit.service_id, **values)


def kept_text(lang: str, orders: str, why: str = "kept") -> str:
    """What is said instead of a card undoing ``orders`` (their labels) that the user's sentence declined (``kept``)
    or did not name, naming another order (``another``)."""
    return (texts().get(lang) or texts()["en"])[why].format(orders=orders)


@dataclass(frozen=True)
class Order:
    """One committed order of the user's."""

    value: str  # what the parameter takes: the order's id as the partner answered it
    task: Task  # the task that placed it; its summary is what the user confirmed

    def facts(self) -> str:
        """What the user confirmed ("1 × Currywurst, 12.5, EUR"), from the task's summary: the partner's own words,
        on one line and never more than a line's worth of them."""
        summary = self.task.call.summary if self.task.call else {}
        facts = [("; ".join(map(str, v)) if isinstance(v, list) else str(v))
                 for k, v in summary.items() if k in _SHOWN and v not in (None, "", [])]
        return one_line(", ".join(facts))[:_FACTS_SHOWN]

    def label(self) -> str:
        """The order in a "which one?" question ("FD-1A2B (1 × Currywurst, 12.5, EUR)"): an id's worth of the id."""
        shown, facts = one_line(self.value)[:_ID_SHOWN], self.facts()
        return f"{shown} ({facts})" if facts else shown

    def says(self, said: str) -> bool:
        """Does ``said`` name this order: its id or a part of it, or a word of what the user confirmed? A word is
        read whole within a word of the order ("curry" in "Currywurst", not "lnmi" across "Nudeln mit"); a run of
        characters written without spaces by its two-character pieces (咖喱那单: 咖喱)."""
        want, value, words = fold(said), fold(self.value), [fold(w) for w in said.split()]
        if (len(want) >= 3 and want in value) or value in words or (len(value) >= 4 and value in want):
            return True
        named, function_words = self.facts(), stop_words(*languages())
        spaced = [fold(w) for w in named.split()]
        for word in (w for w in words if w not in function_words):
            if unspaced(word):
                if any(word[i:i + 2] in fold(named) for i in range(len(word) - 1)
                       if word[i:i + 2] not in function_words):
                    return True
            elif len(word) >= 4 and any(word in w or (len(w) >= 4 and w in word) for w in spaced):
                return True
        return False


def orders(spec: IntentSpec, name: str, ctx: Context) -> list[Order]:
    """The user's committed orders at the committing tool's service whose answers hold ``name``'s value (the
    manifest's ``own_order``), oldest first."""
    declared = spec.own[name]
    field = str(declared.get("field") or name)
    tools = {ctx.sibling(str(t)) for t in _names(declared.get("from"))} - {None}
    found: dict[str, Order] = {}
    for task in ctx.history():
        if task.call is None or task.call.service_id != ctx.commit.service_id or task.call.tool not in tools:
            continue
        value = task.result.get(field) if isinstance(task.result, dict) else None
        if isinstance(value, str | int) and str(value):
            found[str(value)] = Order(str(value), task)
    return list(found.values())


def holder(spec: IntentSpec, tools: list[ToolSpec], history: list[Task]) -> ToolSpec | None:
    """Of the services offering ``spec``'s tool, the one holding the user's most recent order its ``own_order``
    parameters read from ("cancel my food order" at the partner the order went to, whichever the user prefers
    now); None when the user has no order at any of them."""
    offered = {t.service_id: t for t in tools if t.tool == spec.tool and spec.category in t.categories}
    sources = {str(f) for declared in spec.own.values() for f in _names(declared.get("from"))}
    placed = [task.call.service_id for task in history if task.call and task.call.service_id in offered
              and next((t.tool for t in tools if t.name == task.call.tool), None) in sources]
    return offered[placed[-1]] if placed else None


def _open(found: list[Order], name: str, ctx: Context) -> list[Order]:
    """For a committing tool, the orders it has not been done to yet ("cancelled" once is enough)."""
    if not ctx.commit.transactional:
        return found
    done = {str(t.call.arguments.get(name)) for t in ctx.history() if t.call and t.call.tool == ctx.commit.name}
    return [o for o in found if o.value not in done]


def _names(declared: Any) -> tuple[str, ...]:
    return (declared,) if isinstance(declared, str) else tuple(declared or ())


def fill(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> dict[str, Any] | Prepared:
    """``slots`` with every own-order parameter set to one of the user's orders, or what to say instead: the
    question which one, or that there is none (the task then ends without a call)."""
    for name in spec.own:
        found = _one(spec, name, slots.get(name), ctx)
        if isinstance(found, Prepared):
            return found
        slots = {**slots, name: found}
    return slots


def _one(spec: IntentSpec, name: str, said: Any, ctx: Context) -> str | Prepared:
    every = orders(spec, name, ctx)
    mine = _open(every, name, ctx)
    if not mine:
        return Prepared(error=_say("none_open" if every else "none", ctx), nothing=True)  # the intent's `instead` may
    if said not in (None, ""):
        named = [o for o in mine if o.says(str(said))]
        if len(named) == 1:
            return named[0].value
        key = "which" if named else "not_yours"
        return Prepared(missing=name, question=_say(key, ctx, said=said, orders=_listing(named or mine)))
    if len(mine) == 1 or not ctx.commit.transactional:
        return mine[-1].value
    return Prepared(missing=name, question=_say("which", ctx, said="", orders=_listing(mine)))


def undone(spec: IntentSpec, slots: dict[str, Any], ctx: Context, shown: dict[str, Any]) -> dict[str, Any]:
    """What the user confirmed when they placed the order a committing follow-up undoes (a cancellation, a refund):
    the fields of that order's own summary that name it (``_SHOWN``: the restaurant and dishes, the film and its time),
    those ``shown`` (the follow-up's summary) lacks. Its card then says which order goes, not only an id ("FD-85F0…,
    Kleine Tafel, 2 × Pizza Margherita"): a yes to a cancellation the user did not mean (a sentence read as one) is
    given to a card that names the order it undoes. Empty for a call that commits nothing."""
    if not ctx.commit.transactional:
        return {}
    facts: dict[str, Any] = {}
    for name in spec.own:
        order = next((o for o in orders(spec, name, ctx) if o.value == str(slots.get(name))), None)
        summary = order.task.call.summary if order is not None and order.task.call is not None else {}
        facts.update({k: v for k, v in summary.items() if k in _SHOWN and k not in shown and k not in facts
                      and v not in (None, "", [])})
    return facts


def _listing(found: list[Order]) -> str:
    return "; ".join(o.label() for o in reversed(found[-_LISTED:]))


def _sources(spec: IntentSpec) -> set[str]:
    return {str(f) for declared in spec.own.values() for f in _names(declared.get("from"))}


def pointed_at(text: str, lang: str, last: Task, intents: Mapping[str, IntentSpec], scores: Mapping[str, float],
               verbs: Callable[[IntentSpec, str], frozenset[str]]) -> Intent | None:
    """A turn that points back at what the last task was about ("cancel it", "Storniere sie", "取消它" after "where is
    my order", the order itself, or a listing of the calendar): the follow-up the learned tier's ``scores`` rank first
    among those the manifests declare on it — ``own_order`` from the tool that placed the order (with the order's id),
    or a ``resolve`` step through the tool the last task called (with the one item it found, else the day it was
    asked about: "which one?" then). None when ``text`` says no word that points back (refer_back.toml) and is more
    than the follow-up's own words ("取消吧", "退了吧", "cancel": the object left unsaid, ``_bare``), none is
    declared, the follow-up scores below ``_POINTED`` of chat (a question such as "what is it"), or ``text`` says no
    word of its examples (a dismissal: "forget it"), or the follow-up commits and ``text`` says none of its ``verbs``
    (``kept.Undoing.own_verbs``: "order another one" cancels nothing, review31 R31-7)."""
    spec = intents.get(last.intent)
    if spec is None:
        return None
    # a short turn's language is a guess ("Storniere sie"): the conversation's is read too
    points = any(_points(text, language) for language in {lang, last.language})
    placed = _sources(spec) or {spec.tool}  # a follow-up's orders, or the tool the last task placed one with
    related = [s for s in intents.values() if s.category == spec.category and (
        (s.own and _sources(s) & placed) or any(step.get("tool") == spec.tool for step in s.resolve))]
    best = max(related, key=lambda s: scores.get(s.name, 0.0), default=None)
    if best is None or scores.get(best.name, 0.0) < _POINTED * scores.get("chat", 1.0):
        return None
    if not says_own_words(text, best) or not (points or _bare(text, lang, best)):
        return None
    if (best.transactional or best.removes) and not any(  # "order another one" cancels nothing (review31 R31-7)
            says_verb(text, language, verbs(best, language)) for language in {lang, last.language}):
        return None
    if best.own:
        return Intent(best.name, {name: value for name in best.own if (value := order_of(last, name, best))}, text)
    return Intent(best.name, _item_of(last, spec, best), text)


def more_said(text: str, lang: str) -> bool:
    """Does ``text`` ask for more of the same (own_orders.toml ``more``: "another", "one more", "noch eine",
    "再来")? A language without spaces: anywhere in it."""
    more = texts().get(lang, {}).get("more", ())
    before, after = writing(lang).edge
    said = text.casefold()
    return any(re.search(before + re.escape(m.casefold()) + after, said) for m in more)


def placed_said(text: str, lang: str, names: frozenset[str]) -> int | None:
    """Which of the user's orders ``text`` picks by the order they were placed in (own_orders.toml [<lang>.placed]:
    "the first one" 1, "die zweite Bestellung" 2, "the earlier order" -2, "第一个订单" 1): n counts from the first,
    -n from the latest; None when it says none. Where words are written apart, the word stands after an article or a
    possessive (declined.toml ``things``) and before a word that points back (refer_back.toml) or ``names`` an order
    ("one", "Bestellung", "pizza"), or ends its clause: "first of all", "als erstes die Pizza" pick none."""
    placed: Mapping[str, int] = texts().get(lang, {}).get("placed", {})  # type: ignore[assignment]
    said = text.casefold()
    if not writing(lang).spaced:  # "取消第一个订单", "把第一单取消"; not "第二个披萨" unless 披萨 names an order
        follow = names | pointers().get(lang, frozenset()) | set(texts().get(lang, {}).get("orders", ()))
        found = sorted((at, n) for w, n in placed.items() for at in [said.find(w)] if at >= 0 and
                       (not (rest := re.sub(r"^\W+", "", said[at + len(w):])) or rest != said[at + len(w):] or
                        any(rest.startswith(f) for f in follow if len(f) > 1)))
        return int(found[0][1]) if found else None
    things, follow = set(words_of(lang).get("things", ())), names | pointers().get(lang, frozenset())
    for clause in re.split(r"[,;:.!?]", said):
        tokens = re.findall(r"[\w'’]+", clause)
        for at, token in enumerate(tokens):
            if token in placed and at and tokens[at - 1] in things and \
                    (at + 1 == len(tokens) or tokens[at + 1] in follow):
                return int(placed[token])
    return None


def says_verb(text: str, lang: str, verbs: frozenset[str]) -> bool:
    """Does ``text`` say one of ``verbs`` (``declined.says``: "cancel it", "storniere sie", "取消它"; written together:
    anywhere, "不要了"), or the two parts of one said apart ("sag es ab": "absagen")?"""
    if not writing(lang).spaced:
        return any(v in text for v in verbs)
    if says(text, lang, verbs):
        return True
    said = re.findall(r"\w+", text.casefold())
    return any(verb.startswith(a + b) for a in said for b in said if a != b and len(a + b) >= _JOINED
               for verb in verbs)


def _item_of(task: Task, asked: IntentSpec, spec: IntentSpec) -> dict[str, str]:
    """The slots naming what ``task`` listed for ``spec`` to find again: the one item's name (by its manifest's
    ``items``) and time, when it found one; else the day the task was asked about."""
    found = task.result if isinstance(task.result, list) else []
    fields = task.call.items if task.call else {}
    named = [name for name, kind in spec.slots.items() if kind == "text"]
    item = found[0] if len(found) == 1 and isinstance(found[0], dict) else {}
    name = item.get(fields.get("name", "")) if named else None  # a partner's answer may lack what it declared
    if isinstance(name, str | int) and str(name):
        at = item.get(fields.get("time", ""))
        timed = {spec.when_slot: str(at)} if spec.when_slot and isinstance(at, str) and at else {}
        return {named[0]: str(name), **timed}
    day = task.slots.get(asked.when_slot) if asked.when_slot else None
    return {spec.when_slot: str(day)} if spec.when_slot and day else {}


def _words_of(text: str, skip: frozenset[str]) -> set[str]:
    """The words of ``text`` that carry meaning, folded; a run of characters without spaces by its pieces."""
    return {p for word in re.findall(r"\w+", text.casefold()) for p in pieces(word)} - skip


def says_own_words(text: str, spec: IntentSpec) -> bool:
    """Does ``text`` say the capability's own words, as its examples say them (any language: a short turn's language
    is a guess)? A word of theirs that carries meaning ("cancel it", "Storniere sie", "取消它"); or, in a turn that
    refuses nothing, two words in a row as an example says them, the words that point back aside ("call it off":
    "call off", "where is it now": "where is", "wo ist sie jetzt"), or two of its words joined as one of theirs
    (German's separable verbs: "sag es ab" says "absagen"). A dismissal the learned tier scores near it ("forget it",
    "egal, lass es", "不用管它了", "das passt schon", "I don't care about it", review R15-2) says none of these. Its
    phrasings are not read: they say what users say around the request ("forget the order I placed, cancel it")."""
    pointing = frozenset(w for words in pointers().values() for w in words)
    skip = stop_words(*languages()) | pointing
    examples = [re.sub(r"\{\w+\}", " ", example) for found in spec.examples.values() for example in found]
    own = {w for example in examples for w in _words_of(example, skip)}
    if _words_of(text, skip) & own:
        return True
    if negated(text):
        return False
    said = [w for w in re.findall(r"\w+", text.casefold()) if w not in pointing]
    pairs = {pair for found in spec.examples.values() for example in found
             for pair in _in_a_row(parse_example(example), pointing).pairs}
    if set(itertools.pairwise(said)) & pairs:
        return True
    theirs = _words_of(" ".join(examples), pointing)  # read once, not again for every two words said
    return any(word.startswith(a + b) for a in said for b in said if a != b and len(a + b) >= _JOINED
               for word in theirs)


@dataclass(frozen=True)
class _Words:
    """What an example's parts may say, as ``_in_a_row`` reads them (``skip`` left out)."""

    firsts: frozenset[str]  # the words it may begin with
    lasts: frozenset[str]  # the words it may end with
    pairs: frozenset[tuple[str, str]]  # every two words it may say in a row
    empty: bool  # whether it may say nothing


def _in_a_row(parts: Sequence[Part], skip: frozenset[str]) -> _Words:
    """Of an example's ``parts``: the words it may begin and end with, every two words it may say in a row (``skip``
    left out: "cancel [it]"), and whether it may say nothing. A parameter's value stands between words."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    empty = True
    for part in parts:
        found = _part(part, skip)
        pairs |= found.pairs | {(a, b) for a in lasts for b in found.firsts}
        firsts |= found.firsts if empty else set()
        lasts = set(found.lasts) | (lasts if found.empty else set())
        empty = empty and found.empty
    return _Words(frozenset(firsts), frozenset(lasts), frozenset(pairs), empty)


def _part(part: Part, skip: frozenset[str]) -> _Words:
    """What one part of an example may say: its words, nothing of a parameter's, any of its options'."""
    if part.kind == "text":
        words = [w for w in re.findall(r"\w+", part.text.casefold()) if w not in skip]
        return _Words(frozenset(words[:1]), frozenset(words[-1:]), frozenset(itertools.pairwise(words)), not words)
    if part.kind == "slot":
        return _Words(frozenset(), frozenset(), frozenset(), False)
    options = [_in_a_row(option, skip) for option in part.options]
    return _Words(frozenset().union(*(o.firsts for o in options)), frozenset().union(*(o.lasts for o in options)),
                  frozenset().union(*(o.pairs for o in options)), part.optional or any(o.empty for o in options))


def _bare(text: str, lang: str, spec: IntentSpec) -> bool:
    """Does ``text`` say one of ``spec``'s verbs (a word its examples open with) and nothing but words of its examples
    and function words ("取消吧", "退了吧", "cancel", "cancel please"; not "please" alone), neither refusing nor
    asked ("不要取消", "取消了吗？")? Its object is left unsaid, as "it" would say it: what the conversation was about
    (review29 R29-13)."""
    if negated(text) or asks(text):
        return False
    skip = stop_words(*languages()) | frozenset(w for words in pointers().values() for w in words)
    examples = [re.sub(r"\{\w+\}", " ", example).casefold() for found in spec.examples.values() for example in found]
    verbs = frozenset().union(*(familiar((spec,), language)[0] for language in spec.examples)) - skip
    if writing(lang).spaced:
        said = [w for w in re.findall(r"\w+", text.casefold()) if w not in skip]
        own = {w for example in examples for w in re.findall(r"\w+", example)}
        return bool(set(said) & verbs) and all(w in own for w in said)
    said = [w for w in segmenter().lcut(fold(text)) if re.fullmatch(r"\w+", w) and w not in skip]
    return bool(set(said) & verbs) and all(any(w in fold(example) for example in examples) for w in said)


def _points(text: str, lang: str) -> bool:
    """Does ``text`` say a word that points back (refer_back.toml; a language without spaces: anywhere in it)?"""
    words = pointers().get(lang, frozenset())
    if not writing(lang).spaced:
        return any(w in fold(text) for w in words)
    return bool({fold(w) for w in re.findall(r"\w+", text)} & words)


def order_of(task: Task, name: str, spec: IntentSpec) -> str | None:
    """The id of the order ``task`` was about: the one its call named, or the one it placed."""
    if task.call is not None and task.call.arguments.get(name):
        return str(task.call.arguments[name])
    field = str(spec.own[name].get("field") or name)
    value = task.result.get(field) if isinstance(task.result, dict) else None
    return str(value) if isinstance(value, str | int) and str(value) else None
