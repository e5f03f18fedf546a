"""The user's privacy choices, in ``$TANDEM_HOME/privacy.toml``: consent, and how the router behaves.

    [consent]
    cloud = true            # the cloud may be used at all
    cross_border = false    # personal data may leave the user's safe area (with pseudonymisation)
    health = false          # health data may go to the cloud
    id = "consent-..."      # written by `tandem privacy consent`, cited in the ledger

    [router]
    endpoint = "default"    # which cloud endpoint tandem:auto uses (first configured if unset)
    threshold = 0.5         # difficulty at which auto prefers the cloud
    llm_ner = false         # also ask the on-device model for names/addresses before a cloud call
    monthly_budget = 0      # cloud spend per calendar month; 0 = no limit
    cooldown = 30           # seconds the cloud counts as down after a failure

The file is re-read on every request (it is tiny), so a consent change applies at once.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import uuid
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError
from tandem.privacy.policy import Consent

__all__ = ["PrivacySettings", "RouterSettings", "load_privacy", "save_consent"]


@dataclass(frozen=True)
class RouterSettings:
    """How ``tandem:auto`` routes."""

    endpoint: str = ""  # name of the cloud endpoint; "" = the first configured
    threshold: float = 0.5  # difficulty at and above which auto prefers the cloud
    # Also ask the on-device LLM for German/Chinese names and addresses before each cloud call. Off by
    # default: with the 0.5B model on 2 busy cores it added 15 s (median) per call in bench/router.py.
    llm_ner: bool = False
    monthly_budget: float = 0.0  # cloud spend allowed per calendar month (endpoint cost units); 0 = unlimited
    cooldown: float = 30.0  # seconds the cloud is skipped after it failed


@dataclass(frozen=True)
class PrivacySettings:
    consent: Consent = field(default_factory=Consent)
    router: RouterSettings = field(default_factory=RouterSettings)


def _path(home: Path) -> Path:
    return home / "privacy.toml"


def _build(kind: type, raw: dict[str, Any], where: str, rename: dict[str, str] | None = None) -> Any:
    rename = rename or {}
    names = {f.name: f for f in fields(kind)}
    values = {}
    for key, value in raw.items():
        name = rename.get(key, key)
        if name not in names:
            raise ConfigError(f"unknown key {key!r} in [{where}] of privacy.toml",
                              hint=f"known: {sorted(k for k in names if k not in rename.values())}")
        expected = type(getattr(kind(), name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if name != "consent_id" and not isinstance(value, expected):
            raise ConfigError(f"[{where}] {key} in privacy.toml must be a {expected.__name__}")
        values[name] = value
    return kind(**values)


def load_privacy(home: Path) -> PrivacySettings:
    path = _path(home)
    if not path.exists():
        return PrivacySettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    unknown = set(data) - {"consent", "router"}
    if unknown:
        raise ConfigError(f"unknown sections {sorted(unknown)} in {path}", hint="use [consent] and [router]")
    consent = _build(Consent, data.get("consent", {}), "consent", {"id": "consent_id"})
    return PrivacySettings(consent, _build(RouterSettings, data.get("router", {}), "router"))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def save_consent(home: Path, **changes: bool) -> PrivacySettings:
    """Record a consent change under a new consent id (the ledger cites it); keeps the router section."""
    current = load_privacy(home)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    consent = replace(current.consent, **changes, consent_id=f"consent-{stamp}-{uuid.uuid4().hex[:8]}")
    lines = ["[consent]"] + [f"{'id' if f.name == 'consent_id' else f.name} = {_toml_value(getattr(consent, f.name))}"
                             for f in fields(Consent)]
    lines += ["", "[router]"] + [f"{f.name} = {_toml_value(getattr(current.router, f.name))}"
                                 for f in fields(RouterSettings)]
    home.mkdir(parents=True, exist_ok=True)
    _path(home).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return PrivacySettings(consent, current.router)
