"""The questions that wait for the user's answer (split out of ``assistant``): which of them a turn's lines show, how an
answer names a numbered choice, and whether a turn said to a question is asked as one or is a whole new request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tandem.agent.clocks import clock_said
from tandem.agent.every import repeat_unread
from tandem.agent.gate import withdraw
from tandem.agent.intents import IntentSpec
from tandem.agent.journal import Journal
from tandem.agent.profile import Profile, is_address, set_field
from tandem.agent.reply import describe, facts
from tandem.agent.skills import city_of
from tandem.agent.slots import When, parse_count, parse_ordinal
from tandem.agent.spoken import set_once
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tandem.agent.writing import writing
from tandem.errors import InvalidRequest
from tandem.text import one_line

__all__ = ["GIVEN", "asked_as_question", "asked_once", "fills_its_frame", "numbered", "on_the_day_said",
           "only_priced", "profile_given", "said_before", "set_once_said"]

GIVEN = "profile."  # a task asking for a profile field (``missing``), or a field given for it only (a slot)
_CITY = f"{GIVEN}city"  # asked last: a saved place's address names it (asked_once)
_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a "when" slot's day the request said (matched at its start)

Reading = Callable[[str, dt.datetime], tuple[When | None, str]]  # a text's date/time read from a moment on


def on_the_day_said(earlier: Any, text: str, now: dt.datetime, lang: str, read: Reading) -> tuple[When, str] | None:
    """The time an answer in ``lang`` says (``read``: the date/time in ``text`` and the rest of it) on the day the
    request said before, when the task holds that day (``earlier``: "2026-12-11", from "add a haircut on Friday"; or
    with a clock the answer replaces, "2026-12-11T23:00" asked "When? Showings of Dune: 20:00") and the answer says a
    clock but no day of its own ("3 pm", "15 Uhr", "下午三点" to "When is it?": Friday at 15:00; "at 2" 14:00, read
    with the day as "on Friday at 2" is); None otherwise (the answer's own day counts: "tomorrow at 3")."""
    if not isinstance(earlier, str) or not _DAY_ONLY.match(earlier) or _says_a_day(text, now, lang, read):
        return None
    earlier = earlier[:10]
    when, rest = read(f"{earlier} {text}", now)  # the day in digits, as a date said before the clock
    return (when, rest) if when is not None and when.time is not None and when.date == earlier else None


def _says_a_day(text: str, now: dt.datetime, lang: str, read: Reading) -> bool:
    """Does ``text`` say a day ("tomorrow at 3", "am Freitag um 15 Uhr", "今天下午三点"): read with its clock cut out,
    is a day left?"""
    lowered = text.casefold()
    clock, _ = clock_said(lowered, lang)
    if clock is not None:
        lowered = f"{lowered[:clock.start()]} {lowered[clock.end():]}"
    left, _ = read(lowered, now)
    return left is not None and left.time is None


def set_once_said(tasks: list[Task], intents: dict[str, IntentSpec]) -> list[str]:
    """What to say of ``tasks`` done once though their request said they come back in a way no rule was read of
    ("remind me every 2 hours": ``every.repeat_unread``) where their capability takes a rule (``<when>_repeat``):
    "Set once only: …" in the task's language, never a one-off set silently (review-lead32 L-2)."""
    lines = []
    for task in tasks:
        spec = intents.get(task.intent)
        repeat = f"{spec.when_slot}_repeat" if spec is not None and spec.when_slot else ""
        if task.state == TaskState.DONE and spec is not None and repeat in spec.slots and not task.slots.get(repeat) \
                and (words := repeat_unread(task.text, task.language)):
            lines.append(set_once(words, task.language))
    return lines


def only_priced(journal: Journal, tasks: list[Task]) -> tuple[list[Task], str]:
    """``tasks`` of a turn that asks what its request costs ("how much would two tickets for Dune tonight at 8 cost?"),
    and their lines: each card's facts said (its price with them), the card taken back and its task cancelled, so no
    later yes or "ok thanks" buys it (review31 R31-17); the other tasks as their lines say them."""
    kept, lines = [], []
    for task in tasks:
        if task.state == TaskState.AWAITING_CONFIRMATION and task.confirmation_id:
            lines.append(facts(task))
            task = journal.save(replace(withdraw(journal, task.confirmation_id) or task, state=TaskState.CANCELLED))
        else:
            lines.append(describe(task))
        kept.append(task)
    return kept, "\n".join(lines)


def profile_given(profile: Profile, key: str, text: str) -> Profile:
    """``profile`` with a detail the user gave when asked: a saved place's answer must be a street address, kept with
    the city it names ("Friedrichstraße 88, 10117 Berlin": no question for the city after it)."""
    if not key.startswith("places."):
        return set_field(profile, key, text)
    if not is_address(text):
        raise InvalidRequest(f"“{one_line(text)[:60]}” is no street address", param="value")
    return set_field(profile, key, text, city_of(text))


def numbered(text: str, choices: Any) -> str | None:
    """The item an answer names by its number or place in a "which one?" question ("2", "zwei", "第二个", "the
    second one", "die zweite"); None otherwise. The place first: "the second one" also holds the count "one"."""
    if not isinstance(choices, list):
        return None
    number = parse_ordinal(text) or parse_count(text.strip().removeprefix("第"))
    return str(choices[number - 1]) if number is not None and 1 <= number <= len(choices) else None


def asked_as_question(text: str) -> bool:
    """Is ``text`` asked as a question (it ends with a question mark, in any script)?"""
    return text.rstrip().endswith(("?", "？", "¿"))


def said_before(lead: str, line: str, lang: str) -> str:
    """``line`` after ``lead`` ("Still open:"), a space between them where ``lang`` puts spaces between words
    (writing.toml: "还有个问题：[t-…]")."""
    return f"{lead} {line}" if writing(lang).spaced else f"{lead}{line}"


def asked_once(tasks: list[Task], one_at_a_time: bool = True) -> list[Task]:
    """``tasks`` as their lines show them: of several asking for the same detail of the user's (their name), the first
    only; an answer gives it to every one of them (``_answer_profile``). The user's city is asked after the other
    details a turn's tasks ask for: the address of a saved place they lead to names it ("Friedrichstraße 100, 10117
    Berlin"; the flagship's cinema asked "In welcher Stadt bist du?" beside the phone and the office's address of a
    new user's food order), and it is asked when that named none. Questions about different details are asked one at a
    time: the first task's, then, once it is answered, the next (an answer goes to the question shown first: two shown,
    "where should the phone case go?" and "what is your home address?", the user's home address went to the case);
    ``one_at_a_time=False`` shows each (a question still open from before, asked again after a new request's lines)."""
    fields = [task.missing if task.state == TaskState.NEEDS_INFO and (task.missing or "").startswith(GIVEN) else None
              for task in tasks]
    placed = any(field != _CITY for field in fields if field)
    asked: set[str] = set()
    shown: list[Task] = []
    for task, field in zip(tasks, fields, strict=True):
        other = one_at_a_time and task.state == TaskState.NEEDS_INFO and any(
            t.state == TaskState.NEEDS_INFO and (t.missing, t.question) != (task.missing, task.question) for t in shown)
        if not other and (field is None or (field not in asked and not (placed and field == _CITY))):
            shown.append(task)
        asked.add(field or "")
    return shown


def fills_its_frame(understanding: Understanding, intents: dict[str, IntentSpec]) -> bool:
    """Does a request the tiers read say everything its capability needs, each required parameter with a value of its
    own ("Termin beim Zahnarzt morgen um 10 eintragen", "have a kettle sent to my home")? Then it is a new request even
    when said to a question for free words. One that names less is as likely the to-do itself: "go through my notes"
    or "看一下日程" name nothing (review R15-3), "buy milk" and "买菜" a thing but not where it goes (review R17-13)."""
    def filled(intent: Any) -> bool:
        values = {k for k, v in intent.slots.items() if v not in (None, "")}
        return bool(values) and set(intents[intent.name].required) <= values
    return any(filled(intent) for intent in understanding.intents if intent.name in intents)
