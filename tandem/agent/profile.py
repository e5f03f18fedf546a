"""The user's details an order needs (name, phone, payment token, saved places), from
``$TANDEM_HOME/profile.toml``. Kept on the device; a partner gets only the fields its tool declares as
personal data, and the confirmation summary shows them before anything is sent.

    name = "Alex Muster"
    phone = "+49 30 1234567"
    payment_token = "tok_visa_4242"
    city = "Berlin"                      # where "tonight at 8" cinema tickets are searched
    [places.office]
    address = "Friedrichstraße 100, 10117 Berlin"
    city = "Berlin"
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from tandem.errors import ConfigError, InvalidRequest
from tandem.privacy.erase import register_user_data
from tandem.privacy.patterns import PatternDetector, default_rules
from tandem.text import has_controls

__all__ = ["FIELDS", "FileProfile", "MemoryProfile", "Place", "Profile", "ProfileStore", "is_address", "load_profile",
           "save_profile", "set_field"]

FIELDS = ("name", "phone", "payment_token", "city")  # plus "places.<key>" for saved places
_PHONE = re.compile(r"^\+?[\d\s()./-]{5,24}$")

register_user_data("profile.toml")  # name, phone, places: erased with the rest (GDPR Art. 17)


@dataclass(frozen=True)
class Place:
    """A saved place."""

    address: str  # street address handed to a delivery partner
    city: str  # city name as partners know it ("Berlin", "Beijing", "北京")


@dataclass(frozen=True)
class Profile:
    """What the assistant may fill in for the user. Empty fields make a task ask for them."""

    name: str = ""
    phone: str = ""
    payment_token: str = ""  # an opaque token from the payment provider, never a card number
    city: str = ""  # the user's default city
    places: dict[str, Place] = field(default_factory=dict)  # "home", "office", ...

    def place(self, key: str) -> Place | None:
        """A saved place by key, or the words as a typed address in the default city (its city is empty when
        the profile has none: the caller asks for it). None when they are neither: no words a partner could
        deliver to ("Warenkorb", "essen bestellen", an unsaved "office"), so the task asks for the place."""
        if key in self.places:
            return self.places[key]
        return Place(address=key.strip(), city=self.city) if is_address(key) else None


def is_address(words: str) -> bool:
    """Whether ``words`` hold a street address: a street word and a house number in any language the privacy
    layer's address patterns read ("Kastanienallee 7", "221B Baker Street", "Unter den Linden 5", "建国路88号"),
    also when typed in lower case. A place name alone ("Alexanderplatz", "the zoo") or a postcode alone is none."""
    said = words.strip()
    detector, languages = _addresses()
    return any(found.category == "ADDRESS" for text in dict.fromkeys((said, said.title())) for language in languages
               for found in detector.detect(text, language))


@functools.cache
def _addresses() -> tuple[PatternDetector, tuple[str, ...]]:
    """The privacy layer's street-address patterns, and the languages they read."""
    rules = [rule for rule in default_rules() if rule.category == "ADDRESS"]
    return PatternDetector(rules), tuple(sorted(set().union(*(rule.languages for rule in rules))))


def load_profile(home: Path) -> Profile:
    """The profile under ``home``; an empty one when the file does not exist."""
    path = home / "profile.toml"
    if not path.exists():
        return Profile()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        places = {k: Place(address=str(v["address"]), city=str(v.get("city") or doc.get("city", "")))
                  for k, v in doc.get("places", {}).items()}
    except (tomllib.TOMLDecodeError, KeyError, AttributeError, TypeError) as exc:  # a place that is no table
        raise ConfigError(f"{path} is not a valid profile: {exc}", hint="see tandem/agent/profile.py") from exc
    return Profile(name=str(doc.get("name", "")), phone=str(doc.get("phone", "")),
                   payment_token=str(doc.get("payment_token", "")), city=str(doc.get("city", "")), places=places)


def set_field(profile: Profile, key: str, value: str, city: str = "") -> Profile:
    """``profile`` with one field set (an empty value clears it); ``places.<key>`` sets a saved place's
    address, in ``city`` or the profile's city."""
    value = value.strip()
    _one_line(key, value)
    if key.startswith("places.") and len(key) > len("places."):
        name, places = key.removeprefix("places."), dict(profile.places)
        _place_name(name)
        _one_line("city", city.strip())
        if value:
            places[name] = Place(address=value, city=city.strip() or profile.city)
        else:
            places.pop(name, None)
        return replace(profile, places=places)
    if key not in FIELDS:
        raise InvalidRequest(f"unknown profile field {key!r}: use one of {', '.join(FIELDS)} or places.<name>",
                             param="key")
    if key == "phone" and value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 5):
        raise InvalidRequest(f"{value!r} is not a phone number", param="value")
    fields = {"name": profile.name, "phone": profile.phone, "payment_token": profile.payment_token,
              "city": profile.city, key: value}
    return Profile(**fields, places=profile.places)


_MAX_VALUE = 200  # a name, a phone number, a city, a street address or a provider's token fits in it


_MAX_PLACE = 40  # "office", "Oma", "健身房": a place's name is a word or two, shown in questions and on cards


def _place_name(name: str) -> None:
    """A saved place's name is shown in every question and card that names it: one short line, like a value."""
    if len(name) > _MAX_PLACE or has_controls(name) or not name.strip():
        raise InvalidRequest(f"a place's name is one line of at most {_MAX_PLACE} characters", param="key")


def _one_line(key: str, value: str) -> None:
    """A profile value is one line of text: a newline or another control character (a city "Berlin\nname = …")
    would reach every partner an order goes to, and every later task would fail there; a right-to-left override
    would show them another text than the one stored."""
    if len(value) > _MAX_VALUE:
        raise InvalidRequest(f"{key} may have at most {_MAX_VALUE} characters", param="value")
    if has_controls(value):
        raise InvalidRequest(f"{key} must be one line of text, without control characters", param="value")


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def save_profile(home: Path, profile: Profile) -> Path:
    """Write the profile to ``home/profile.toml`` (owner-only, replaced atomically)."""
    lines = [f"{key} = {_toml(getattr(profile, key))}" for key in FIELDS if getattr(profile, key)]
    for name, place in sorted(profile.places.items()):
        lines += ["", f"[places.{_toml(name)}]", f"address = {_toml(place.address)}", f"city = {_toml(place.city)}"]
    path = home / "profile.toml"
    home.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path


class ProfileStore(Protocol):
    """Where the assistant reads the profile for every task, and keeps what the user tells it."""

    def load(self) -> Profile: ...

    def save(self, profile: Profile) -> None: ...


@dataclass
class FileProfile:
    """``home/profile.toml``, read anew each time: an edit in the web app or the CLI counts at once, even
    for a server that has been running for days."""

    home: Path

    def load(self) -> Profile:
        return load_profile(self.home)

    def save(self, profile: Profile) -> None:
        save_profile(self.home, profile)


@dataclass
class MemoryProfile:
    """A profile held in memory (tests, embedders that keep their own)."""

    profile: Profile = field(default_factory=Profile)

    def load(self) -> Profile:
        return self.profile

    def save(self, profile: Profile) -> None:
        self.profile = profile
