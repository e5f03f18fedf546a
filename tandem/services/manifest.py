"""Service manifests: what Tandem must know about a partner before offering it to anyone.

The MCP protocol says what a server's tools look like; it does not say where the service is offered,
where user data goes, which personal data a tool needs, or which tools move money. A manifest adds
exactly that. It is TOML or JSON, checked against the JSON Schema published next to this module
(``manifest.schema.json``), and errors name the offending field so a partner developer can fix it.

Claims that can be checked are checked (``_check_claims``): a service reached over the network cannot
keep data on the device (``processing_regions = ["LOCAL"]`` needs a stdio or loopback transport); a
bearer token comes from a variable named for the partner, ``TANDEM_PARTNER_<ID>_<NAME>`` (``<ID>`` is the
id in capitals with ``.`` as ``_`` and ``-`` as ``__``, ``<NAME>`` letters and digits; one variable fits
one id only, so no manifest can ask for ``TANDEM_CLOUD_API_KEY`` or another partner's token), and is
sent only over https or to a loopback address.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import jsonschema

from tandem.errors import InvalidRequest

__all__ = [
    "SCHEMA_PATH",
    "Manifest",
    "ToolPolicy",
    "Transport",
    "is_loopback_url",
    "load_manifest",
    "manifest_schema",
    "may_carry_token",
    "parse_manifest",
    "token_env_prefix",
]

SCHEMA_PATH = Path(__file__).with_name("manifest.schema.json")

Idempotency = Literal["none", "safe", "key"]


@dataclass(frozen=True)
class ToolPolicy:
    """What the manifest declares about one tool."""

    name: str
    transactional: bool = False  # moves money or makes a commitment: the agent must confirm first
    # "safe": calling twice changes nothing; "key": the tool takes an idempotency_key argument and the
    # same key never creates a second effect; "none": repeating may repeat the effect.
    idempotency: Idempotency = "safe"
    personal_data: tuple[str, ...] = ()  # kinds of personal data the call sends to the partner
    reads_user_data: bool = False  # its answer is what the user stored with the partner (reminders, notes)
    # what it may ask the user in the middle of a call (MCP elicitation): field -> kind ("text", "count", "choice",
    # "yes_no"); a question for anything else is declined and never put to the user (services.asking)
    asks: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Transport:
    """How to reach the server: a stdio command we spawn, or a streamable-HTTP URL."""

    type: Literal["stdio", "http"]
    command: tuple[str, ...] = ()  # stdio only; "{python}" is replaced by this interpreter
    env: tuple[tuple[str, str], ...] = ()  # stdio only: extra environment variables
    url: str | None = None  # http only
    timeout_s: float = 15.0  # per request; a slower partner is treated as down

    def argv(self) -> list[str]:
        """The stdio command with ``{python}`` resolved, so built-ins run on the same interpreter."""
        return [part.replace("{python}", sys.executable) for part in self.command]


@dataclass(frozen=True)
class Manifest:
    """A validated service manifest. ``raw`` keeps the original document for storage and display."""

    id: str
    partner: str
    names: dict[str, str]  # display names by language: en (required), de, zh
    categories: tuple[str, ...]
    regions: tuple[str, ...]  # where offered, as written (may contain the groups EU / EEA)
    processing_regions: tuple[str, ...]  # where user data is processed; LOCAL = only on the device
    transport: Transport
    tools: tuple[ToolPolicy, ...]
    currency: str | None = None
    # Payment methods it takes besides the user's own token: "sandbox" = Tandem's built-in test money (a task
    # without a payment method on the device pays a built-in partner with it, labelled; any other one waits).
    payments: tuple[str, ...] = ()
    auth_token_env: str | None = None  # bearer token is read from this env var at connect time
    # the names of its things written like a person's ("Penne Arrabbiata"), for the privacy layer (tandem.app.things)
    things: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def tool(self, name: str) -> ToolPolicy | None:
        """The declared policy of a tool, or None when the manifest does not declare it."""
        return next((t for t in self.tools if t.name == name), None)

    def display_name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


@cache
def manifest_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) every manifest is validated against."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _field_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _best_error(errors: list[jsonschema.ValidationError]) -> jsonschema.ValidationError:
    """The deepest error: for a oneOf or if/then, the innermost message names the real field."""
    relevance = jsonschema.exceptions.relevance
    best = max(errors, key=relevance)
    while best.context:
        # In a oneOf over transports, drop the branches whose "type" does not match what was written.
        wrong = {e.relative_schema_path[0] for e in best.context
                 if e.validator == "const" and list(e.relative_path) == ["type"]}
        best = max([e for e in best.context if e.relative_schema_path[0] not in wrong] or best.context,
                   key=relevance)
    return best


def _said(error: jsonschema.ValidationError) -> str:
    """The error's message with the value it quotes cut short: a list of 20,000 names or a name of a megabyte is no
    message a partner developer reads (jsonschema quotes the whole value)."""
    whole = repr(error.instance)
    return error.message.replace(whole, whole[:_QUOTED] + "…") if len(whole) > _QUOTED else error.message


_QUOTED = 80  # characters of a bad value an error quotes


def parse_manifest(doc: dict[str, Any], *, source: str = "manifest") -> Manifest:
    """Validate a manifest document and build a :class:`Manifest`; raise ``InvalidRequest`` naming
    the first bad field (``param`` carries its path, e.g. ``regions[0]``)."""
    validator = jsonschema.Draft202012Validator(manifest_schema())
    errors = list(validator.iter_errors(doc))
    if errors:
        error = _best_error(errors)
        where = _field_path(error)
        raise InvalidRequest(f"{source}: manifest field {where!r}: {_said(error)}", param=where,
                             hint=f"see the schema at {SCHEMA_PATH}")
    names = [t["name"] for t in doc["tools"]]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        where = f"tools[{names.index(duplicate, names.index(duplicate) + 1)}].name"
        raise InvalidRequest(f"{source}: manifest field {where!r}: tool {duplicate!r} is declared twice",
                             param=where)
    _check_shapes(doc, source)
    manifest = _build(doc)
    _check_claims(manifest, source)
    return manifest


def _check_shapes(doc: dict[str, Any], source: str) -> None:
    """Every parameter's ``shape`` (the schema allows only prefix, characters, classes and counts) compiles and varies
    in length in one place at most: a hostile partner's pattern cannot make matching a word slow (no nested or
    chained ranges to backtrack over)."""
    for i, tool in enumerate(doc["tools"]):
        for name, parameter in dict(tool.get("parameters", {})).items():
            shape = parameter.get("shape")
            if shape is None:
                continue
            where = f"tools[{i}].parameters.{name}.shape"
            try:
                re.compile(shape)
            except re.error as exc:
                raise InvalidRequest(f"{source}: manifest field {where!r}: {shape!r} is no pattern ({exc.msg})",
                                     param=where, hint="write a prefix, then classes such as [0-9A-F] and counts "
                                     "such as {10}") from exc
            if sum(low != high for low, high in _COUNTED.findall(shape)) > 1:
                raise InvalidRequest(f"{source}: manifest field {where!r}: {shape!r} varies in length in more than "
                                     "one place", param=where, hint="count all but one part exactly ({10})")


_COUNTED = re.compile(r"\{(\d+),(\d+)\}")  # a count that lets a shape's part vary in length: {1,10}


def token_env_prefix(service_id: str) -> str:
    """How the variable holding a partner's token must begin: ``TANDEM_PARTNER_LICHTSPIEL_CINEMA_``.

    ``.`` becomes ``_`` and ``-`` becomes ``__``, so different ids give different prefixes (``a-b.c`` is
    ``A__B_C``, ``a.b-c`` is ``A_B__C``); the name after the prefix has no ``_`` (``_check_token_env``),
    so a prefix always ends at a variable's last ``_`` and no partner's prefix plus a name can spell
    another's (``acme.foo`` cannot claim ``TANDEM_PARTNER_ACME_FOO_BAR_TOKEN`` of ``acme.foo.bar``).
    """
    return "TANDEM_PARTNER_" + service_id.upper().replace("-", "__").replace(".", "_") + "_"


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` points at this device (localhost or a loopback address)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_carry_token(url: str) -> bool:
    """A bearer token may go to ``url``: https, or plain http to this device."""
    return urlsplit(url).scheme == "https" or is_loopback_url(url)


def _check_claims(m: Manifest, source: str) -> None:
    """Refuse what a manifest claims but cannot be true, or asks for but must not have."""
    url = m.transport.url if m.transport.type == "http" else None
    if url is not None and "LOCAL" in m.processing_regions and not is_loopback_url(url):
        raise InvalidRequest(f"{source}: manifest field 'data.processing_regions': a service at {url} is not on "
                             "this device, so its data cannot stay on it ('LOCAL')", param="data.processing_regions",
                             hint="list the countries where the service processes data")
    if m.auth_token_env is None:
        return
    _check_token_env(m.id, m.auth_token_env, source)
    if url is not None and not may_carry_token(url):
        raise InvalidRequest(f"{source}: manifest field 'transport.url': a bearer token is sent only over https "
                             "or to this device", param="transport.url", hint="use an https:// URL")


def _check_token_env(service_id: str, name: str, source: str) -> None:
    """``name`` is this partner's prefix and then letters and digits only: no other id can produce it."""
    prefix = token_env_prefix(service_id)
    if name.startswith(prefix) and _TOKEN_NAME.fullmatch(name[len(prefix):]):
        return
    raise InvalidRequest(f"{source}: manifest field 'auth.token_env': {name!r} is not named for this partner: "
                         f"it must be {prefix} followed by capital letters and digits only (no '_', so that it "
                         "cannot also be read as another partner's variable)", param="auth.token_env",
                         hint=f"use {prefix}TOKEN")


