"""What a caller may not read is named in what it is told, not shown.

A task acts for the user with what Tandem keeps about them: the profile (name, phone, payment token, saved
addresses) fills an order, and remembered habits fill what a request leaves open (the usual cinema, the usual
time). Whoever asked need not be allowed to read those: on the HTTP server a local process without a
credential holds only ``assistant``, and a key may lack ``admin`` (which reads the profile) or ``privacy``
(which reads memory). So what such a caller is given back names each value the assistant filled in instead of
showing it ("Order 1 × Margherita ... to your saved office address?"). The task still uses the values; the
user sees them where they hold the credential (the web app opened with its link, the CLI).

    reply = withhold(assistant, reply, reveal=frozenset({PROFILE}))   # a caller that may read the profile only

**By provenance.** Only what the assistant filled in is named: a task records which of the user's details it
filled and at which key of its call (``Task.filled``: "profile.name@arguments.name",
"place.office@summary.address", "memory.cinema@summary.cinema"; what the capability declares), and those values
are named at those keys and in the partner's answer or error (free text, by value). What the caller said stays
as written wherever it appears (its request, its turns, the task's slots, every other key of the call, a
question repeating its words): naming a value there would confirm a guess ("Are you Alex?" answered with
"Are you your name?"; an order "nach Alex Muster" whose address read "your name" because the order also
filled the name in). A reply's text is rebuilt from its tasks as shown; an earlier assistant turn is read
back as it was named when it was said (``Journal.name_turn``), in the conversation's language.

**Matching fails closed.** Inside what the assistant or a partner wrote, a value is found however it is
written: any case, fullwidth or accented letters (NFKC, case-folded, accents dropped: "ß" is "ss"), any
spacing or line breaks between its words, percent-encoded, with street words abbreviated
(``withheld.toml``: "Str." for "Straße"), a phone number with any separators, at home or from abroad. A name
part of three letters or more counts on its own. Ids in a partner's answer are not exempt.

Raised errors are not withheld: they are built from the request (an id it sent, a field it got wrong) and the
service's own words, never from a profile value, and naming a value in an echoed id would confirm a guess.
The names are data: ``withheld.toml``. The profile's city is not withheld: the cinemas and restaurants an
answer lists say it anyway.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from tandem.agent.assistant import Assistant, Reply, describe
from tandem.agent.profile import Profile
from tandem.agent.tasks import Task, TaskState

__all__ = ["EVERYTHING", "MEMORY", "PROFILE", "Said", "Withheld", "told_turns", "withheld", "withhold"]

PROFILE, MEMORY = "profile", "memory"
EVERYTHING = frozenset({PROFILE, MEMORY})
# The rights an assistant turn is kept named for (Journal.name_turn): every set but everything.
_NAMED_FOR: tuple[frozenset[str], ...] = (frozenset(), frozenset({PROFILE}), frozenset({MEMORY}))
T = TypeVar("T")

_NAMES = Path(__file__).with_name("withheld.toml")
# A value is matched whole: a letter or digit at its edge may not touch another (a name inside a word), a digit
# not another digit ("20:00" is the time in "2026-03-14T20:00" but not in "120:00"). Text is folded first.
_TOUCHING = {"letter": "a-z0-9", "digit": "0-9"}
_PHONE_SEPARATORS = r"[\s()./-]*"
_WORD_SEPARATORS = r"[\s,.+/-]*"  # between an address's words: lines, commas, an encoded space
# encoded runs a partner may echo a value in: percent-encoding (a link), HTML entities, JSON's \\u escapes
_ENCODED = re.compile(r"(?:%[0-9A-Fa-f]{2})+|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
                      r"|\\u[0-9A-Fa-f]{4}")


@cache
def _labels() -> dict[str, Any]:
    return tomllib.loads(_NAMES.read_text(encoding="utf-8"))


def _key(reveal: frozenset[str]) -> str:
    return ",".join(sorted(reveal))


# folding -------------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """``text`` as values are compared: NFKC (fullwidth letters), case-folded ("ß" is "ss"), accents and
    invisible format characters (a soft hyphen, a zero-width space) dropped, every script's digits as 0-9."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(str(unicodedata.decimal(c, "")) or c for c in decomposed
                   if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")


