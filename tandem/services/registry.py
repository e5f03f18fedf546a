"""The regional service registry: which partner services this user has, which are offered where, and
whether each is up. One SQLite file, ``$TANDEM_HOME/services.db``, migrated in order when it opens and
written by ``tandem serve`` and the CLI at once (see ``tandem.storage``).

The reference partners are registered on every open (so they are there out of the box and pick up a
new manifest after an upgrade); removing a built-in remembers that, so it does not come back.

When several services offer the same thing (two cinemas that sell tickets), ``ranked`` says which one
the assistant uses: the one the user chose for the category (``tandem services prefer CATEGORY ID``),
else a shipped (built-in) one, else the one added first; never the alphabetical order of ids, so a
partner cannot win bookings by calling itself ``aaa-….cinema``. The same order is the trust order of
understanding (``Understander._checked``: an earlier partner keeps its strong template matches). A partner
added again with a changed manifest moves to the end of it: what it claims now came last, so an early,
modest manifest cannot later be swapped for squatting phrasings that keep the early place.
"""

from __future__ import annotations

import functools
import json
import logging
import shlex
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tandem.config import Settings
from tandem.errors import InvalidRequest, NotFound
from tandem.partners import WELL_KNOWN_MANIFEST, builtin_manifest_paths
from tandem.services.manifest import Manifest, load_manifest, parse_manifest
from tandem.services.regulation import Offer, TransferPolicy, offer
from tandem.storage import connect, immediate, migrate

__all__ = ["MIGRATIONS", "Health", "ServiceRecord", "ServiceRegistry", "read_source", "what_it_runs"]

log = logging.getLogger("tandem.services")

MIGRATIONS = [
    """
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    manifest TEXT NOT NULL,
    source TEXT NOT NULL,
    builtin INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE health (
    service_id TEXT PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,
    healthy INTEGER NOT NULL,
    checked_at REAL NOT NULL,
    error TEXT,
    tool_count INTEGER,
    latency_ms REAL
);
CREATE TABLE removed_builtins (id TEXT PRIMARY KEY)
""",
    # The user's choice of service per category, when several offer the same thing.
    """
CREATE TABLE preferences (category TEXT PRIMARY KEY, service_id TEXT NOT NULL)
""",
    # The trust order among added services: a counter, set when a service is added and again when its manifest
    # changes (a clock of seconds would tie, and ties would fall to the ids). Existing rows keep their order.
    """
ALTER TABLE services ADD COLUMN placed INTEGER NOT NULL DEFAULT 0;
UPDATE services SET placed = (SELECT COUNT(*) FROM services t WHERE t.added_at < services.added_at
                              OR (t.added_at = services.added_at AND t.id <= services.id))
""",
]


@dataclass(frozen=True)
class Health:
    """The last known state of a service, from a health check or a real call."""

    healthy: bool
    checked_at: float  # unix time
    error: str | None = None  # why it is down
    tool_count: int | None = None  # tools the server listed (when up)
    latency_ms: float | None = None  # time to connect and list tools


@dataclass(frozen=True)
class ServiceRecord:
    """A registered service."""

    manifest: Manifest
    source: str  # file path or URL the manifest came from; "builtin" for the reference partners
    builtin: bool
    enabled: bool
    health: Health | None  # None until checked or called
    added_at: str = ""  # when it was registered (UTC, "YYYY-MM-DD HH:MM:SS")
    placed: int = 0  # its place in the trust order among added services: when added or its manifest last changed

    @property
    def id(self) -> str:
        return self.manifest.id

    def summary(self, user_offer: Offer | None = None) -> dict[str, Any]:
        """The JSON shape of ``tandem services list --json``."""
        m, h = self.manifest, self.health
        out: dict[str, Any] = {
            "id": m.id, "partner": m.partner, "name": m.display_name(), "categories": list(m.categories),
            "regions": list(m.regions), "processing_regions": list(m.processing_regions), "currency": m.currency,
            "enabled": self.enabled, "builtin": self.builtin, "healthy": h.healthy if h else None,
            "checked_at": h.checked_at if h else None, "error": h.error if h else None,
            "transport": m.transport.type,
        }
        if user_offer is not None:
            out["offered"], out["reason"] = user_offer.allowed, user_offer.reason
        return out


