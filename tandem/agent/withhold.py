"""What a caller may not read is named in what it is told, not shown.

A task acts for the user with what Tandem keeps about them: the profile (name, phone, payment token, saved
addresses) fills an order, and remembered habits fill what a request leaves open (the usual cinema, the usual
time). Whoever asked need not be allowed to read those: on the HTTP server a local process without a
credential holds only ``assistant``, and a key may lack ``admin`` (which reads the profile) or ``privacy``
(which reads memory). So everything such a caller is given back -- the reply, a task's summary and slots, a
partner's answer, an error, a question, the spoken sentence, earlier turns -- names each value it may not see
instead of showing it ("Order 1 × Margherita ... to your saved office address?"). The task still uses the
values; the user sees them where they hold the credential (the web app opened with its link, the CLI).

    reply = withhold(assistant, reply, reveal=frozenset({PROFILE}))   # a caller that may read the profile only

Values are found by what they are, wherever they occur (a partner may echo the name in its order, a
question may repeat the address), matched whole: a name part of three letters or more counts on its own
("Alex" in "Hi Alex"), a phone number with any separators, letters and digits next to a value make it
another word. Ids (``id`` and ``*_id`` fields) are left as they are, and so is what the caller wrote itself
(``Said``: a task's text, its turns), which would otherwise confirm its guesses. The names are data:
``withheld.toml``. The profile's city is not withheld: the cinemas and restaurants an answer lists say it
anyway.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from tandem.agent.assistant import Assistant, Reply
from tandem.agent.profile import Profile
from tandem.agent.tasks import PendingCall, Task

__all__ = ["EVERYTHING", "MEMORY", "PROFILE", "Said", "Withheld", "withheld", "withhold"]

PROFILE, MEMORY = "profile", "memory"
EVERYTHING = frozenset({PROFILE, MEMORY})
T = TypeVar("T")

_NAMES = Path(__file__).with_name("withheld.toml")
# A value is matched whole: a letter or digit at its edge may not touch another (a name inside a word), a digit
# not another digit ("20:00" is the time in "2026-03-14T20:00" but not in "120:00").
_TOUCHING = {"letter": "A-Za-z0-9", "digit": "0-9"}
_PHONE_SEPARATORS = r"[\s()./-]*"


@cache
def _labels() -> dict[str, Any]:
    return tomllib.loads(_NAMES.read_text(encoding="utf-8"))


def _edge(char: str) -> str | None:
    """What may not touch ``char`` at a value's edge; None for anything else (a Chinese name has no spaces
    around it, punctuation ends a word)."""
    if char.isascii() and char.isdigit():
        return _TOUCHING["digit"]
    return _TOUCHING["letter"] if char.isascii() and char.isalpha() else None


def _whole(pattern: str, value: str) -> str:
    """``pattern`` (which matches ``value``) matched only as a whole word or number."""
    first, last = _edge(value[0]), _edge(value[-1])
    return (f"(?<![{first}])" if first else "") + pattern + (f"(?![{last}])" if last else "")


class Said(str):
    """Text the caller wrote itself (its request, its turns of a conversation): shown as it was written. Naming
    a value in it would tell the caller which of its own words is the value: "Are you Bob, Carl, Alex, Dana?"
    read back as "Are you Bob, Carl, your name, Dana?" gave the owner's name away in one request."""

    __slots__ = ()


@dataclass(frozen=True)
class _Value:
    pattern: re.Pattern[str]
    names: dict[str, str]  # language -> what names it
    length: int  # of the value: longer values are replaced first (a full name before its parts)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


def _spelled(word: str) -> str:
    """``word`` as a pattern that also matches it in upper case, where "ß" is written "SS"."""
    return re.escape(word).replace("ß", "(?:ß|ss)")


def _literal(value: str, names: dict[str, str]) -> _Value:
    """``value`` however it is spaced: a partner may put an address's words on lines of their own."""
    pattern = r"[\s,]+".join(_spelled(word) for word in value.split())
    return _Value(re.compile(_whole(pattern, value), re.IGNORECASE), names, len(value))


def _phone(value: str, names: dict[str, str]) -> _Value:
    """The number with any separators, and for an international one also as dialled at home or from abroad
    ("+49 30 1234567" is "030 1234567" and "0049 30 1234567"; the country code is one to three digits)."""
    digits = "".join(c for c in value if c.isdigit())
    if not value.lstrip().startswith("+"):
        forms = [digits]
    else:
        forms = [rf"(?:\+|00){_PHONE_SEPARATORS.join(digits[:n])}{_PHONE_SEPARATORS}" + f"0?{digits[n:]}"
                 for n in (1, 2, 3)] + [f"0{digits[n:]}" for n in (1, 2, 3)]
    spaced = [re.sub(r"(?<=\d)(?=\d)", lambda _: _PHONE_SEPARATORS, form) for form in forms]  # any separators
    return _Value(re.compile(_whole("(?:" + "|".join(spaced) + ")", digits)), names, len(value))