def _decode(run: str) -> str:
    if run.startswith("%"):
        return bytes.fromhex(run.replace("%", "")).decode("utf-8", errors="replace")
    if run.startswith("\\u"):
        return chr(int(run[2:], 16))
    return html.unescape(run)


def _decoded(text: str) -> list[tuple[str, tuple[int, int]]]:
    """``text`` as characters, each with the span of ``text`` it came from: encoded runs decoded (a partner
    may echo a value inside a link, in HTML or in JSON it wrote as text)."""
    chars: list[tuple[str, tuple[int, int]]] = []
    at = 0
    for found in _ENCODED.finditer(text):
        chars += [(c, (i, i + 1)) for i, c in enumerate(text[at:found.start()], at)]
        chars += [(c, found.span()) for c in _decode(found.group())]
        at = found.end()
    return chars + [(c, (i, i + 1)) for i, c in enumerate(text[at:], at)]


def _views(text: str) -> Iterable[tuple[str, list[tuple[int, int]]]]:
    """Folded forms of ``text`` to search, each with the span of ``text`` every character came from."""
    plain = [(c, (i, i + 1)) for i, c in enumerate(text)]
    for chars in (plain, _decoded(text)) if _ENCODED.search(text) else (plain,):
        folded, spans = [], []
        for char, span in chars:
            for c in _fold(char):
                folded.append(c)
                spans.append(span)
        yield "".join(folded), spans


def _edge(char: str) -> str | None:
    """What may not touch ``char`` at a value's edge; None for anything else (a Chinese name has no spaces
    around it, punctuation ends a word)."""
    if char.isascii() and char.isdigit():
        return _TOUCHING["digit"]
    return _TOUCHING["letter"] if char.isascii() and char.isalpha() else None


def _whole(pattern: str, value: str) -> str:
    """``pattern`` (which matches the folded ``value``) matched only as a whole word or number."""
    first, last = _edge(value[0]), _edge(value[-1])
    return (f"(?<![{first}])" if first else "") + pattern + (f"(?![{last}])" if last else "")


# values --------------------------------------------------------------------------------------------------
class Said(str):
    """Text the caller wrote itself (its request, its turns of a conversation): shown as it was written. Naming
    a value in it would tell the caller which of its own words is the value: "Are you Bob, Carl, Alex, Dana?"
    read back as "Are you Bob, Carl, your name, Dana?" gave the owner's name away in one request."""

    __slots__ = ()


@dataclass(frozen=True)
class _Value:
    pattern: re.Pattern[str]  # over folded text
    names: dict[str, str]  # language -> what names it
    length: int  # of the value: longer values are replaced first (a full name before its parts)
    source: str  # where it is kept: "profile.name", "place.office", "memory.cinema" (Task.filled)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


def _word(word: str) -> str:
    """A folded word as a pattern, with the short forms of a street word it ends with ("str." for "strasse"),
    which may also stand apart ("Friedrich-Straße", "Friedrich Str."); a number may follow a number mark
    ("Nr. 100")."""
    for long, shorts in _abbreviations().items():
        if word.endswith(long):
            forms = [re.escape(long), *(re.escape(s).replace(r"\.", r"\.?") for s in shorts)]  # "str" or "str."
            head = word[: -len(long)]
            return (re.escape(head) + r"[\s-]?" if head else "") + "(?:" + "|".join(forms) + ")"
    if word[:1].isdigit():
        marks = "|".join(re.escape(m).replace(r"\.", r"\.?") for m in _number_marks())
        return rf"(?:(?:{marks}){_WORD_SEPARATORS})?" + re.escape(word)
    return re.escape(word)


