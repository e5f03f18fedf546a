"""Reference partner: navigation (places search, routes by walking, metro or car, saved places).

EU: "Wegweiser" (Berlin with its U-Bahn graph, Munich). CN: "路路通" (Beijing with its metro graph and the
CrossWOZ places, Hangzhou, Shanghai). Metro routes come from the line graph in ``data/metro.json``.
Walking and driving times are estimates: straight-line distance (or metro distance where a place has
no coordinates) times a detour factor, at 4.8 km/h on foot and 24 km/h by car in city traffic.

    python -m tandem.partners.navigation --region CN
"""

from __future__ import annotations

import functools
import math
import sqlite3
from pathlib import Path
from typing import Any, Literal

from mcp.server.fastmcp import FastMCP

from tandem.partners.metro import MetroGraph
from tandem.partners.server import Options, Variant, city_key, load_data, partner_main
from tandem.partners.store import PartnerStore, ToolError

__all__ = ["VARIANTS", "build", "estimate", "graph", "main", "open_store"]

VARIANTS = {
    "EU": Variant("EU", "wegweiser.navigation", "Wegweiser", "EUR", ("Berlin", "Munich")),
    "CN": Variant("CN", "lulutong.navigation", "路路通", "CNY", ("Beijing", "Hangzhou", "Shanghai")),
}
WALK_KMH, CAR_KMH, CAR_OVERHEAD_MIN, STATION_WALK_MIN = 4.8, 24.0, 5.0, 5.0
DETOUR = {"walk": 1.25, "car": 1.4}

MIGRATIONS = [
    """
CREATE TABLE places (id INTEGER PRIMARY KEY, city TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
                     address TEXT, station TEXT, lat REAL, lon REAL, UNIQUE (city, name));
CREATE TABLE saved_places (label TEXT PRIMARY KEY, place_id INTEGER NOT NULL REFERENCES places(id),
                           saved_at TEXT NOT NULL DEFAULT (datetime('now')))
""",
]


def _seed(variant: Variant) -> Any:
    def seed(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO places (city, name, kind, address, station, lat, lon) "
            "VALUES (:city, :name, :kind, :address, :station, :lat, :lon)",
            [{"address": None, "station": None, "lat": None, "lon": None, **p}
             for p in load_data("places.json") if p["city"] in variant.cities])
    return seed


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS, _seed(variant))


@functools.cache
def graph(city: str) -> MetroGraph | None:
    """The metro graph of a city, or None where we have no network data."""
    data = load_data("metro.json").get(city)
    return MetroGraph.from_data(data) if data else None


def _km(a: dict[str, Any], b: dict[str, Any]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _metro(city: str, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    net = graph(city)
    found = net.route(a["station"], b["station"]) if net and a["station"] and b["station"] else None
    if found is None:
        return None
    km_per_hop = load_data("metro.json")[city]["km_per_hop"]
    return {"minutes": round(found.minutes + 2 * STATION_WALK_MIN), "distance_km": round(found.stops * km_per_hop, 1),
            "transfers": found.transfers,
            "steps": [f"walk to {a['station']}"] + [f"{r.line}: {r.board} → {r.alight} ({r.stops} stops)"
                                                      for r in found.rides] + [f"walk to {b['name']}"]}


def estimate(city: str, a: dict[str, Any], b: dict[str, Any], mode: str) -> dict[str, Any]:
    """Duration and distance between two places; ``found`` is False (with a reason) when we cannot tell."""
    if mode == "metro":
        metro = _metro(city, a, b)
        if metro is None:
            return {"found": False, "reason": f"no metro connection known between {a['name']} and {b['name']}"}
        return {"found": True, "mode": mode, **metro}
    if None not in (a["lat"], b["lat"]):
        km = _km(a, b)
    else:
        metro = _metro(city, a, b)
        if metro is None:
            return {"found": False, "reason": f"no location known for {a['name']} or {b['name']}"}
        km = metro["distance_km"]
    road_km = km * DETOUR[mode]
    minutes = road_km / WALK_KMH * 60 if mode == "walk" else road_km / CAR_KMH * 60 + CAR_OVERHEAD_MIN
    return {"found": True, "mode": mode, "minutes": round(minutes), "distance_km": round(road_km, 1),
            "estimate": True}


def _place(store: PartnerStore, city: str, name: str) -> dict[str, Any]:
    saved = store.row("SELECT p.* FROM saved_places s JOIN places p ON p.id = s.place_id WHERE s.label = ? "
                      "AND p.city = ?", (name, city))
    found = saved or store.row("SELECT * FROM places WHERE city = ? AND name = ?", (city, name)) or store.row(
        "SELECT * FROM places WHERE city = ? AND name LIKE ? ORDER BY length(name) LIMIT 1", (city, f"%{name}%"))
    if found is None:
        raise ToolError(f"no place called {name!r} in {city}")
    return found


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The navigation MCP server for one regional variant."""
    mcp = options.server(variant, f"{variant.partner}: places and routes in {', '.join(variant.cities)} "
                                  "(walk, metro, car).")

    @mcp.tool()
    def search_places(city: str, query: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Places in a city whose name or address contains the query (landmarks, venues, cinemas, ...)."""
        sql = ("SELECT name, kind, address, station, lat, lon FROM places "
               "WHERE city = ? AND (name LIKE ? OR address LIKE ?)")
        params: list[Any] = [city_key(city, variant), f"%{query}%", f"%{query}%"]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        # Exact name first, then names containing the query, then address matches; shorter names first.
        sql += " ORDER BY name = ? DESC, name LIKE ? DESC, length(name) LIMIT 20"
        return store.rows(sql, (*params, query, f"%{query}%"))

    @mcp.tool()
    def route(city: str, origin: str, destination: str,
              mode: Literal["walk", "metro", "car"] = "metro") -> dict[str, Any]:
        """Travel time and distance between two places (names, or labels saved with save_place)."""
        key = city_key(city, variant)
        a, b = _place(store, key, origin), _place(store, key, destination)
        return {"from": a["name"], "to": b["name"], **estimate(key, a, b, mode)}

    @mcp.tool()
    def save_place(label: str, city: str, place: str) -> dict[str, Any]:
        """Remember a place under a label such as "home" or "work" (stored by this partner)."""
        found = _place(store, city_key(city, variant), place)
        with store.write() as conn:
            conn.execute("INSERT INTO saved_places (label, place_id) VALUES (?, ?) ON CONFLICT (label) "
                         "DO UPDATE SET place_id = excluded.place_id", (label, found["id"]))
        return {"label": label, "place": found["name"], "city": found["city"]}

    @mcp.tool()
    def saved_places() -> list[dict[str, Any]]:
        """The labelled places the user saved."""
        return store.rows("SELECT s.label, p.name AS place, p.city FROM saved_places s "
                          "JOIN places p ON p.id = s.place_id ORDER BY s.label")

    return mcp


def main(argv: list[str] | None = None) -> None:
    partner_main("navigation", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