def _profile_values(profile: Profile) -> Iterable[_Value]:
    labels = _labels()["profile"]
    if profile.name.strip():
        name = profile.name.strip()
        yield _literal(name, labels["name"])
        yield from (_literal(part, labels["name"]) for part in name.split() if len(part) >= 3 and part != name)
    if sum(c.isdigit() for c in profile.phone) >= 5:
        yield _phone(profile.phone, labels["phone"])
    if profile.payment_token.strip():
        yield _literal(profile.payment_token.strip(), labels["payment_token"])
    places = labels["places"]
    for key, place in profile.places.items():
        if place.address.strip():
            names = places.get(key) or {lang: text.format(place=key) for lang, text in places["other"].items()}
            yield _literal(place.address.strip(), names)


def _habit_values(assistant: Assistant) -> Iterable[_Value]:
    habit = getattr(assistant, "habit", None)  # a RememberingAssistant; a plain one remembers nothing
    if habit is None:
        return
    for key, names in _labels()["memory"].items():
        found = habit(key)
        if found is not None and found.value.strip():
            yield _literal(found.value.strip(), names)


@dataclass(frozen=True)
class Withheld:
    """The values one caller may not see, and what names each of them."""

    values: tuple[_Value, ...]  # longest first

    def text(self, text: str, language: str = "en") -> str:
        if isinstance(text, Said):
            return text
        for value in self.values:
            name = value.name(language)
            text = value.pattern.sub(name.replace("\\", "\\\\"), text)
            text = text.replace(f"{name} ({name})", name)  # "Kino X (your usual cinema)": said once
        return text

    def data(self, data: Any, language: str = "en") -> Any:
        """JSON-like ``data`` with every string but ids withheld; a mapping with a ``language`` says its own."""
        if isinstance(data, str):
            return self.text(data, language)
        if isinstance(data, dict):
            language = data["language"] if isinstance(data.get("language"), str) else language
            return {k: v if _is_id(k) else self.data(v, language) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return type(data)(self.data(v, language) for v in data)
        return data

    def task(self, task: Task) -> Task:
        lang = task.language
        call = task.call and PendingCall(task.call.tool, task.call.service_id, self.data(task.call.arguments, lang),
                                         task.call.transactional, self.data(task.call.summary, lang))
        return replace(task, slots=self.data(task.slots, lang), text=Said(task.text),  # the caller's own words
                       question=task.question and self.text(task.question, lang), call=call,
                       result=self.data(task.result, lang), error=task.error and self.text(task.error, lang))

    def reply(self, reply: Reply) -> Reply:
        language = reply.understanding.language if reply.understanding else \
            next((t.language for t in reply.tasks), "en")
        return replace(reply, tasks=tuple(self.task(t) for t in reply.tasks), text=self.text(reply.text, language))

    def shown(self, value: T) -> T:
        """``value`` (a Reply, a Task, JSON-like data or a list of them) as this caller may see it."""
        found: Any
        if isinstance(value, Reply):
            found = self.reply(value)
        elif isinstance(value, Task):
            found = self.task(value)
        elif isinstance(value, list | tuple) and value and all(isinstance(v, Task | Reply) for v in value):
            found = type(value)(self.shown(v) for v in value)
        else:
            found = self.data(value)
        return found


def _is_id(key: object) -> bool:
    return isinstance(key, str) and (key == "id" or key.endswith("_id"))


def withheld(assistant: Assistant, reveal: frozenset[str]) -> Withheld:
    """What a caller that may read ``reveal`` (``PROFILE``, ``MEMORY``) is not shown, read now (a profile
    edited a moment ago counts)."""
    values = [*(_profile_values(assistant.profiles.load()) if PROFILE not in reveal else ()),
              *(_habit_values(assistant) if MEMORY not in reveal else ())]
    return Withheld(tuple(sorted(values, key=lambda v: -v.length)))


def withhold(assistant: Assistant, value: T, reveal: frozenset[str] = EVERYTHING) -> T:
    """``value`` as a caller that may read ``reveal`` may see it (unchanged for one that may read everything)."""
    if reveal >= EVERYTHING:
        return value
    return withheld(assistant, reveal).shown(value)
