"""Data minimisation: a partner receives only the kinds of personal data its manifest declares.

A manifest lists, per tool, the personal data the call hands over (``personal_data = ["name",
"payment_token"]``). Skills fill arguments from the profile whatever a partner declares, so
``MinimisingToolset`` wraps the toolset the assistant acts through and checks every call on its way out:

- an argument is personal data of a kind when its key says so unambiguously (``phone``, ``email``,
  ``holder_name``, ``payment_token``, ``delivery_address``...) or when its value holds one of the user's
  own profile values (name, phone, payment token, a saved place) under any key;
- an undeclared kind in an argument the tool's schema does not require is removed, and the result says
  so (``withheld``); in a required argument the call is refused, not sent, and the task fails with a
  sentence naming the partner and the data it does not declare.

Free text (a reminder's words) is not searched for names it might mention: the check knows the user's
own values and the argument names, nothing else (the egress detector guards what goes to a cloud model).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from tandem.agent.profile import Profile
from tandem.agent.toolset import ANSWERS, ToolResult, Toolset, WrapperToolset
from tandem.privacy.patterns import PatternDetector, default_rules

__all__ = ["MinimisingToolset", "answer_kinds", "declares", "free_text", "not_declared", "personal_kinds"]

log = logging.getLogger("tandem.agent")

# Argument names that say what they hold, whatever the value.
_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phone", re.compile(r"(^|_)(phone|telephone|mobile|tel|msisdn)(_|$)", re.I)),
    ("email", re.compile(r"(^|_)e?_?mail(_address)?(_|$)", re.I)),
    ("payment_token", re.compile(r"(^|_)(payment(_token|_method)?|card(_number)?|iban)(_|$)", re.I)),
    ("name", re.compile(r"(^|_)(holder(_name)?|customer_name|recipient(_name)?|full_name|first_name|last_name|"
                        r"surname|contact_name|passenger_name)(_|$)", re.I)),
    ("address", re.compile(r"(^|_)(address|street|postcode|postal_code|zip)(_|$)", re.I)),
)
# A place is a location: a tool that may know where the user goes may get the address of it.
_SAME = {"address": {"address", "location"}, "location": {"address", "location"}}
# A note or calendar entry is the user's own text: it may mention them (a phone number, an address); only its
# argument names are checked, and its values for a payment token, which no one writes into a note but a manifest's
# template could put under any key (walk2 W2-5).
_FREE_TEXT = {"notes", "calendar"}
_NEVER_OWN_WORDS = {"payment_token"}


def _profile_values(profile: Profile) -> list[tuple[str, str]]:
    values = [("name", profile.name), ("phone", profile.phone), ("payment_token", profile.payment_token)]
    values += [("address", p.address) for p in profile.places.values()]
    # Two Han characters are a whole name (李明); two Latin letters are too short to tell.
    return [(kind, v.strip()) for kind, v in values if len(v.strip()) >= 3 or _han(v.strip())]


def _han(value: str) -> bool:
    return len(value) == 2 and all(ord(c) >= 0x3400 for c in value)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _holds(text: str, kind: str, value: str) -> bool:
    if value.lower() in text.lower():
        return True
    # A phone number written another way ("030 1234567" for "+49 30 1234567") is the same number.
    return kind == "phone" and len(_digits(value)) >= 6 and _digits(value)[-7:] in _digits(text)


def personal_kinds(key: str, value: Any, profile: Profile, *, by_value: bool = True) -> set[str]:
    """The kinds of personal data an argument carries: by its key, and where it holds the user's own values
    (without ``by_value``, the user's own words: only where it holds their payment token)."""
    texts = _strings(value)
    kinds = {kind for kind, pattern in _KEYS if pattern.search(key)} if texts else set()
    for kind, own in _profile_values(profile):
        if (by_value or kind in _NEVER_OWN_WORDS) and any(_holds(t, kind, own) for t in texts):
            kinds.add(kind)
    return kinds


# What the privacy patterns find in an answer, as the kinds a manifest declares.
_FOUND_AS = {"EMAIL": "email", "PHONE": "phone", "IBAN": "payment_token", "CREDIT_CARD": "payment_token",
             "ADDRESS": "address"}


@cache
def _patterns() -> PatternDetector:
    return PatternDetector([r for r in default_rules() if r.category in _FOUND_AS])


def answer_kinds(value: Any) -> set[str]:
    """The kinds of personal data an answer the user typed for a partner's question holds, whatever the partner
    named the field (an e-mail address, a phone number, an IBAN or card number, an address)."""
    return {_FOUND_AS[f.category] for text in _strings(value) for f in _patterns().detect(text, "en")}


def free_text(declared: tuple[str, ...]) -> bool:
    """Whether a tool that declares ``declared`` takes the user's own text (a note, a calendar entry), whose values
    are not searched for theirs but for a payment token."""
    return bool(_FREE_TEXT & set(declared))


def declares(kind: str, declared: tuple[str, ...]) -> bool:
    """Whether a tool that declares ``declared`` may receive personal data of ``kind``."""
    return any(d in _SAME.get(kind, {kind}) for d in declared)


def not_declared(partner: str, kinds: list[str]) -> str:
    """Why a call is not sent: the partner would need data of ``kinds`` its manifest does not declare."""
    return f"not sent: {partner} would need your {_listing(kinds)}, which its manifest does not declare as data it " \
           f"receives"


class MinimisingToolset(WrapperToolset):
    """Wraps a ``Toolset``; see the module docstring. ``profile`` is read on every call (an edit counts at
    once)."""

    def __init__(self, inner: Toolset, profile: Callable[[], Profile]) -> None:
        super().__init__(inner)
        self.profile = profile

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        spec = await self.spec(name)
        if spec is None:  # unknown here: the inner toolset gives its own error
            return await self.inner.call(name, arguments, idempotency_key)
        required = set(spec.parameters.get("required", ()))
        profile = self.profile()
        by_value = not free_text(spec.personal_data)
        given = arguments.get(ANSWERS)
        answered: dict[str, Any] = given if isinstance(given, dict) else {}
        checked = {**{k: v for k, v in arguments.items() if k != ANSWERS}, **answered}  # an answer: by its field
        undeclared = {key: sorted(k for k in personal_kinds(key, value, profile, by_value=by_value)
                                  | (answer_kinds(value) if key in answered else set())
                                  if not declares(k, spec.personal_data)) for key, value in checked.items()}
        undeclared = {key: kinds for key, kinds in undeclared.items() if kinds}
        if not undeclared:
            return await self.inner.call(name, arguments, idempotency_key)
        kinds = sorted({k for ks in undeclared.values() for k in ks})
        partner = spec.partner or spec.service_id
        if (required | set(answered)) & set(undeclared):  # what the partner asked for is needed as much
            log.warning("minimise: refused %s: %s not declared by %s", name, ",".join(kinds), spec.service_id)
            return ToolResult(False, {"refused": True, "withheld": kinds}, not_declared(partner, kinds))
        log.info("minimise: %s sent without %s (not declared by %s)", name, ",".join(kinds), spec.service_id)
        result = await self.inner.call(name, {k: v for k, v in arguments.items() if k not in undeclared},
                                       idempotency_key)
        note = f"your {_listing(kinds)} was not sent: {partner} does not declare it"
        if isinstance(result.data, dict):
            return ToolResult(result.ok, {**result.data, "withheld": kinds, "withheld_note": note}, result.text)
        return ToolResult(result.ok, result.data, f"{result.text}\n({note})")


def _listing(kinds: list[str]) -> str:
    words = [k.replace("_", " ") for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
