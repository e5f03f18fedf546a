"""Skills: hooks a capability registers when the generic path (``tandem.agent.generic``, driven by the
manifest) cannot do its job yet: picking a showtime near the asked time, the cheapest section with room
for everyone, a dish on one of several restaurants' menus, reminders of one day.

A skill reads what it needs through safe (read-only) tools of the same partner, such as the films and
showtimes, a menu and a quote, and returns either the final call with a summary for the user, the one
slot it still needs, or why it cannot be done. Skills read ids and prices from the structured fields of
partner answers and copy user-given values (counts, times, places) only from the slots, so no text a
partner returns can change what is bought.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.intents import PLACE_ALIASES, IntentSpec
from tandem.agent.profile import Place, Profile
from tandem.agent.tasks import PendingCall, Task
from tandem.agent.toolset import ToolResult, ToolSpec
from tandem.privacy.places import gazetteer

__all__ = ["HOOKS", "PAYMENT_METHOD", "WRITES", "Context", "LookupFailed", "Prepared", "Skill", "city_of", "fold",
           "missing_profile", "own_words", "profile_questions", "register", "resolve_place", "said_in",
           "shape_result", "skill_text"]

# What a task without a payment method waits for (``Prepared.waiting``): the profile field the user sets outside
# the chat (a token comes from the payment provider, never typed into a conversation).
PAYMENT_METHOD = "profile.payment_token"
_MAX_SHIFT_MINUTES = 45  # a showtime this much later than the asked time still counts ("um 20 Uhr" → 20:30) …
_MAX_EARLY_MINUTES = 30  # … and this much earlier: one that began long before the time asked is another showing
# ("nicht um 20 Uhr, sondern um 21 Uhr" never buys the 20:00 one; review32 R32-11). Both less than the hour a clock
# said instead is from the one ruled out (clocks.CORRECTED_APART), so the showing ruled out is never picked
_TEXTS = Path(__file__).with_name("skill_texts.toml")


@cache
def _texts() -> dict[str, dict[str, Any]]:
    """``skill_texts.toml``: per language, what a skill says to the user."""
    return tomllib.loads(_TEXTS.read_text(encoding="utf-8"))


@cache
def own_words() -> frozenset[str]:
    """Every word the assistant's own texts say (``skill_texts.toml``, every language; placeholders left out): what a
    question of its own is made of, as against the values a partner listed in it."""
    def said(found: Any) -> list[str]:
        if isinstance(found, dict):
            return [w for value in found.values() for w in said(value)]
        return re.findall(r"\w+", re.sub(r"\{\w*\}", " ", found).casefold()) if isinstance(found, str) else []
    return frozenset(said(_texts()))


def profile_questions() -> frozenset[str]:
    """The profile fields the assistant may ask for in the chat (it has a question for them)."""
    return frozenset(_texts()["en"]["profile"])


class LookupFailed(Exception):  # control flow inside skills, not part of the error tree
    """A read-only partner call answered with an error; the skill turns it into a question or a failure. ``asked``:
    the call ended on the partner's own question for the user (MCP elicitation), its tool's name and answer."""

    def __init__(self, message: str, asked: tuple[str, ToolResult] | None = None) -> None:
        super().__init__(message)
        self.asked = asked


@dataclass(frozen=True)
class Prepared:
    """What a skill found out."""

    call: PendingCall | None = None  # the final call, ready to confirm (or to run, when not transactional)
    missing: str | None = None  # a slot to ask the user for
    question: str | None = None  # how to ask for it
    error: str | None = None  # why the task cannot be done
    waiting: str | None = None  # what the task waits for before it can go on (``PAYMENT_METHOD``), not a failure
    filled: tuple[str, ...] = ()  # what it filled in from the user's details (tasks.Task.filled)
    # nothing of the user's to act on here (no order at this partner): the intent's `instead` is tried, as when a
    # search finds nothing
    nothing: bool = False
    # a read-only step ended on the partner's question for the user: its tool's name and answer (tandem.agent.asking)
    asked: tuple[str, ToolResult] | None = None
    # a "which one?" question's items as numbered in it: an answer "2" gives ``missing`` the second one's words
    choices: tuple[str, ...] = ()


@dataclass
class Context:
    """What a skill may use."""

    commit: ToolSpec  # the tool that finishes the intent
    tools: list[ToolSpec]  # all tools of the toolset
    profile: Profile
    language: str
    now: dt.datetime
    lookup: Callable[[str, dict[str, Any]], Awaitable[Any]]  # a journaled read-only call → structured data
    history: Callable[[], list[Task]] = list  # the user's done tasks, oldest first (their own earlier orders)

    def sibling(self, tool: str) -> str | None:
        """The toolset name of ``tool`` on the same service as the committing tool."""
        found = next((t for t in self.tools if t.service_id == self.commit.service_id and t.tool == tool), None)
        return found.name if found else None

    def text(self, key: str, **values: Any) -> str:
        """What ``key`` of ``skill_texts.toml`` says in the user's language (``skill_text``)."""
        return skill_text(key, self.language, **values)