@cache
def _number_marks() -> tuple[str, ...]:
    """How a house number may be introduced, in every language ("Nr. 100", "No. 100")."""
    return tuple(sorted({_fold(m) for marks in _labels()["number_marks"].values() for m in marks}, key=len,
                        reverse=True))


@cache
def _abbreviations() -> dict[str, tuple[str, ...]]:
    """Street words and how they are shortened, in every language (a partner writes what it writes)."""
    found: dict[str, tuple[str, ...]] = {}
    for words in _labels()["abbreviations"].values():
        for long, shorts in words.items():
            found[_fold(long)] = (*found.get(_fold(long), ()), *(_fold(s) for s in shorts))
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))  # "strasse" before "asse"


def _literal(value: str, names: dict[str, str], source: str) -> _Value:
    """``value`` however it is spaced, spelled or abbreviated."""
    folded = _fold(value)
    pattern = _WORD_SEPARATORS.join(_word(word) for word in folded.split())
    return _Value(re.compile(_whole(pattern, folded)), names, len(value), source)


def _phone(value: str, names: dict[str, str]) -> _Value:
    """The number with any separators, and for an international one also as dialled at home or from abroad
    ("+49 30 1234567" is "030 1234567" and "0049 30 1234567"; the country code is one to three digits)."""
    digits = "".join(c for c in _fold(value) if c.isdigit())
    if not value.lstrip().startswith("+"):
        forms = [digits]
    else:  # with the country code after "+", "00" or nothing, or without it after a trunk "0"
        forms = [rf"(?:\+|00)?{_PHONE_SEPARATORS.join(digits[:n])}{_PHONE_SEPARATORS}" + f"0?{digits[n:]}"
                 for n in (1, 2, 3)] + [f"0{digits[n:]}" for n in (1, 2, 3)]
    spaced = [re.sub(r"(?<=\d)(?=\d)", lambda _: _PHONE_SEPARATORS, form) for form in forms]  # any separators
    return _Value(re.compile(_whole("(?:" + "|".join(spaced) + ")", digits)), names, len(value), "profile.phone")


def _profile_values(profile: Profile) -> Iterable[_Value]:
    labels = _labels()["profile"]
    if profile.name.strip():
        name = profile.name.strip()
        yield _literal(name, labels["name"], "profile.name")
        yield from (_literal(part, labels["name"], "profile.name")
                    for part in name.split() if len(part) >= 3 and part != name)
    if sum(c.isdigit() for c in profile.phone) >= 5:
        yield _phone(profile.phone, labels["phone"])
    if profile.payment_token.strip():
        yield _literal(profile.payment_token.strip(), labels["payment_token"], "profile.payment_token")
    places = labels["places"]
    for place_key, place in profile.places.items():
        if place.address.strip():
            names = places.get(place_key) or \
                {lang: text.format(place=place_key) for lang, text in places["other"].items()}
            yield _literal(place.address.strip(), names, f"place.{place_key}")


def _habit_values(assistant: Assistant) -> Iterable[_Value]:
    habit = getattr(assistant, "habit", None)  # a RememberingAssistant; a plain one remembers nothing
    if habit is None:
        return
    for memory_key, names in _labels()["memory"].items():
        found = habit(memory_key)
        if found is not None and found.value.strip():
            yield _literal(found.value.strip(), names, f"memory.{memory_key}")


