"""The registry: built-ins out of the box, regional sets, add/remove/enable, migrations, URL manifests."""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tandem.config import load_settings
from tandem.errors import InvalidRequest, NotFound
from tandem.partners import MANIFEST_DIR
from tandem.services.registry import MIGRATIONS, Health, ServiceRegistry
from tandem.services.regulation import TransferPolicy

CINEMA = tomllib.loads((MANIFEST_DIR / "lichtspiel.cinema.toml").read_text())


def _toml(doc: dict[str, Any]) -> str:
    """A tiny TOML writer for manifests (strings, numbers, lists, inline tables, one level of tables and
    [[tools]])."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):  # a tool's parameters, descriptions, examples: inline tables
            return "{" + ", ".join(f"{value(k)} = {value(x)}" for k, x in v.items()) + "}"
        return str(v)

    lines = [f"{k} = {value(v)}" for k, v in doc.items() if not isinstance(v, dict) and k != "tools"]
    for key, table in ((k, v) for k, v in doc.items() if isinstance(v, dict)):
        lines += [f"[{key}]"] + [f"{k} = {value(v)}" for k, v in table.items()]
    for tool in doc.get("tools", []):
        lines += ["[[tools]]"] + [f"{k} = {value(v)}" for k, v in tool.items()]
    return "\n".join(lines) + "\n"


def third_country_manifest(tmp_path: Path) -> Path:
    doc = copy.deepcopy(CINEMA)
    doc.update(id="fernsicht.cinema", partner="Fernsicht Ltd")
    doc["data"]["processing_regions"] = ["DE", "IN"]
    path = tmp_path / "fernsicht.toml"
    path.write_text(_toml(doc))
    return path


@pytest.fixture
def registry(home: Path) -> Iterator[ServiceRegistry]:
    reg = ServiceRegistry(load_settings())
    yield reg
    reg.close()


def test_builtins_differ_by_region(registry: ServiceRegistry) -> None:
    de = {r.id for r in registry.available("DE")}
    cn = {r.id for r in registry.available("CN")}
    assert de == {"gabelpost.food", "rangplatz.tickets", "lichtspiel.cinema", "wegweiser.navigation",
                  "korbwerk.shopping", "tandem.office"}
    assert cn == {"kuaisong.food", "piaogen.tickets", "guangying.cinema", "lulutong.navigation",
                  "haowuji.shopping", "tandem.office"}
    assert registry.available() == registry.available("DE")  # the settings' default region


def test_migrations_run_in_order_and_once(registry: ServiceRegistry) -> None:
    conn = sqlite3.connect(registry.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    again = ServiceRegistry(load_settings())
    assert len(again.all()) == len(registry.all()) == 11


def test_third_country_partner_needs_policy(registry: ServiceRegistry, tmp_path: Path) -> None:
    record = registry.add(third_country_manifest(tmp_path))
    assert record.source.endswith("fernsicht.toml") and not record.builtin
    assert "fernsicht.cinema" not in {r.id for r in registry.available("DE")}
    offers = dict((r.id, o) for r, o in registry.offers("DE"))
    assert "third country" in offers["fernsicht.cinema"].reason
    allowed = registry.available("DE", TransferPolicy(allow_third_country=True))
    assert "fernsicht.cinema" in {r.id for r in allowed}


def test_enable_disable_remove(registry: ServiceRegistry) -> None:
    registry.set_enabled("lichtspiel.cinema", False)
    assert "lichtspiel.cinema" not in {r.id for r in registry.available("DE")}
    registry.set_enabled("lichtspiel.cinema", True)
    assert "lichtspiel.cinema" in {r.id for r in registry.available("DE")}
    registry.remove("lichtspiel.cinema")
    with pytest.raises(NotFound):
        registry.get("lichtspiel.cinema")
    reopened = ServiceRegistry(load_settings())  # a removed built-in does not come back on the next open
    assert "lichtspiel.cinema" not in {r.id for r in reopened.all()}
    reopened.add(MANIFEST_DIR / "lichtspiel.cinema.toml")
    assert reopened.get("lichtspiel.cinema").enabled


def test_builtin_cannot_be_shadowed(registry: ServiceRegistry, tmp_path: Path) -> None:
    path = tmp_path / "fake.toml"
    path.write_text(_toml({**copy.deepcopy(CINEMA), "partner": "Impostor"}))
    with pytest.raises(InvalidRequest, match="built-in"):
        registry.add(path)


def test_health_is_recorded(registry: ServiceRegistry) -> None:
    registry.mark("guangying.cinema", Health(False, 1.0, error="gone"))
    record = registry.get("guangying.cinema")
    assert record.health is not None and not record.health.healthy and record.summary()["healthy"] is False
    registry.mark("no.such", Health(True, 1.0))  # ignored, not an error


def test_add_from_url(registry: ServiceRegistry, tmp_path: Path) -> None:
    body = third_country_manifest(tmp_path).read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ok = self.path == "/manifest.toml"
            self.send_response(200 if ok else 404)
            self.end_headers()
            self.wfile.write(body if ok else b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert registry.add(f"{base}/manifest.toml").id == "fernsicht.cinema"
        with pytest.raises(InvalidRequest, match="404"):
            registry.add(f"{base}/missing.toml")
    finally:
        server.shutdown()


def test_a_partner_whose_manifest_changes_moves_to_the_end_of_the_trust_order(home: Path, tmp_path: Path) -> None:
    """Review R30: the assistant trusts added partners in the order they came (``Understander._checked``: an
    earlier one keeps its strong template matches). A partner added early with a modest manifest and updated
    later (``tandem services add`` again, same id) with other phrasings must not keep its early place; the
    same manifest added again keeps it. All within one second: the order must not rest on the clock or the id.
    Without the shipped partners: they always come first, and checking the added ones against all their
    requests (``overreach``) took a minute of CI for an order among the added ones."""
    from tandem.agent.capabilities import capabilities
    from tandem.agent.overreach import vetted
    from tests.agent.test_overreach import FLOWERS, TAXI, _manifest

    def order(reg: ServiceRegistry) -> tuple[list[str], list[str]]:
        available = reg.available()
        understood = dict.fromkeys(s.partner for s in capabilities(vetted(r.manifest.raw for r in available)))
        added = [r.id for r in available if not r.builtin]
        return added, [p for p in understood if p in added]

    florist, taxi = _manifest(tmp_path, FLOWERS), _manifest(tmp_path, TAXI)
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add(florist)
    registry.add(taxi)
    first = registry.get(FLOWERS[0]).added_at
    registry.add(florist)  # the same manifest again
    assert order(registry) == ([FLOWERS[0], TAXI[0]],) * 2
    florist.write_text(florist.read_text(encoding="utf-8") + '[tools.phrasings]\nen = ["roses for my mum, please"]\n',
                       encoding="utf-8")
    registry.add(florist)  # updated: now the newest
    assert order(registry) == ([TAXI[0], FLOWERS[0]],) * 2
    assert [r.id for r in registry.ranked() if not r.builtin] == [TAXI[0], FLOWERS[0]]
    assert registry.get(FLOWERS[0]).added_at == first  # still shown as registered when it first was
    registry.close()
    reopened = ServiceRegistry(load_settings(), builtins=False)
    assert order(reopened) == ([TAXI[0], FLOWERS[0]],) * 2
    reopened.close()


def test_a_registry_from_before_the_counter_keeps_its_order(home: Path, tmp_path: Path) -> None:
    """Services added before the trust counter keep the order they had: by when added, then by id."""
    from tests.agent.test_overreach import FLOWERS, TAXI, _manifest

    home.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(home / "services.db", isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:2], start=1):
        old.executescript(script)
        old.execute(f"PRAGMA user_version = {number}")
    for partner, added_at in ((FLOWERS, "2026-01-02 08:00:00"), (TAXI, "2026-01-01 08:00:00")):
        doc = tomllib.loads(_manifest(tmp_path, partner).read_text(encoding="utf-8"))
        old.execute("INSERT INTO services (id, manifest, source, added_at) VALUES (?, ?, 'file', ?)",
                    (partner[0], json.dumps(doc), added_at))
    old.close()
    registry = ServiceRegistry(load_settings())
    try:
        assert [r.id for r in registry.ranked() if not r.builtin] == [TAXI[0], FLOWERS[0]]  # not the ids' order
        more = TAXI[5].replace('"taxi to {destination}"', '"taxi to {destination}", "cab to {destination}"')
        registry.add(_manifest(tmp_path, (*TAXI[:5], more)))
        assert [r.id for r in registry.ranked() if not r.builtin] == [FLOWERS[0], TAXI[0]]
    finally:
        registry.close()
