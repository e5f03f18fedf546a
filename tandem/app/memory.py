"""Memory and recommendations as the shells use them: a stated preference from a sentence or a key and
value, suggestions from the partners' catalog files ranked by the user's memory, and feedback on them.

Candidates come from the partners' catalog files: memory itself never reads partner data. Only the items of a
partner this user has, enabled and offered in the user's region, are suggested: a user in Germany is never shown
Beijing restaurants because the catalog files hold them.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from tandem.agent.profile import load_profile
from tandem.config import Settings
from tandem.errors import InvalidRequest, NotFound
from tandem.memory import MemoryStore
from tandem.memory.candidates import Candidate, load_candidates
from tandem.memory.learn import parse_statement
from tandem.memory.recommend import Recommender, Suggestion, parse_request
from tandem.models.base import Embedder
from tandem.services.registry import ServiceRegistry

__all__ = ["LONGEST_REQUEST", "add_item", "default_city", "feedback", "partner_catalog", "recommend"]

LONGEST_REQUEST = 500  # characters of a request for suggestions ("something to eat under 20 euros tonight")


def partner_catalog(settings: Settings, now: dt.datetime | None = None,
                    data_dir: Path | None = None) -> list[Candidate]:
    """The reference partners' catalog items (films at cinemas, events, restaurants, products) of a category and
    currency that a service the user has, enabled and offered in the user's region, sells."""
    services = ServiceRegistry(settings)
    try:  # what the user's partners sell, and in which currency (a partner sells in one: its region's)
        offered = {(category, r.manifest.currency) for r in services.available() for category in r.manifest.categories}
    finally:
        services.close()
    items = load_candidates(data_dir or Path(str(resources.files("tandem.partners") / "data")), now)
    return [item for item in items if (item.sold_by, item.currency) in offered]


def default_city(home: Path) -> str | None:
    profile = load_profile(home)
    return profile.city or next((p.city for p in profile.places.values() if p.city), None) or None


def add_item(store: MemoryStore, text: str | None, key: str | None, value: str | None, polarity: int = 1,
             source: str = "user") -> dict[str, Any]:
    """Store a stated preference from a sentence, or from an explicit key and value."""
    if text:
        statement = parse_statement(text)
        if statement is None:
            raise InvalidRequest(f"no preference found in {text!r}; give a key and value instead", param="text")
        key, value, polarity = statement.key, statement.value, statement.polarity
    if not key or not value:
        raise InvalidRequest("give either text or both key and value", param="key")
    return store.add(key, value, polarity=polarity, source=source).public()


def recommend(store: MemoryStore, embedder: Embedder, settings: Settings, text: str, *, city: str | None = None,
              budget: float | None = None, k: int = 10, diversity: float = 0.3) -> list[Suggestion]:
    if len(text) > LONGEST_REQUEST:  # e5 reads all of it (windows of 510 tokens, ~1 ms a character on this CPU)
        raise InvalidRequest(f"a request for suggestions has at most {LONGEST_REQUEST} characters", param="text")
    now = dt.datetime.now()
    request = parse_request(text, now, city=city or default_city(settings.home), budget=budget)
    recommender = Recommender(store, embedder)
    found = recommender.recommend(request, partner_catalog(settings, now), k=k, diversity=diversity)
    recommender.shown(found)
    return found


def feedback(store: MemoryStore, embedder: Embedder, settings: Settings, item_id: str,
             action: str) -> dict[str, Any]:
    item = next((c for c in partner_catalog(settings) if c.id == item_id), None)
    if item is None:
        raise NotFound(f"no catalog item {item_id!r}")
    event = Recommender(store, embedder).feedback(action, item)
    return {"id": event.id, "action": event.action, "item": event.item, "at": event.at}