# withholding ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Withheld:
    """The values one caller may not see, and what names each of them."""

    values: tuple[_Value, ...]  # longest first
    stored: bool = True  # may read what the user stored with a partner (a task filled "stored")

    def of(self, sources: tuple[str, ...] | None) -> Withheld:
        """Only the values kept at ``sources`` (a task's provenance; None: not known, every value)."""
        return self if sources is None else Withheld(tuple(v for v in self.values if v.source in sources), self.stored)

    def revealing(self, reveal: frozenset[str]) -> Withheld:
        """What of these a caller that may read ``reveal`` is not shown."""
        return Withheld(tuple(v for v in self.values if _kind(v.source) not in reveal), stored=MEMORY in reveal)

    def text(self, text: str, language: str = "en") -> str:
        """``text`` (written by the assistant or a partner) with every value found in it named; what the caller
        wrote (``Said``) as it is."""
        if isinstance(text, Said) or not text or not self.values:
            return text
        spans: list[tuple[int, int, str]] = []
        views = list(_views(text))  # folded once, searched for every value
        for value in self.values:
            for folded, origin in views:
                for found in value.pattern.finditer(folded):
                    if found.end() > found.start():
                        spans.append((origin[found.start()][0], origin[found.end() - 1][1], value.name(language)))
        return _named(text, spans)

    def data(self, data: Any, language: str = "en") -> Any:
        """JSON-like ``data`` with every string withheld; a mapping with a ``language`` says its own."""
        if isinstance(data, str):
            return self.text(data, language)
        if isinstance(data, dict):
            language = data["language"] if isinstance(data.get("language"), str) else language
            return {k: self.data(v, language) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return type(data)(self.data(v, language) for v in data)
        return data

    def task(self, task: Task) -> Task:
        """The task with what it filled in named where the assistant or its partner wrote it: in the call only at
        the keys it was filled in at, in the partner's answer or error wherever it is found; the caller's words
        (its text, the slots, a question repeating them, every other key of the call) as written."""
        lang, filled = task.language, task.filled
        sources = None if filled is None else tuple(dict.fromkeys(e.partition("@")[0] for e in filled))
        call = task.call and replace(task.call, arguments=self._call(task.call.arguments, "arguments", filled, lang),
                                     summary=self._call(task.call.summary, "summary", filled, lang))
        if not self.stored and "stored" in (filled or ()):
            # what the user stored is not this caller's to read: not the answer, nor a call or question made from
            # it (a step that looked a stored reminder up), in whatever state the task is
            refused = _labels()["refused"]["stored"]
            return replace(task, text=Said(task.text), call=None, question=None, state=TaskState.FAILED,
                           result=None, error=refused.get(lang) or refused["en"])
        answered = self.of(sources)
        return replace(task, text=Said(task.text), call=call, result=answered.data(task.result, lang),
                       error=task.error and answered.text(task.error, lang))

    def _call(self, data: dict[str, Any], part: str, filled: tuple[str, ...] | None, language: str) -> dict[str, Any]:
        """A call's ``part`` ("arguments", "summary") with each key's value named for what was filled in at that key
        ("profile.name@arguments.holder_name"); a source without a key (a task from before provenance by key, a
        skill that does not say where it writes) at every key, and every value when provenance is not known."""
        language = data["language"] if isinstance(data.get("language"), str) else language
        if filled is None:
            return {key: self.data(value, language) for key, value in data.items()}
        anywhere = tuple(e for e in filled if "@" not in e)
        at: dict[str, tuple[str, ...]] = {}
        for entry in filled:
            source, _, key = entry.partition("@")
            if key.startswith(part + "."):
                at[key.removeprefix(part + ".")] = (*at.get(key.removeprefix(part + "."), ()), source)
        return {key: self.of((*anywhere, *at.get(key, ()))).data(value, language)
                if anywhere or key in at else value for key, value in data.items()}

    def told(self, text: str, tasks: Iterable[Task], language: str) -> str:
        """An assistant turn: each task's line (``describe``) as the task is shown, the assistant's own phrases
        around them with every value named (they hold none of the caller's words)."""
        pieces, rest = [], text
        for task in tasks:
            line = describe(task)
            at = rest.find(line) if line else -1
            if at >= 0:
                pieces += [self.text(rest[:at], language), describe(self.task(task))]
                rest = rest[at + len(line):]
        return "".join(pieces) + self.text(rest, language)

    def reply(self, reply: Reply, language: str) -> Reply:
        return replace(reply, tasks=tuple(self.task(t) for t in reply.tasks),
                       text=self.told(reply.text, reply.tasks, language))

    def shown(self, value: T, language: str = "en") -> T:
        """``value`` (a Reply, a Task, a list of tasks, or JSON-like data) as this caller may see it."""
        found: Any
        if isinstance(value, Reply):
            found = self.reply(value, language)
        elif isinstance(value, Task):
            found = self.task(value)
        elif isinstance(value, list | tuple) and value and all(isinstance(v, Task) for v in value):
            found = type(value)(self.task(v) for v in value)
        else:
            found = self.data(value, language)
        return found


def _named(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each span replaced by its name; overlapping spans merge under the first (longest) value's
    name, and a name said twice in a row ("Kino X (your usual cinema)") is said once."""
    merged: list[list[Any]] = []
    for start, end, name in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, name])
    out, at = [], 0
    for start, end, name in merged:
        out += [text[at:start], name]
        at = end
    said = "".join(out) + text[at:]
    for _, _, name in merged:
        said = said.replace(f"{name} ({name})", name)
    return said


def withheld(assistant: Assistant, reveal: frozenset[str]) -> Withheld:
    """What a caller that may read ``reveal`` (``PROFILE``, ``MEMORY``) is not shown, read now (a profile
    edited a moment ago counts)."""
    values = [*(_profile_values(assistant.profiles.load()) if PROFILE not in reveal else ()),
              *(_habit_values(assistant) if MEMORY not in reveal else ())]
    return Withheld(tuple(sorted(values, key=lambda v: -v.length)), stored=MEMORY in reveal)


def _language(assistant: Assistant, reply: Reply) -> str:
    """The language of a reply: of what it understood, of its tasks, else of its conversation."""
    if reply.understanding is not None:
        return reply.understanding.language
    return next((t.language for t in reply.tasks), None) or assistant.journal.language(reply.conversation_id)


def _kind(source: str) -> str:
    """What a value's source ("profile.name", "place.office", "memory.cinema") is part of: PROFILE or MEMORY."""
    return MEMORY if source.startswith("memory.") else PROFILE


def withhold(assistant: Assistant, value: T, reveal: frozenset[str] = EVERYTHING) -> T:
    """``value`` as a caller that may read ``reveal`` may see it (unchanged for one that may read everything).
    A reply's turn is journaled named for every set of rights, so the conversation reads back as it was told.
    The profile and the habits are read once for all of it."""
    if not isinstance(value, Reply):
        return value if reveal >= EVERYTHING else withheld(assistant, reveal).shown(value, "en")
    language = _language(assistant, value)
    hidden = withheld(assistant, frozenset() if value.turn else reveal)
    if value.turn:
        assistant.journal.name_turn(value.turn, {_key(r): hidden.revealing(r).told(value.text, value.tasks, language)
                                                 for r in _NAMED_FOR})
    return value if reveal >= EVERYTHING else hidden.revealing(reveal).shown(value, language)


def told_turns(assistant: Assistant, conversation_id: str, reveal: frozenset[str] = EVERYTHING) -> list[dict[str, Any]]:
    """A conversation's turns as a caller that may read ``reveal`` reads them back: its own as written, the
    assistant's as they were named when said; a turn said before turns were named has every value named (in
    the conversation's language)."""
    turns = assistant.journal.turns(conversation_id)
    if reveal >= EVERYTHING:
        return [{k: v for k, v in t.items() if k != "named"} for t in turns]
    hidden, language = withheld(assistant, reveal), assistant.journal.language(conversation_id)
    said = []
    for turn in turns:
        named = turn["named"] or {}
        text = Said(turn["text"]) if turn["role"] == "user" else \
            named.get(_key(reveal)) or hidden.text(turn["text"], language)
        said.append({"role": turn["role"], "text": text, "created_at": turn["created_at"]})
    return said