def skill_text(key: str, language: str, **values: Any) -> str:
    """What ``key`` of ``skill_texts.toml`` ("no_dish", "profile.name") says in ``language`` (English when it has
    no table), with ``values`` filled in."""
    found: Any = _texts().get(language) or _texts()["en"]
    for part in key.split("."):
        found = found[part]
    return str(found).format(**values)


Skill = Callable[[IntentSpec, dict[str, Any], Context], Awaitable[Prepared]]


def fold(text: str) -> str:
    """Lower-case without accents or punctuation, for matching names across spellings."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


# The city at the end of a street address ("Friedrichstraße 88, 10117 Berlin", "1 Rue X, 75001 Paris") or at its start
# ("北京市朝阳区建国路88号").
_CITY_AFTER_POSTCODE = re.compile(r"(?:^|[,\s])\d{4,6}\s+([^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+)*)\s*$")
_CITY_FIRST = re.compile(r"^([\u4e00-\u9fff]{2,3}?)市")


def city_of(address: str) -> str:
    """The city a street address names after its postcode (or a Chinese one first, before 市), or as its last part
    after a comma when that is a known place ("Friedrichstraße 100, Berlin"; the gazetteer: not "…, Hinterhaus");
    "" when it names none."""
    found = _CITY_AFTER_POSTCODE.search(address.strip()) or _CITY_FIRST.match(address.strip())
    if found:
        return found.group(1)
    last = address.rpartition(",")[2].strip() if "," in address else ""
    return last if last and " ".join(last.casefold().split()) in gazetteer() else ""


def _matches(wanted: str, *names: Any) -> bool:
    wanted = fold(wanted)
    return bool(wanted) and any(wanted in fold(n) or (fold(n) and fold(n) in wanted) for n in names if n)


def _names(item: dict[str, Any]) -> list[Any]:
    """An item's names in the languages a partner's catalog gives them in (``names``: {"en": "Dune", "zh": "沙丘"}):
    a value said in the user's language finds what the partner lists in its own."""
    names = item.get("names")
    return list(names.values()) if isinstance(names, dict) else []


def said_in(item: dict[str, Any], language: str, field: str = "name") -> Any:
    """An item's ``field`` as the user reads it: its name in ``language`` when the partner's catalog gives one
    (``names``), else the partner's own; any other field (an id, a sku) as the partner gives it. What a confirmation
    shows; a call keeps the partner's ids and words."""
    names = item.get("names")
    if field == "name" and isinstance(names, dict) and names.get(language):
        return names[language]
    return item.get(field)


def missing_profile(profile: Profile, needed: tuple[str, ...]) -> list[str]:
    return [f for f in needed if not (_city(profile) if f == "city" else getattr(profile, f))]


def _city(profile: Profile) -> str:
    """The user's city, or that of a saved place."""
    return profile.city or next((p.city for p in profile.places.values() if p.city), "")