class ServiceRegistry:
    """Registered services and their health, in ``services.db`` under the settings' home."""

    def __init__(self, settings: Settings, *, builtins: bool = True) -> None:
        self.settings = settings
        self.path = settings.home / "services.db"
        self._conn = connect(self.path, "foreign_keys=ON")  # a removed service takes its health row along
        migrate(self._conn, MIGRATIONS)
        if builtins:
            self._sync_builtins()

    def _sync_builtins(self) -> None:
        manifests = [load_manifest(p) for p in builtin_manifest_paths()]
        with immediate(self._conn) as conn:
            removed = {r[0] for r in conn.execute("SELECT id FROM removed_builtins")}
            for m in manifests:
                if m.id in removed:
                    continue
                conn.execute("INSERT INTO services (id, manifest, source, builtin) VALUES (?, ?, 'builtin', 1) "
                             "ON CONFLICT (id) DO UPDATE SET manifest = excluded.manifest WHERE builtin = 1",
                             (m.id, json.dumps(m.raw, ensure_ascii=False)))

    # -- changing the set ---------------------------------------------------------------------------

    def add(self, source: str | Path) -> ServiceRecord:
        """Register (or update) a service from a manifest file, a URL serving one (``.json``/``.toml``),
        or a streamable-HTTP MCP endpoint that publishes its manifest at
        ``/.well-known/tandem-manifest.json``; the endpoint URL given then becomes the transport."""
        return self.add_manifest(read_source(source), str(source))

    def add_manifest(self, manifest: Manifest, source: str) -> ServiceRecord:
        with immediate(self._conn) as conn:
            row = conn.execute("SELECT builtin FROM services WHERE id = ?", (manifest.id,)).fetchone()
            if row is not None and row["builtin"]:
                raise InvalidRequest(f"{manifest.id} is a built-in service; remove it first to replace it",
                                     param="id")
            # A changed manifest takes the next place (an update must not keep the trust its first version had).
            conn.execute("INSERT INTO services (id, manifest, source, placed) "
                         "VALUES (?, ?, ?, (SELECT COALESCE(MAX(placed), 0) + 1 FROM services)) ON CONFLICT (id) "
                         "DO UPDATE SET manifest = excluded.manifest, source = excluded.source, placed = CASE "
                         "WHEN manifest = excluded.manifest THEN placed ELSE excluded.placed END",
                         (manifest.id, json.dumps(manifest.raw, ensure_ascii=False), source))
            conn.execute("DELETE FROM health WHERE service_id = ?", (manifest.id,))
        return self.get(manifest.id)

    def remove(self, service_id: str) -> None:
        with immediate(self._conn) as conn:  # by its row: a manifest that no longer validates can go too
            row = conn.execute("SELECT builtin FROM services WHERE id = ?", (service_id,)).fetchone()
            if row is None:
                raise NotFound(f"no service {service_id!r}", hint="see `tandem services list`")
            conn.execute("DELETE FROM services WHERE id = ?", (service_id,))
            conn.execute("DELETE FROM preferences WHERE service_id = ?", (service_id,))
            if row["builtin"]:
                conn.execute("INSERT OR IGNORE INTO removed_builtins VALUES (?)", (service_id,))

    def prefer(self, category: str, service_id: str) -> ServiceRecord:
        """Use ``service_id`` for ``category`` when several services offer the same tool."""
        record = self.get(service_id)
        if category not in record.manifest.categories:
            raise InvalidRequest(f"{service_id} offers no {category!r} (it offers: "
                                 f"{', '.join(record.manifest.categories)})", param="category")
        with immediate(self._conn) as conn:
            conn.execute("INSERT OR REPLACE INTO preferences VALUES (?, ?)", (category, service_id))
        return record

    def preferences(self) -> dict[str, str]:
        """The user's chosen service per category."""
        with self._conn.lock:
            return {r[0]: r[1] for r in self._conn.execute("SELECT category, service_id FROM preferences")}

    def ranked(self) -> list[ServiceRecord]:
        """Services in the order the assistant prefers them when the user chose none for a category:
        shipped ones first, then in the order they were added or their manifests last changed."""
        return sorted(self.all(), key=_trust)

    def set_enabled(self, service_id: str, enabled: bool) -> ServiceRecord:
        self.get(service_id)
        with immediate(self._conn) as conn:
            conn.execute("UPDATE services SET enabled = ? WHERE id = ?", (int(enabled), service_id))
        return self.get(service_id)

    def mark(self, service_id: str, health: Health) -> None:
        """Record the outcome of a health check or a call; unknown ids are ignored (removed meanwhile)."""
        with immediate(self._conn) as conn:
            if conn.execute("SELECT 1 FROM services WHERE id = ?", (service_id,)).fetchone() is None:
                return
            conn.execute("INSERT OR REPLACE INTO health VALUES (?, ?, ?, ?, ?, ?)",
                         (service_id, int(health.healthy), health.checked_at, health.error, health.tool_count,
                          health.latency_ms))

    # -- reading ------------------------------------------------------------------------------------

    def get(self, service_id: str) -> ServiceRecord:
        rows = self._select("WHERE s.id = ?", (service_id,))
        if not rows:
            raise NotFound(f"no service {service_id!r}", hint="see `tandem services list`")
        return rows[0]

    def all(self) -> list[ServiceRecord]:
        return self._select("", ())

    def offers(self, region: str | None = None,
               policy: TransferPolicy | None = None) -> list[tuple[ServiceRecord, Offer]]:
        """Every service with the decision whether it may be offered to a user in ``region``."""
        region = region or self.settings.region
        return [(r, offer(region, r.manifest.regions, r.manifest.processing_regions, policy)) for r in self.all()]

    def available(self, region: str | None = None,
                  policy: TransferPolicy | None = None) -> list[ServiceRecord]:
        """Enabled services that may be offered in ``region`` (default: the user's region), in ``ranked`` order:
        an earlier partner keeps the requests its examples claim (``tandem.agent.overreach``)."""
        return sorted((r for r, o in self.offers(region, policy) if o.allowed and r.enabled), key=_trust)

    def _select(self, where: str, params: tuple[Any, ...]) -> list[ServiceRecord]:
        with self._conn.lock:
            rows = self._conn.execute(
                "SELECT s.*, h.healthy, h.checked_at, h.error, h.tool_count, h.latency_ms FROM services s "
                f"LEFT JOIN health h ON h.service_id = s.id {where} ORDER BY s.id", params).fetchall()
        records = []
        for r in rows:
            try:
                manifest = _stored_manifest(r["manifest"], r["source"])
            except InvalidRequest as exc:  # stored before a rule it breaks: not offered, and said so
                log.warning("service %s is not offered: %s", r["id"], exc)
                continue
            records.append(ServiceRecord(
                manifest=manifest, source=r["source"], builtin=bool(r["builtin"]), enabled=bool(r["enabled"]),
                health=None if r["healthy"] is None else Health(bool(r["healthy"]), r["checked_at"], r["error"],
                                                                r["tool_count"], r["latency_ms"]),
                added_at=r["added_at"], placed=r["placed"]))
        return records

    def close(self) -> None:
        self._conn.close()


