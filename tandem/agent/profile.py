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

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tandem.errors import ConfigError
from tandem.privacy.erase import register_user_data

__all__ = ["Place", "Profile", "load_profile"]

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
        """A saved place by key, or a typed address in the default city."""
        if key in self.places:
            return self.places[key]
        if key in ("home", "office"):
            return None
        return Place(address=key, city=self.city) if key else None


def load_profile(home: Path) -> Profile:
    """The profile under ``home``; an empty one when the file does not exist."""
    path = home / "profile.toml"
    if not path.exists():
        return Profile()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        places = {k: Place(address=str(v["address"]), city=str(v.get("city") or doc.get("city", "")))
                  for k, v in doc.get("places", {}).items()}
    except (tomllib.TOMLDecodeError, KeyError, AttributeError) as exc:
        raise ConfigError(f"{path} is not a valid profile: {exc}", hint="see tandem/agent/profile.py") from exc
    return Profile(name=str(doc.get("name", "")), phone=str(doc.get("phone", "")),
                   payment_token=str(doc.get("payment_token", "")), city=str(doc.get("city", "")), places=places)