_TOKEN_NAME = re.compile(r"[A-Z0-9]+")


def _build(doc: dict[str, Any]) -> Manifest:
    t = doc["transport"]
    transport = Transport(type=t["type"], command=tuple(t.get("command", ())),
                          env=tuple(sorted(t.get("env", {}).items())), url=t.get("url"),
                          timeout_s=float(t.get("timeout_s", 15.0)))
    tools = tuple(ToolPolicy(name=x["name"], transactional=x.get("transactional", False),
                             idempotency=x.get("idempotency", "safe"),
                             personal_data=tuple(x.get("personal_data", ())),
                             reads_user_data=bool(x.get("reads_user_data", False)),
                             asks=tuple(sorted(dict(x.get("asks", {})).items())))
                  for x in doc["tools"])
    auth = doc.get("auth", {"type": "none"})
    return Manifest(id=doc["id"], partner=doc["partner"], names=dict(doc["names"]),
                    categories=tuple(doc["categories"]), regions=tuple(doc["regions"]),
                    processing_regions=tuple(doc["data"]["processing_regions"]), transport=transport,
                    tools=tools, currency=doc.get("currency"), payments=tuple(doc.get("payments", ())),
                    auth_token_env=auth.get("token_env") if auth["type"] == "bearer" else None,
                    things=tuple(doc.get("things", ())), raw=doc)


def load_manifest(path: Path) -> Manifest:
    """Read a ``.toml`` or ``.json`` manifest file and validate it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidRequest(f"cannot read manifest {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"cannot read manifest {path}: it is not UTF-8 text ({exc.reason} at byte "
                             f"{exc.start})") from exc
    try:
        doc = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidRequest(f"{path} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}") from exc
    if not isinstance(doc, dict):
        raise InvalidRequest(f"{path}: a manifest must be an object")
    return parse_manifest(doc, source=str(path))
