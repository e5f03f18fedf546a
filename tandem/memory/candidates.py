"""Candidates to recommend: partners' catalog items in one shape: films at cinemas, events, restaurants and
products. Memory never calls partners; the caller hands in items, either built here from the partners'
catalog files (``load_candidates(data_dir, now)``) or from live partner answers (``Candidate`` directly).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tandem.memory.learn import price_band

__all__ = ["CHINA_CITIES", "Candidate", "load_candidates"]

CHINA_CITIES = frozenset({"Beijing", "Shanghai", "Hangzhou", "Guangzhou", "Shenzhen"})


@dataclass(frozen=True)
class Candidate:
    """Something the user could do, eat, watch or buy."""

    id: str  # stable across runs: "film:lsp-alex:f-orbit", "event:ev-be-1", "food:bj-r000", "product:p-eu-kettle"
    domain: str  # "film", "event", "food" or "product"
    title: str  # what the user sees first
    text: str  # a sentence describing the item, embedded to compare it with requests and tastes
    attributes: dict[str, str] = field(default_factory=dict)  # cuisine, kind, venue, cinema, city, brand ...
    price: float | None = None  # per person / per item, in ``currency``
    currency: str | None = None  # "EUR", "CNY"
    starts_at: str | None = None  # ISO local time for things that happen once (events, showings); else None
    popularity: float = 0.0  # a partner-side signal (rating, turnover); 0 when unknown
    added_at: str | None = None  # ISO date the item appeared, for freshness; None when unknown
    sold_by: str = ""  # the partner category that sells it, as manifests name categories: "cinema", "food" ...

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "domain": self.domain, "title": self.title, "attributes": self.attributes,
                "price": self.price, "currency": self.currency, "starts_at": self.starts_at}


def _currency(city: str) -> str:
    return "CNY" if city in CHINA_CITIES else "EUR"


def _films(data: dict[str, Any]) -> list[Candidate]:
    items = []
    for cinema in data["cinemas"]:
        lang = "zh" if cinema["city"] in CHINA_CITIES else "de"
        for film in data["films"]:
            title = film["title"].get(lang) or film["title"]["en"]
            price, currency = float(cinema["price"]), _currency(cinema["city"])
            items.append(Candidate(
                id=f"film:{cinema['id']}:{film['id']}", domain="film", title=f"{title} — {cinema['name']}",
                text=f"Film {film['title']['en']} ({title}), {film['minutes']} minutes, age {film['age']}+, "
                     f"at {cinema['name']} cinema in {cinema['city']}",
                attributes={"film": title, "cinema": cinema["name"], "city": cinema["city"],
                            "price_band": price_band(price, currency), "time_of_day": "evening"},
                price=price, currency=currency, sold_by="cinema"))  # shown daily: no single start time
    return items


def _events(data: dict[str, Any], now: dt.datetime) -> list[Candidate]:
    venues = {v["id"]: v for v in data["venues"]}
    items = []
    for event in data["events"]:
        venue = venues[event["venue"]]
        price = min(float(s["price"]) for s in venue["sections"])
        when = f"{(now.date() + dt.timedelta(days=int(event['day_offset']))).isoformat()}T{event['time']}"
        items.append(Candidate(
            id=f"event:{event['id']}", domain="event", title=event["title"],
            text=f"{event['kind'].capitalize()}: {event['title']} at {venue['name']}, {venue['city']}",
            attributes={"kind": event["kind"], "venue": venue["name"], "city": venue["city"],
                        "price_band": price_band(price, _currency(venue["city"])),
                        "time_of_day": "evening" if event["time"] >= "17:00" else "afternoon"},
            price=price, currency=_currency(venue["city"]), starts_at=when, sold_by="tickets"))
    return items


def _restaurants(rows: list[dict[str, Any]]) -> list[Candidate]:
    items = []
    for r in rows:
        dishes = ", ".join(d["name"] for d in r.get("dishes", [])[:6])
        price = float(r.get("avg_price") or 0) or None
        currency = _currency(r["city"])
        attributes = {"cuisine": r["cuisine"], "restaurant": r["name"], "city": r["city"]}
        if price:
            attributes["price_band"] = price_band(price, currency)
        items.append(Candidate(
            id=f"food:{r['id']}", domain="food", title=r["name"],
            text=f"Restaurant {r['name']}, {r['cuisine']} cuisine, in {r['city']} near {r.get('station', '')}; "
                 f"dishes: {dishes}", attributes=attributes, price=price, currency=currency,
            popularity=float(r.get("rating") or 0), sold_by="food"))
    return items


def _products(data: dict[str, Any]) -> list[Candidate]:
    items = []
    for region, rows in data.items():
        if region.startswith("_"):
            continue
        currency = "CNY" if region == "CN" else "EUR"
        for p in rows:
            items.append(Candidate(
                id=f"product:{p['id']}", domain="product", title=p["name"],
                text=f"{p['category'].capitalize()} product: {p['name']} by {p['brand']}",
                attributes={"category": p["category"], "brand": p["brand"], "region": region,
                            "price_band": price_band(float(p["price"]), currency)},
                price=float(p["price"]), currency=currency, popularity=float(p.get("stock") or 0) / 100.0,
                sold_by="shopping"))
    return items


def load_candidates(data_dir: Path, now: dt.datetime | None = None) -> list[Candidate]:
    """Every item in the partners' catalog files under ``data_dir`` (files that are missing are skipped)."""
    now = now or dt.datetime.now()

    def read(name: str) -> Any:
        path = data_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    items: list[Candidate] = []
    if (films := read("cinemas.json")) is not None:
        items += _films(films)
    if (events := read("events.json")) is not None:
        items += _events(events, now)
    if (restaurants := read("restaurants.json")) is not None:
        items += _restaurants(restaurants)
    if (products := read("products.json")) is not None:
        items += _products(products)
    return items
