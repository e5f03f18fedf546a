"""The intents the assistant can act on, each bound to the partner tool that fulfils it, with sentence
templates per language for the fast tier and a slot schema for the model tiers.

An intent is only live when the toolset offers its tool (a service of ``category`` with ``tool``), so
the parser never promises what no registered partner can do. Templates are regular expressions over a
lower-cased clause whose date/time words were already cut out (see ``slots.extract_when``); ``{name}``
marks a slot. Adding a language means adding templates, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = ["INTENTS", "PLACE_ALIASES", "IntentSpec", "intent_tools", "place_key"]

_COUNT = (r"\d{1,2}|a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eine?[nm]?|eins|zwei|drei|vier|"
          r"fünf|sechs|sieben|acht|neun|zehn|[一二两三四五六七八九十]{1,2}")

# Slot kinds: "text" (free words), "count" (small number), "place" (a saved place or an address),
# "when" (filled from the extracted date/time, never from a template).
_SLOT_SCHEMA: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "place": {"type": "string", "description": "a saved place (home, office) or an address"},
    "when": {"type": "string", "description": "date and time, ISO 8601 like 2026-11-29T20:00"},
}

PLACE_ALIASES = {
    "office": ("office", "the office", "work", "my office", "büro", "buero", "das büro", "arbeit", "die arbeit",
               "firma", "办公室", "公司", "单位"),
    "home": ("home", "my place", "hause", "zuhause", "zu hause", "daheim", "mir nach hause", "家", "家里", "我家"),
}


def place_key(said: str) -> str:
    """"office"/"home" for a saved-place word in any language ("ins Büro", "办公室"), else the words."""
    cleaned = said.strip().lower()
    for key, aliases in PLACE_ALIASES.items():
        if cleaned in aliases:
            return key
    return said.strip()


@dataclass(frozen=True)
class IntentSpec:
    """Something the user can ask for, and the partner tool that does it."""

    name: str  # e.g. "buy_movie_tickets"
    category: str  # service category whose tool fulfils it
    tool: str  # that tool's name, e.g. "buy_tickets"
    description: str  # for the model tiers
    slots: dict[str, str]  # slot name -> kind ("text", "count", "place", "when")
    required: tuple[str, ...]  # slots without which the task must ask the user
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> patterns
    questions: dict[str, dict[str, str]] = field(default_factory=dict)  # slot -> language -> question
    # Another intent to try when this one finds nothing ("two tickets for Nordlicht Quartett" is no film but a
    # concert): its name and how slots carry over.
    instead: tuple[str, dict[str, str]] | None = None

    @cached_property
    def patterns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """The templates compiled: ``{count}`` matches a number word, other slots match lazily."""
        def compile_one(template: str) -> re.Pattern[str]:
            def slot(match: re.Match[str]) -> str:
                name = match.group(1)
                body = _COUNT if self.slots.get(name) == "count" else ".+?"
                return f"(?P<{name}>{body})"
            return re.compile(re.sub(r"\{(\w+)\}", slot, template), re.IGNORECASE)
        return {lang: tuple(compile_one(t) for t in templates) for lang, templates in self.templates.items()}

    def tool_schema(self) -> dict[str, Any]:
        """A JSON Schema over the slots, for grammar-constrained tool calls on the model tiers."""
        return {"type": "object", "properties": {name: dict(_SLOT_SCHEMA[kind]) for name, kind in self.slots.items()},
                "required": [s for s in self.required if self.slots[s] != "when"]}

    def question(self, slot: str, lang: str) -> str:
        asked = self.questions.get(slot, {})
        return asked.get(lang) or asked.get("en") or f"What {slot.replace('_', ' ')}?"


_PLEASE_EN = r"(?:please |can you |could you |would you )?(?:please )?"
_PLEASE_DE = r"(?:bitte |kannst du |könntest du )?(?:bitte )?"
_ZH_LEAD = r"(?:请|麻烦)?(?:帮我|给我|替我|我想|我要|我需要)?"
_EVENT_EN = r"concert|theatre|theater|show|event|comedy|opera|gig"
_NOT_EVENT = r"(?!the (?:" + _EVENT_EN + r"|play|musical)\b)"  # "tickets for the concert ..." is no film

INTENTS: tuple[IntentSpec, ...] = (
    IntentSpec(
        name="buy_movie_tickets", category="cinema", tool="buy_tickets",
        description="Buy cinema tickets for a film at a time.",
        slots={"film": "text", "count": "count", "when": "when", "cinema": "text"}, required=("film", "when"),
        templates={
            "en": (_PLEASE_EN + r"(?:book|buy|get|reserve|order)(?: me| us)?(?: {count})? (?:cinema |movie |film )?"
                   r"tickets?(?: (?:for|to) " + _NOT_EVENT + r"(?:the (?:movie|film) )?{film})?"
                   r"(?: (?:at|in) (?:the )?{cinema})?",
                   _PLEASE_EN + r"(?:book|buy|get) (?:me |us )?{count} (?:seats?|tickets?) (?:for|to) " + _NOT_EVENT
                   + r"{film}",
                   # "book Dune on Saturday": a bare title, but never "book a table" / "book the taxi"
                   _PLEASE_EN + r"(?:book|see|watch)(?: me| us)? (?!(?:a|an|the|some|my|our|me|us|it)\b)"
                   r"(?!.*\b(?:tickets?|seats?)\b){film}"
                   r"(?: (?:at|in) (?:the )?{cinema})?"),
            "de": (_PLEASE_DE + r"(?:buch|buche|kauf|kaufe|reservier|reserviere|hol|besorg|besorge)(?: mir| uns)?"
                   r"(?: bitte)?(?: {count})? (?:kino)?(?:karten?|tickets?)(?: (?:für|fuer) (?:den film )?{film})?"
                   r"(?: (?:im|in der|in) {cinema})?",),
            "zh": (_ZH_LEAD + r"(?:订|买|预订|购买|预定)(?:{count}张)?的?(?:《?{film}》?的?)?(?:电影票|电影的票)",
                   _ZH_LEAD + r"(?:订|买|预订|购买|预定)(?:{count}张)?的?《{film}》的?票?"),
        },
        questions={"film": {"en": "Which film?", "de": "Welcher Film?", "zh": "看哪部电影？"},
                   "when": {"en": "For when?", "de": "Für wann?", "zh": "什么时间？"}},
        instead=("buy_event_tickets", {"film": "event", "count": "count", "when": "when", "cinema": "venue"}),
    ),
    IntentSpec(
        name="order_food", category="food", tool="place_order",
        description="Order food for delivery to a place.",
        slots={"dish": "text", "count": "count", "place": "place"}, required=("dish", "place"),
        templates={
            "en": (_PLEASE_EN + r"(?:order|get|bring|deliver)(?: me| us)?(?: {count})? {dish}"
                   r"(?: (?:delivered )?(?:to|at) (?:the |my )?{place})?",
                   r"(?:i(?:'d| would) like|i want) to order(?: {count})? {dish}(?: (?:to|at) (?:the |my )?{place})?",
                   r"(?:i(?:'d| would) like|i want)(?: {count})? {dish} delivered (?:to|at) (?:the |my )?{place}"),
            "de": (_PLEASE_DE + r"(?:bestell|bestelle|liefer|liefere)(?: mir| uns)?(?: bitte)?(?: {count})? {dish}"
                   r"(?: (?:ins|in die|in den|in das|zum|zur|nach|an die|an den|zu) {place})?",
                   r"ich (?:möchte|will|hätte gern|hätte gerne)(?: {count})? {dish} (?:ins|in die|in den|zum|zur|nach) "
                   r"{place}(?: bestellen| geliefert)?"),
            "zh": (_ZH_LEAD + r"(?:点|订|叫|买)(?:{count}(?:份|个|杯|碗))?{dish}(?:外卖)?(?:送到|送去|送至){place}",
                   _ZH_LEAD + r"(?:点|叫)(?:{count}(?:份|个|杯|碗))?{dish}(?:外卖)?"),
        },
        questions={"dish": {"en": "What would you like to eat?", "de": "Was möchtest du essen?", "zh": "想吃什么？"},
                   "place": {"en": "Where should it go?", "de": "Wohin soll es geliefert werden?",
                             "zh": "送到哪里？"}},
    ),
    IntentSpec(
        name="set_reminder", category="office", tool="add_reminder",
        description="Remind the user of something at a time.",
        slots={"todo": "text", "when": "when"}, required=("todo", "when"),
        templates={
            "en": (_PLEASE_EN + r"remind me,? (?:to |about (?:the )?|that |of (?:the )?)?{todo}",
                   _PLEASE_EN + r"(?:set|create|add|make|give me|get me|i need|i want|i'd like)(?: me)? (?:a |an )?"
                   r"(?:new )?reminder,? (?:to |for |about (?:the )?|that |of )?{todo}"),
            "de": (_PLEASE_DE + r"erinner[e]? mich(?: bitte)?,? (?:daran,? )?(?:an (?:die |den |das |der )?|dass |zu )?"
                   r"{todo}",
                   r"(?:bitte )?(?:stell|stelle|erstell|erstelle|setz|setze|mach|mache|ich brauche|ich möchte) "
                   r"(?:mir )?(?:eine )?(?:neue )?erinnerung,? (?:für |an |zu |um |dass |daran,? )?{todo}"),
            "zh": (_ZH_LEAD + r"(?:记得)?提醒我(?:一下)?(?:关于)?{todo}",
                   _ZH_LEAD + r"(?:需要|设置|设|加|建|添加|增加|创建)?(?:一个|一项|一条)?提醒[，,]?(?:我)?{todo}",
                   _ZH_LEAD + r"(?:设置|设|加|建|添加|增加|创建)(?:一个|一项|一条)?{todo}的提醒"),
        },
        questions={"when": {"en": "When should I remind you?", "de": "Wann soll ich dich erinnern?",
                            "zh": "什么时候提醒你？"},
                   "todo": {"en": "What should I remind you of?", "de": "Woran soll ich dich erinnern?",
                            "zh": "提醒你什么？"}},
    ),
    IntentSpec(
        name="show_reminders", category="office", tool="list_reminders",
        description="List the user's open reminders (optionally of one day).", slots={"when": "when"}, required=(),
        templates={
            "en": (r"(?:show|list|tell|read|give)(?: me)?(?: out)?(?: all)?(?: of)?(?: my)? reminders?(?: out)?",
                   r"what (?:are|is) (?:all )?my reminders?", r"what reminders do i have(?: set)?",
                   r"(?:do i have|are there) (?:any )?reminders?(?: set)?"),
            "de": (r"(?:zeig|zeige|liste|lies|lese|nenn|nenne)(?: mir)?(?: alle)?(?: meine)? "
                   r"erinnerung(?:en)?(?: an| vor| auf)?",
                   r"(?:welche|was für) erinnerungen habe ich(?: gesetzt)?", r"was sind meine erinnerungen",
                   r"habe ich (?:irgendwelche |eine )?erinnerung(?:en)?(?: gesetzt)?"),
            "zh": (r"(?:给我)?(?:显示|列出|看看|查看|告诉我|读)(?:一下)?(?:我的)?(?:所有)?(?:的)?提醒(?:事项)?",
                   r"(?:我的)?(?:所有)?提醒(?:事项)?(?:有哪些|是什么)", r"我有(?:设置)?(?:什么|哪些)?提醒吗?"),
        },
    ),
    IntentSpec(  # only requests that say concert, theatre, show ...; other titles come through the films
        name="buy_event_tickets", category="tickets", tool="buy_tickets",
        description="Buy tickets for a concert, play, comedy show or other event.",
        slots={"event": "text", "count": "count", "when": "when", "venue": "text"}, required=("event",),
        templates={
            "en": (_PLEASE_EN + r"(?:book|buy|get|reserve|order)(?: me| us)?(?: {count})? (?:" + _EVENT_EN + ") "
                   r"tickets?(?: (?:for|to) (?:the )?{event})?(?: (?:at|in) (?:the )?{venue})?",
                   _PLEASE_EN + r"(?:book|buy|get|reserve|order)(?: me| us)?(?: {count})? (?:tickets?|seats?) "
                   r"(?:for|to) the (?:" + _EVENT_EN + r"|play|musical) {event}(?: (?:at|in) (?:the )?{venue})?"),
            "de": (_PLEASE_DE + r"(?:buch|buche|kauf|kaufe|reservier|reserviere|hol|besorg|besorge)(?: mir| uns)?"
                   r"(?: bitte)?(?: {count})? (?:konzert|theater|event|show|comedy|kabarett|opern)(?:karten?|tickets?)"
                   r"(?: (?:für|fuer) (?:das |den |die )?(?:konzert |stück |show )?{event})?"
                   r"(?: (?:im|in der|in) {venue})?",),
            "zh": (_ZH_LEAD + r"(?:订|买|预订|购买|预定)(?:{count}张)?的?《?{event}》?的?"
                   r"(?:演唱会|音乐会|演出|话剧|京剧|越剧|相声|音乐剧|剧)?门票",),
        },
        questions={"event": {"en": "Which event?", "de": "Welche Veranstaltung?", "zh": "哪场演出？"}},
    ),
)


def intent_tools(intents: tuple[IntentSpec, ...]) -> dict[str, IntentSpec]:
    """Intents by name, for looking up what a model tier called."""
    return {i.name: i for i in intents}
