"""The intents the assistant can act on, each bound to the partner tool that fulfils it. They are partner
data: a manifest tool declares its intent, parameters, descriptions and example sentences per language
(see ``tandem.agent.capabilities`` and docs/partners-capabilities.md); this module only holds their shape.

An intent is only live when the toolset offers its tool (a service of ``category`` with ``tool``), so
the parser never promises what no registered partner can do. Examples compile to patterns over a
lower-cased clause whose date/time words were already cut out (see ``slots.extract_when``); ``{name}``
marks a parameter. Adding a language or a capability means adding examples, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any

from tandem.agent.templates import Part, compile_example, parse_example
from tandem.agent.words import MEASURE_WORDS, doubled_forms, load
from tandem.agent.writing import segmenter, writing

__all__ = ["ASKING", "LEADS", "PLACE_ALIASES", "IntentSpec", "asks_whether", "follows", "intent_tools", "lead_end",
           "led", "place_key", "rejoined"]

# Slot kinds: "text" (free words), "count" (small number), "place" (a saved place or an address),
# "when" (filled from the extracted date/time, never from a template), "choice" (one of a few values).
_SLOT_SCHEMA: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "place": {"type": "string", "description": "a saved place (home, office) or an address"},
    "when": {"type": "string", "description": "date and time, ISO 8601 like 2026-11-29T20:00"},
    "choice": {"type": "string"},
}

PLACE_ALIASES = {
    "office": ("office", "the office", "work", "my office", "büro", "buero", "das büro", "arbeit", "die arbeit",
               "firma", "办公室", "公司", "单位"),
    "home": ("home", "my place", "hause", "zuhause", "zu hause", "daheim", "mir nach hause", "家", "家里", "我家"),
}


def place_key(said: str) -> str:
    """"office"/"home" for a saved-place word in any language ("ins Büro", "办公室"), also after words that say whose
    it is ("*our* office", "*我*公司", "*我们*单位": measure_words.toml ``owners`` and ``subjects``), else the words."""
    cleaned = said.strip().lower()
    for key, aliases in PLACE_ALIASES.items():
        if cleaned in aliases or _unowned(cleaned) in aliases:
            return key
    return said.strip()


@lru_cache(maxsize=1)
def _owners() -> re.Pattern[str]:
    data = load(MEASURE_WORDS)
    words = sorted({w for key in ("owners", "subjects") for found in data.get(key, {}).values() for w in found},
                   key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(rf"{re.escape(w)}\s+" if w.isascii() else re.escape(w) for w in words) + ")")


def _unowned(place: str) -> str:
    """``place`` without the words before it that say whose it is ("my", "unser", "我们")."""
    return _owners().sub("", place, count=1)


@dataclass(frozen=True)
class IntentSpec:
    """Something the user can ask for, and the partner tool that does it (read from a manifest)."""

    name: str  # e.g. "buy_movie_tickets"
    category: str  # service category whose tool fulfils it
    tool: str  # that tool's name, e.g. "buy_tickets"
    description: str  # for the model tiers (English)
    slots: dict[str, str]  # parameter name -> kind ("text", "count", "place", "when")
    required: tuple[str, ...]  # parameters without which the task must ask the user
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> example templates
    questions: dict[str, dict[str, str]] = field(default_factory=dict)  # slot -> language -> question
    # Another intent to try when this one finds nothing ("two tickets for Nordlicht Quartett" is no film but a
    # concert): its name and how slots carry over.
    instead: tuple[str, dict[str, str]] | None = None
    resolve: tuple[dict[str, Any], ...] = ()  # read-only steps before the call: {"tool", "arguments", "pick"}
    arguments: dict[str, Any] = field(default_factory=dict)  # the call's arguments as templates ("{film}")
    summary: dict[str, str] = field(default_factory=dict)  # confirmation line -> template over slots and steps
    transactional: bool = False  # the manifest says the tool commits the user (confirmation first)
    removes: bool = False  # the manifest says the tool removes what the user has (``effect = "delete"``)
    writes: bool = False  # the manifest's ``effect`` is "write" or "delete" (the schema's default: a tool that is not
    # safe to repeat or is transactional): it keeps what it is given, not only reads
    defaults: dict[str, Any] = field(default_factory=dict)  # values the partner declares for optional slots
    choices: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # choice slot -> value -> words
    timed: tuple[str, ...] = ()  # "when" slots that need a time of day, not only a day
    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slot -> values users might say
    # language -> whole sentences users say for it (real values, no placeholders): the learned tier learns from
    # them; the fast tier never reads them as templates
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    partner: str = ""  # the id of the manifest that declared it (merged: the first one's), for the trust order
    # parameter -> where the user's own earlier orders hold its value (the manifest's ``own_order``:
    # {"from": [tools], "field": ...}); filled by ``tandem.agent.own_orders``
    own: dict[str, dict[str, Any]] = field(default_factory=dict)
    # parameter -> what its values look like (the manifests' ``shape``, every partner's): an order id's prefix says
    # whose order it is ("CIN-4F2A": the cinema's); tandem.agent.order_ids
    shapes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a list answer's items: the field that names one ("name") and the one that says when it is ("time"), if any
    items: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # language -> the capability's short name, for its card
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # parameter -> language -> its name for the user
    # an answer's field -> a value the partner sends in it -> language -> its name for the user (the manifest's
    # [values]: "in_kitchen" is "in der Küche"; tandem.agent.spoken.value_said)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # a capability several partners offer (capabilities._merge): partner id -> that partner's own ``items`` and
    # ``values`` as its manifest declares them; ``answers_of`` reads them (review R20-7)
    items_by: dict[str, dict[str, str]] = field(default_factory=dict)
    values_by: dict[str, dict[str, dict[str, dict[str, str]]]] = field(default_factory=dict)

    def label(self, key: str, template: str | None, lang: str) -> str | None:
        """The name the partner gives a confirmation's field in ``lang``: its parameter's title, for a field that is a
        parameter ("count") or shows one alone (``summary = {quantity = "{count}"}``); None when it declares none."""
        said = re.fullmatch(r"\{(\w+)\}", template or "")
        titles = self.labels.get(said.group(1) if said else key, {})
        return titles.get(lang) or None

    def answers_of(self, partner: str) -> tuple[dict[str, str], dict[str, dict[str, dict[str, str]]]]:
        """How ``partner``'s answers are shown and named: its list items' fields (``items``) and its names of values
        (``values``), as its own manifest declares them, never another partner's (review R20-7); the spec's own for
        the partner it was read from, or for a spec that names none."""
        if partner == self.partner or not self.partner:
            return self.items, self.values
        return self.items_by.get(partner, {}), self.values_by.get(partner, {})

    @property
    def own_text(self) -> frozenset[str]:
        """The parameters whose value is the user's own words, kept as they are given (a note's text, a reminder's
        to-do, an appointment's title): the text parameters of a tool that writes (``writes``) that no ``resolve``
        step looks up. A step that declares no arguments is taken to look up every parameter (the food partner's
        "search_restaurants" finds the dish); so is any parameter of a tool that only reads (a search's words). The
        rule of days a reminder comes back on (``<when>_repeat``) is the date reader's, never the user's words."""
        if not self.writes or any("arguments" not in step for step in self.resolve):
            return frozenset()
        looked_up = repr([step["arguments"] for step in self.resolve])
        repeat = f"{self.when_slot}_repeat" if self.when_slot else None
        return frozenset(name for name, kind in self.slots.items()
                         if kind == "text" and f"{{{name}}}" not in looked_up and name != repeat)

    @property
    def listed(self) -> bool:
        """Does a partner of this capability answer with a list whose items its manifest declares (``items``), whichever
        partner was declared first (``items_by``, ``answers_of``: a capability two partners offer keeps the first
        one's ``items``, which may declare none)?"""
        return bool(self.items) or any(self.answers_of(partner)[0] for partner in self.items_by)

    @cached_property
    def patterns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """The examples compiled: ``{count}`` matches a number word, a choice one of its declared words, other
        slots match lazily; a verb of one character also doubled ("找找", ``templates.doubled``)."""
        words = {slot: (*values, *(w for synonyms in values.values() for w in synonyms))
                 for slot, values in self.choices.items()}
        return {lang: tuple(compile_example(e, self.slots, LEADS.get(lang, ""), words, doubled_forms(lang))
                            for e in examples)
                for lang, examples in self.examples.items()}

    @cached_property
    def when_slot(self) -> str | None:
        """The parameter the date and time the user said go into: the one of kind "when" (a required one first),
        whatever the partner named it ("when", "pickup", "start"); None when it takes no time."""
        timed = [name for name, kind in self.slots.items() if kind == "when"]
        return next((name for name in timed if name in self.required), timed[0] if timed else None)

    def tool_schema(self) -> dict[str, Any]:
        """A JSON Schema over the slots, for grammar-constrained tool calls on the model tiers."""
        properties = {name: dict(_SLOT_SCHEMA[kind]) for name, kind in self.slots.items()}
        for name, values in self.choices.items():
            properties[name]["enum"] = sorted(values)
        return {"type": "object", "properties": properties,
                "required": [s for s in self.required if self.slots[s] != "when"]}

    def question(self, slot: str, lang: str) -> str:
        asked = self.questions.get(slot, {})
        return asked.get(lang) or asked.get("en") or _ASK.get(lang, _ASK["en"]).format(slot.replace("_", " "))


_ASK = {"en": "What {}?", "de": "Welche Angabe fehlt: {}?", "zh": "请告诉我{}。"}


# The polite openings every example may start with, per language ("please ...", "kannst du ...", "帮我...").
# Openings that ask whether the user may have something ("can I get …"): a request, or a wish ("could we get a
# dog?"); a loose template's match after one stands only where the learned tier names it (``asks_whether``).
ASKING = {"en": r"(?:can|could) (?:i|we) ", "de": r"(?:kann ich|könnte ich|können wir) "}
LEADS = {
    "en": rf"(?:please |can you |could you |would you |{ASKING['en']})?(?:please )?",
    "de": rf"(?:bitte |kannst du |könntest du |{ASKING['de']})?(?:bitte )?",
    "zh": r"(?:请|麻烦)?(?:帮我|给我|替我|我想|我要|我需要)?",
}


@lru_cache(maxsize=256)
def lead_end(text: str, lang: str) -> int:
    """Where the polite opening ``text`` starts with (``LEADS``) ends, 0 when it has none: at the end of a word, so an
    opening that ends inside one takes the rest of it ("给我们买票": 给我们, not 给我 and a request "们买票"). Where a
    language writes its words together, they are the segmenter's (its dictionary's words only)."""
    found = re.match(LEADS.get(lang, ""), text, re.IGNORECASE)
    end = found.end() if found else 0
    if not end or writing(lang).spaced:
        return end
    return next(e for e in accumulate(len(w) for w in segmenter().cut(text, HMM=False)) if e >= end)


def led(pattern: re.Pattern[str], said: str, lang: str) -> re.Match[str] | None:
    """``pattern``'s match of all of ``said``; where its opening (``LEADS``) ends inside a word, the match after that
    word's end when there is one ("给我们买三张周杰伦演唱会的票": the event 周杰伦, not "们买三张周杰伦")."""
    opening, end = re.match(LEADS.get(lang, ""), said, re.IGNORECASE), lead_end(said, lang)
    if opening is None or end <= opening.end():
        return pattern.fullmatch(said)
    return pattern.fullmatch(said, end) or pattern.fullmatch(said)


def asks_whether(text: str) -> bool:
    """Does ``text`` open by asking whether the user may have something (``ASKING``, any language)?"""
    return any(re.match(opening, text.strip(), re.IGNORECASE) for opening in ASKING.values())


def intent_tools(intents: tuple[IntentSpec, ...]) -> dict[str, IntentSpec]:
    """Intents by name, for looking up what a model tier called."""
    return {i.name: i for i in intents}


def follows(spec: IntentSpec, lang: str) -> list[tuple[str, tuple[str, ...], str]]:
    """Each parameter an example of ``spec`` says right after another, with the words between ("{film} [(im|in der|in)
    {cinema}]": film, (im, in der, in), cinema)."""
    found: dict[tuple[str, str], set[str]] = {}
    for example in spec.examples.get(lang, ()):
        said = _flat(parse_example(example))
        for first, words, second in zip(said, said[1:], said[2:], strict=False):
            if first.kind == "slot" and second.kind == "slot" and words.kind != "slot":
                found.setdefault((first.text, second.text), set()).update(_said(words))
    return [(a, tuple(sorted(w)), b) for (a, b), w in found.items() if w]


def rejoined(spec: IntentSpec, slots: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """``slots`` with two free-text values an example of ``spec`` says in a row joined back into the first, by each of
    the words the examples put between them, the second left out ("{film} (im|in der|in) {cinema}": film "Mord",
    cinema "Orient-Express" → film "Mord im Orient-Express", …). The values were read apart at those words
    (``ground``: "Barbie im Delphi"), which a title may hold too: the partner finding no film by the first value (or
    none showing at the second), the whole title is tried. [] when no such two values are filled."""
    found: list[dict[str, Any]] = []
    gap = " " if writing(lang).spaced else ""
    for first, words, second in follows(spec, lang):
        head, rest = slots.get(first), slots.get(second)
        if spec.slots.get(first) == spec.slots.get(second) == "text" and head and rest:
            others = {k: v for k, v in slots.items() if k != second}
            found.extend({**others, first: f"{head}{gap}{w}{gap}{rest}"} for w in words)
    return found


def _flat(parts: tuple[Part, ...]) -> list[Part]:
    """``parts`` without spaces, with a choice of one way (said or left out: "[(für) {film}]") as its parts."""
    out: list[Part] = []
    for part in parts:
        if part.kind == "choice" and len(part.options) == 1:
            out.extend(_flat(part.options[0]))
        elif part.kind != "text" or part.text.strip():
            out.append(part)
    return out


def _said(part: Part) -> set[str]:
    """The words a literal part or a choice of literal words says, lower case (none for anything else)."""
    if part.kind == "text":
        return {part.text.strip().casefold()}
    if part.kind == "choice" and not part.optional and all(len(o) == 1 and o[0].kind == "text" for o in part.options):
        return {o[0].text.strip().casefold() for o in part.options}
    return set()
