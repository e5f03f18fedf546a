"""JSON in a message (a tool's result, a pasted record): read and replaced in its values, its program's keys kept.

Read as raw text, JSON fooled the detectors both ways. Keys became placeholders ('{"ok": true}' went out as
'{"<PERSON_2>": true}', "order_id" as a person), and values escaped by the serialiser went out whole: a partner
that answers with Python's default ``json.dumps`` writes "张敏华" as "\\u5f20\\u654f\\u534e", which no detector
reads and every cloud model decodes. So a message that parses as a JSON object or array is read as the lines
"key: value" of its decoded values (the key stays beside its value as context: "name: Klaus"), and replaced
value by value. A key the way programs write them ("ok", "order_id", "deliveryAddress") is kept as it is;
any other key (capitals, spaces, digits first, non-ASCII: a name, a phone number, "张三"), and a key written the
programs' way that holds a first name ("anna", "klaus_meier": ``names.given_name_in``) is read and replaced like a
value (the latter as a name), as is a number (a phone or an ID sent as a JSON number). Privacy fails closed: only a
program's key is ever left out of the reading. And a program's key says what its value is: the value of a field
named for a kind of personal data ("last_name", "phone_prefix", "plz", "strasse", "邮箱"; ``word_sets.FIELD_KINDS``)
is that kind whatever it looks like, so a record split into fields ({"first_name": "Klaus", "last_name": "Meier"},
{"plz": "80331", "ort": "München"}) is replaced field by field, where no detector would read "Meier" or "80331"
alone as personal.

What is read is bounded (``MAX_VALUES`` values, ``MAX_DEPTH`` levels, ``MAX_CHARS`` characters of reading): a
partner's structured result reaches the privacy check whole (the hub cuts only its text), and a larger one is
refused with ``TooLarge``, a ``PolicyDenied``: nothing of it leaves the device, and no detector spends minutes on it.
``MAX_CHARS`` bounds all the text of a request the detectors have not read before, too (``pseudonymize.analyse``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from tandem.errors import PolicyDenied
from tandem.privacy.detect import Finding
from tandem.privacy.names import given_name_in
from tandem.privacy.word_sets import FIELD_KINDS

__all__ = ["MAX_CHARS", "MAX_DEPTH", "MAX_VALUES", "Reading", "TooLarge", "declared_kind", "parsed", "read",
           "replaced"]

MAX_VALUES = 50_000  # values (strings, numbers, empty records) in one JSON message or one call's arguments
MAX_DEPTH = 64  # levels of records and lists inside one another
# characters of its reading ("key: value" lines), and of all the text of one request not checked before
# (``pseudonymize.analyse``): the detectors read about 5,000 (Chinese) to 25,000 (English, a JSON table) characters
# a second on a 2-core box, so this is some 4 to 20 seconds a check; 1,000,000 (a request body's 4 MiB) was minutes
MAX_CHARS = 100_000


class TooLarge(PolicyDenied):
    """A JSON value too large or too deep for the privacy check: it is not read, so it is not sent."""

# A key as programs write them: lower-case first, then letters, digits and _ - . (snake, camel, kebab, dotted).
_PROGRAM_KEY = re.compile(r"[a-z][A-Za-z0-9_.\-]{0,63}")

# the text to detect in, the spans of the keys kept there (None: a plain text, no JSON), and the values of the
# fields whose keys name a kind of personal data
Reading = tuple[str, tuple[tuple[int, int], ...] | None, tuple[Finding, ...]]
_SEPARATORS = re.compile(r"[\W_]+")
_KEY_WORDS = re.compile(r"[a-zäöüß]+|[^\x00-\x7f]")


def parsed(text: str | None) -> dict[str, Any] | list[Any] | None:
    """The JSON object or array ``text`` holds, or None for any other text."""
    if not text or text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    except RecursionError as exc:  # nested deeper than the parser goes: far beyond MAX_DEPTH
        raise _too_large(f"more than {MAX_DEPTH} levels deep") from exc
    return value if isinstance(value, dict | list) else None


def _program_key(key: str) -> bool:
    return bool(_PROGRAM_KEY.fullmatch(key)) and not given_name_in(key)


def declared_kind(key: str) -> str | None:
    """The kind of personal data a field named ``key`` holds (``word_sets.FIELD_KINDS``), or None."""
    squashed = _SEPARATORS.sub("", key.lower())
    words = set(_KEY_WORDS.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).lower()))
    for category, parts, whole in FIELD_KINDS:
        if any(part in squashed for part in parts) or words & whole:
            return category
    return None


def read(value: Any) -> Reading:
    """``value`` as lines of "key: value" (the nearest key for items of a list), with the spans of the program
    keys in that text (findings there are no personal data: ``pseudonymize`` drops them) and the values of the
    fields whose key names a kind of personal data, as findings of that kind."""
    lines: list[str] = []
    kept: list[tuple[int, int]] = []
    declared: list[Finding] = []
    at = 0
    for count, (key, leaf) in enumerate(_leaves(value, ""), 1):
        if count > MAX_VALUES:
            raise _too_large(f"more than {MAX_VALUES:,} values")
        if key and _program_key(key):
            kept.append((at, at + len(key)))
            line = f"{key}: {leaf}" if leaf else key
        else:
            line = ": ".join(part for part in (key, leaf) if part)
            if _PROGRAM_KEY.fullmatch(key):  # written as a program's key, but a name: no detector reads it so
                declared.append(Finding(at, at + len(key), "PERSON", key, 0.8, "key"))
        # one character is too little to replace by value (a house number "7", a surname "张" inside other words)
        if key and len(leaf.strip()) >= 2 and (kind := declared_kind(key)):
            declared.append(Finding(at + len(line) - len(leaf), at + len(line), kind, leaf, 0.8, "declared"))
        lines.append(line)
        at += len(line) + 1
        if at > MAX_CHARS:
            raise _too_large(f"more than {MAX_CHARS:,} characters")
    return "\n".join(lines), tuple(kept), tuple(declared)


def _too_large(what: str) -> TooLarge:
    return TooLarge(f"a JSON record or tool result with {what} is too large for the privacy check; nothing of it is "
                    "sent to the cloud", hint="ask the partner or client for a smaller result")


def _leaves(value: Any, key: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > MAX_DEPTH and isinstance(value, dict | list):
        raise _too_large(f"more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        if not value:
            yield key, ""
        for k, v in value.items():
            if isinstance(v, dict | list) and not _program_key(str(k)):
                yield str(k), ""  # a record filed under a name ("Anna Weber": {...}): the name is data
            yield from _leaves(v, str(k), depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key, depth + 1)
    else:
        yield key, _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None or isinstance(value, bool) else str(value)


def replaced(value: Any, swap: Callable[[str], str]) -> Any:
    """``value`` with every string value, every number whose digits ``swap`` changes (then a string) and every
    key that is no program's key passed through ``swap``; program keys, booleans and null as they were."""
    if isinstance(value, str):
        return swap(value)
    if isinstance(value, dict):
        return {(k if _program_key(str(k)) else swap(str(k))): replaced(v, swap) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(item, swap) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        new = swap(text)
        return value if new == text else new
    return value