def _trust(record: ServiceRecord) -> tuple[bool, int, str]:
    return not record.builtin, record.placed, record.id


def read_source(source: str | Path) -> Manifest:
    """The validated manifest ``ServiceRegistry.add`` would register from ``source`` (nothing is stored),
    so a user can see what it runs first (``what_it_runs``)."""
    text = str(source)
    if not text.startswith(("http://", "https://")):
        return load_manifest(Path(text))
    if text.endswith((".json", ".toml")):
        return _fetch_manifest(text)
    origin = "/".join(text.split("/", 3)[:3])
    doc = _fetch_document(origin + WELL_KNOWN_MANIFEST)
    doc["transport"] = {**doc.get("transport", {}), "type": "http", "url": text}
    doc["transport"].pop("command", None)
    doc["transport"].pop("env", None)
    return parse_manifest(doc, source=text)


def what_it_runs(manifest: Manifest) -> str:
    """What adding ``manifest`` lets Tandem run or reach, for the user to confirm once."""
    m, t = manifest, manifest.transport
    lines = [f"{m.id} ({m.partner}): {', '.join(m.categories)}; offered in {', '.join(m.regions)}; "
             f"data processed in {', '.join(m.processing_regions)}"]
    if t.type == "stdio":
        lines.append("runs on this device: " + shlex.join(t.argv()))
        if t.env:
            lines.append("with: " + " ".join(f"{k}={v}" for k, v in t.env))
    else:
        lines.append(f"connects to: {t.url}")
    if m.auth_token_env:
        lines.append(f"sends the token in ${m.auth_token_env}")
    paying = [p.name for p in m.tools if p.transactional]
    if paying:
        lines.append(f"can take payments (each only after you confirm it): {', '.join(paying)}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _stored_manifest(text: str, source: str) -> Manifest:
    """Stored manifests are re-validated when read (the schema may be newer than the row), once per text."""
    return parse_manifest(json.loads(text), source=source)


def _fetch_manifest(url: str) -> Manifest:
    """Download and validate a manifest."""
    return parse_manifest(_fetch_document(url), source=url)


_MANIFEST_BYTES = 1 << 20  # a manifest is a few kilobytes; a URL serving more serves something else
_FETCH_S = 30.0  # for the whole document: a server that drips a byte now and then is not waited for


def _fetch_document(url: str) -> dict[str, Any]:
    """Download a manifest document (JSON, or TOML when the URL ends in .toml): at most 1 MiB within 30 s."""
    try:
        body = _download(url)
    except httpx.HTTPError as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidRequest(f"cannot fetch manifest {url}: {reason}") from exc
    try:
        text = body.decode("utf-8")
        doc = tomllib.loads(text) if url.endswith(".toml") else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InvalidRequest(f"{url} does not serve a JSON or TOML manifest: {exc}") from exc
    if not isinstance(doc, dict):
        raise InvalidRequest(f"{url}: a manifest must be an object")
    return doc


def _download(url: str) -> bytes:
    deadline, body = time.monotonic() + _FETCH_S, bytearray()
    with httpx.stream("GET", url, timeout=15, follow_redirects=True) as response:
        if response.is_error:
            raise InvalidRequest(f"cannot fetch manifest {url}: HTTP {response.status_code}")
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > _MANIFEST_BYTES:
                raise InvalidRequest(f"{url} serves more than {_MANIFEST_BYTES >> 20} MiB: not a manifest")
            if time.monotonic() > deadline:
                raise InvalidRequest(f"{url} took more than {_FETCH_S:g} s to send its manifest")
    return bytes(body)