def resolve_place(spec: IntentSpec, slot: str, said: str, ctx: Context) -> Place | Prepared:
    """The place a task's place parameter names, with its city: a saved place, or the words as an address typed in
    the user's city. Otherwise what to ask: the address of a saved-place word not saved yet ("your office"), the
    parameter's own question for words that are no address ("Warenkorb", "essen bestellen"), the user's city
    (a profile question, asked once) when no city is known."""
    place = ctx.profile.place(said)
    if place is None and said in PLACE_ALIASES:  # "ins Büro", none saved: its address is asked once and kept
        return Prepared(missing=f"profile.places.{said}", question=ctx.text(f"address_of.{said}"))
    if place is None:
        return Prepared(missing=slot, question=spec.question(slot, ctx.language))
    city = place.city or _city(ctx.profile)
    if not city:
        return Prepared(missing="profile.city", question=ctx.text("profile.city"))
    return replace(place, city=city)


async def _movie(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    films_tool, shows_tool = ctx.sibling("list_films"), ctx.sibling("showtimes")
    if not films_tool or not shows_tool:
        return Prepared(error=f"{ctx.commit.service_id} offers no film listings")
    films = [f for f in await ctx.lookup(films_tool, {}) if isinstance(f, dict)]
    film = next((f for f in films if _matches(slots["film"], f.get("title"), f.get("title_en"), *_names(f))), None)
    if film is None:
        listing = ", ".join(str(f.get("title")) for f in films[:8])
        return Prepared(missing="film", question=ctx.text("film_not_showing", film=slots["film"], listing=listing))
    date, _, clock = str(slots["when"]).partition("T")
    asked = {"city": _city(ctx.profile), "film_id": film["film_id"]}
    shows = _at(slots, await ctx.lookup(shows_tool, {**asked, "date": date}))
    if not shows:  # none that day: the next showings on other days, or another film when there are none
        later = sorted({str(s["starts_at"]) for s in _at(slots, await ctx.lookup(shows_tool, asked))})
        if not later:
            return Prepared(missing="film", question=ctx.text("no_showings", title=film["title"]))
        return Prepared(missing="when", question=ctx.text("not_that_day", title=film["title"], day=date,
                                                          times=", ".join(t[5:] for t in later[:6])))
    return _pick_show(spec, slots, ctx, film, shows, clock)


def _at(slots: dict[str, Any], shows: Any) -> list[dict[str, Any]]:
    """The showings at the cinema the user named (all when none was named)."""
    return [s for s in shows if isinstance(s, dict) and s.get("starts_at")
            and (not slots.get("cinema") or _matches(slots["cinema"], s.get("cinema"), s.get("cinema_id")))]


def _pick_show(spec: IntentSpec, slots: dict[str, Any], ctx: Context, film: dict[str, Any],
               shows: list[dict[str, Any]], clock: str) -> Prepared:
    def distance(show: dict[str, Any]) -> int:
        return _minutes_apart(str(show["starts_at"])[-5:], clock)

    if not clock and len(shows) == 1:  # a day without a time ("tonight") and one showing left: propose it
        clock = str(shows[0]["starts_at"])[-5:]
    times, title = ", ".join(sorted({str(s["starts_at"])[-5:] for s in shows})), film["title"]
    fitting = [s for s in shows if clock and _near(str(s["starts_at"]), clock)]
    if not fitting:
        return Prepared(missing="when", question=ctx.text("showings", title=title, times=times))
    count = int(slots["count"])  # required: asked for when not said
    # A stable choice, so the re-check at confirmation picks the same showtime.
    show = min(fitting, key=lambda s: (distance(s), str(s["starts_at"]), str(s.get("cinema_id"))))
    if int(show.get("free_seats") or 0) < count:
        return Prepared(error=f"only {show.get('free_seats')} seats left for {film['title']} at {show['starts_at']}")
    arguments = {"showtime_id": show["showtime_id"], "holder_name": ctx.profile.name,
                 "payment_token": ctx.profile.payment_token, "count": count}
    summary = {"partner": ctx.commit.partner or ctx.commit.service_id, "film": film["title"],
               "cinema": show.get("cinema"), "starts_at": show["starts_at"], "tickets": count,
               "price_each": show.get("price"), "total": round(float(show.get("price") or 0) * count, 2),
               "currency": show.get("currency"), "holder": ctx.profile.name}
    return Prepared(call=PendingCall(ctx.commit.name, ctx.commit.service_id, arguments, True, summary))


async def _event(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    search, seats = ctx.sibling("search_events"), ctx.sibling("seat_availability")
    if not search or not seats:
        return Prepared(error=f"{ctx.commit.service_id} offers no event listings")
    date, _, clock = str(slots.get("when") or "").partition("T")
    last = str(slots.get("when_end") or "")[:10]  # a stretch of days said ("this weekend", "next month"): all of it
    asked = {"city": _city(ctx.profile), **({"date": date} if date and not last else {})}
    listed = [e for e in await ctx.lookup(search, asked) if isinstance(e, dict)
              and (not last or date <= str(e.get("starts_at"))[:10] <= last)]
    events = [e for e in listed if _matches(slots["event"], e.get("title"))
              and (not slots.get("venue") or _matches(slots["venue"], e.get("venue")))]
    if clock:
        events = [e for e in events if _near(str(e["starts_at"]), clock)]
    if not events:
        listing = "; ".join(f"{e.get('title')} ({str(e.get('starts_at'))[5:]})" for e in listed[:6]) or "-"
        return Prepared(missing="event", question=ctx.text("no_event", wanted=slots["event"], listing=listing))
    event, count = events[0], int(slots["count"])  # the listing is sorted by time: the next one
    free = [x for x in (await ctx.lookup(seats, {"event_id": event["id"]})).get("sections", [])
            if len(x.get("free", [])) >= count]
    if not free:
        return Prepared(error=f"fewer than {count} seats left together for {event['title']}")
    section = min(free, key=lambda x: float(x["price"]))  # the cheapest section with room for everyone
    arguments = {"event_id": event["id"], "count": count, "section": section["section"],
                 "holder_name": ctx.profile.name, "payment_token": ctx.profile.payment_token}
    summary = {"partner": ctx.commit.partner or ctx.commit.service_id, "event": event["title"],
               "venue": event.get("venue"), "starts_at": event["starts_at"], "tickets": count,
               "section": section["section"], "price_each": section["price"],
               "total": round(float(section["price"]) * count, 2), "currency": event.get("currency"),
               "holder": ctx.profile.name}
    return Prepared(call=PendingCall(ctx.commit.name, ctx.commit.service_id, arguments, True, summary))


def _near(starts_at: str, clock: str) -> bool:
    """Does a showing that starts at ``starts_at`` (its last five characters: "20:30") count for the ``clock`` asked:
    no more than ``_MAX_SHIFT_MINUTES`` after it, nor ``_MAX_EARLY_MINUTES`` before?"""
    (sh, sm), (ch, cm) = (map(int, starts_at[-5:].split(":")), map(int, clock.split(":")))
    return -_MAX_EARLY_MINUTES <= (sh * 60 + sm) - (ch * 60 + cm) <= _MAX_SHIFT_MINUTES


def _minutes_apart(a: str, b: str) -> int:
    (ah, am), (bh, bm) = (map(int, a.split(":")), map(int, b.split(":")))
    return abs((ah * 60 + am) - (bh * 60 + bm))


async def _food(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    search, menu, quote = ctx.sibling("search_restaurants"), ctx.sibling("menu"), ctx.sibling("quote")
    if not (search and menu and quote):
        return Prepared(error=f"{ctx.commit.service_id} offers no menus")
    place = resolve_place(spec, "place", str(slots["place"]), ctx)
    if isinstance(place, Prepared):
        return place
    dish_word = str(slots["dish"])
    for restaurant in (await ctx.lookup(search, {"city": place.city, "query": dish_word}))[:3]:
        dishes = await ctx.lookup(menu, {"restaurant_id": restaurant["id"]})
        dish = next((d for d in dishes if _matches(dish_word, d.get("name"), *_names(d))), None)
        if dish is None:
            continue
        items = [{"dish_id": dish["dish_id"], "quantity": int(slots["count"])}]  # the manifest's default: 1
        priced = await ctx.lookup(quote, {"restaurant_id": restaurant["id"], "items": items})
        arguments = {"restaurant_id": restaurant["id"], "items": items, "address": place.address,
                     "phone": ctx.profile.phone, "name": ctx.profile.name, "payment_token": ctx.profile.payment_token}
        menu_of = {d.get("dish_id"): d for d in dishes if isinstance(d, dict)}  # a dish's names per language
        shown = [(line["quantity"], said_in({**line, "names": menu_of.get(line.get("dish_id"), {}).get("names")},
                                            ctx.language)) for line in priced.get("lines", [])]
        summary = {"partner": ctx.commit.partner or ctx.commit.service_id, "restaurant": restaurant.get("name"),
                   "items": [f"{quantity} × {name}" for quantity, name in shown],
                   "total": priced.get("total"), "currency": priced.get("currency"), "address": place.address,
                   "eta_minutes": priced.get("eta_minutes")}
        return Prepared(call=PendingCall(ctx.commit.name, ctx.commit.service_id, arguments, True, summary))
    return Prepared(missing="dish", question=ctx.text("no_dish", city=place.city, dish=dish_word))


async def _list(spec: IntentSpec, slots: dict[str, Any], ctx: Context) -> Prepared:
    summary = {"day": str(slots["when"])[:10]} if slots.get("when") else {}  # the answer is filtered to that day
    return Prepared(call=PendingCall(ctx.commit.name, ctx.commit.service_id, {}, ctx.commit.transactional, summary,
                                     spec.answers_of(ctx.commit.service_id)[0]))  # its items by its manifest's fields


def shape_result(call: PendingCall, data: Any) -> Any:
    """A partner's answer cut to what the user asked for (reminders of one day when a day was said)."""
    day = call.summary.get("day")
    if day and isinstance(data, list):
        return [r for r in data if isinstance(r, dict) and str(r.get("due_at", "")).startswith(day)]
    return data


HOOKS: dict[str, tuple[Skill, tuple[str, ...]]] = {}  # intent -> (skill, profile fields it needs)
# intent -> where its call writes what it is filled from: a call key ("arguments.name", "summary.holder") and the
# references of the value it holds, in a manifest template's words ("{profile.name}", "{place.address}" of the
# task's place, "{cinema}" a parameter). Tandem reads a task's provenance from it (tasks.Task.filled); a skill that
# declares none has the user's details it uses named everywhere in its call (fail closed).
WRITES: dict[str, dict[str, str]] = {}


def register(intent: str, skill: Skill, needs: tuple[str, ...] = (), writes: dict[str, str] | None = None) -> None:
    """Let ``skill`` prepare ``intent``'s call instead of the generic path; ``writes``: where it puts what."""
    HOOKS[intent] = (skill, needs)
    if writes is not None:
        WRITES[intent] = writes


_TICKETS = {"arguments.holder_name": "{profile.name}", "arguments.payment_token": "{profile.payment_token}",
            "summary.holder": "{profile.name}"}
register("buy_movie_tickets", _movie, ("name", "city", "payment_token"),
         {**_TICKETS, "summary.cinema": "{cinema}", "summary.starts_at": "{when}"})
register("buy_event_tickets", _event, ("name", "city", "payment_token"),
         {**_TICKETS, "summary.starts_at": "{when}"})
register("order_food", _food, ("name", "phone", "payment_token"),
         {"arguments.name": "{profile.name}", "arguments.phone": "{profile.phone}",
          "arguments.payment_token": "{profile.payment_token}", "arguments.address": "{place.address}",
          "summary.address": "{place.address}"})
register("show_reminders", _list, writes={})
