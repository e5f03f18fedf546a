"""The memory and recommendation endpoints, and the wiring the CLI shares with them.

    GET    /v1/memory/items                 list (``?kind=preference|fact``, ``?key=cuisine``)
    POST   /v1/memory/items                 {"text": "no horror films"} or {"key", "value", "polarity"}
    PATCH  /v1/memory/items/{id}            {"value"?, "polarity"?}
    DELETE /v1/memory/items/{id}
    GET    /v1/memory/export                everything stored about the user, decrypted (GDPR Art. 15/20)
    POST   /v1/memory/erase                 delete it all (GDPR Art. 17)
    POST   /v1/recommendations              {"text": "something to eat", "city"?, "budget"?, "k"?}
    POST   /v1/recommendations/feedback     {"item_id": "food:be-r003", "action": "accept" | "dismiss"}

Candidates come from the partners' catalog files: memory itself never reads partner data.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tandem.agent.profile import load_profile
from tandem.config import Settings
from tandem.errors import InvalidRequest, NotFound
from tandem.memory import MemoryStore
from tandem.memory.catalog import Candidate, load_catalog
from tandem.memory.learn import parse_statement
from tandem.memory.recommend import Recommender, Suggestion, parse_request
from tandem.models.base import Embedder
from tandem.models.registry import ModelRegistry

__all__ = ["FeedbackBody", "ItemBody", "ItemPatch", "RecommendBody", "add_item", "default_city", "feedback",
           "partner_catalog", "recommend", "router"]

router = APIRouter(prefix="/v1")


class ItemBody(BaseModel):
    """A preference: either a sentence to read, or a key and value."""

    text: str | None = Field(None, description="a sentence like 'no horror films'")
    key: str | None = None
    value: str | None = None
    polarity: Literal[1, -1] = 1


class ItemPatch(BaseModel):
    value: str | None = None
    polarity: Literal[1, -1] | None = None


class RecommendBody(BaseModel):
    text: str = ""
    city: str | None = None  # default: the city in profile.toml
    budget: float | None = Field(None, gt=0)
    k: int = Field(10, ge=1, le=50)
    diversity: float = Field(0.3, ge=0.0, le=1.0)


class FeedbackBody(BaseModel):
    item_id: str
    action: Literal["accept", "dismiss"]


def partner_catalog(now: dt.datetime | None = None, data_dir: Path | None = None) -> list[Candidate]:
    """The reference partners' catalog items (films at cinemas, events, restaurants, products)."""
    return load_catalog(data_dir or Path(str(resources.files("tandem.partners") / "data")), now)


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
    now = dt.datetime.now()
    request = parse_request(text, now, city=city or default_city(settings.home), budget=budget)
    recommender = Recommender(store, embedder)
    found = recommender.recommend(request, partner_catalog(now), k=k, diversity=diversity)
    recommender.shown(found)
    return found


def feedback(store: MemoryStore, embedder: Embedder, item_id: str, action: str) -> dict[str, Any]:
    item = next((c for c in partner_catalog() if c.id == item_id), None)
    if item is None:
        raise NotFound(f"no catalog item {item_id!r}")
    event = Recommender(store, embedder).feedback(action, item)
    return {"id": event.id, "action": event.action, "item": event.item, "at": event.at}


def _settings(request: Request) -> Settings:
    registry: ModelRegistry = request.app.state.registry
    return registry.settings


@router.get("/memory/items")
async def list_items(request: Request, kind: str | None = None, key: str | None = None) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        return {"object": "list", "data": [i.public() for i in store.items(kind, key)]}


@router.post("/memory/items")
async def create_item(body: ItemBody, request: Request) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        return add_item(store, body.text, body.key, body.value, body.polarity, source="api")


@router.patch("/memory/items/{item_id}")
async def edit_item(item_id: int, body: ItemPatch, request: Request) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        return store.edit(item_id, value=body.value, polarity=body.polarity, source="api").public()


@router.delete("/memory/items/{item_id}")
async def delete_item(item_id: int, request: Request) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        store.delete(item_id)
    return {"id": item_id, "deleted": True}


@router.get("/memory/export")
async def export_memory(request: Request) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        return store.export()


@router.post("/memory/erase")
async def erase(request: Request) -> dict[str, Any]:
    with MemoryStore.at_home(_settings(request).home) as store:
        return {"erased_rows": store.erase()}


@router.post("/recommendations")
async def recommendations(body: RecommendBody, request: Request) -> dict[str, Any]:
    registry: ModelRegistry = request.app.state.registry
    embedder = await run_in_threadpool(registry.embedder)

    def work() -> list[Suggestion]:
        with MemoryStore.at_home(registry.settings.home) as store:
            return recommend(store, embedder, registry.settings, body.text, city=body.city, budget=body.budget,
                             k=body.k, diversity=body.diversity)

    found = await run_in_threadpool(work)
    return {"object": "list", "data": [s.public() for s in found]}


@router.post("/recommendations/feedback")
async def recommendation_feedback(body: FeedbackBody, request: Request) -> dict[str, Any]:
    registry: ModelRegistry = request.app.state.registry
    embedder = await run_in_threadpool(registry.embedder)
    with MemoryStore.at_home(registry.settings.home) as store:
        return feedback(store, embedder, body.item_id, body.action)
