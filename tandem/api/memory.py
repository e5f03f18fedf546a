"""The memory and recommendation endpoints (the logic is ``tandem.app.memory``, shared with the CLI).

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

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tandem.api.bodies import ParsedRoute
from tandem.app.memory import add_item, feedback, recommend
from tandem.config import Settings
from tandem.memory import MemoryStore
from tandem.memory.recommend import Suggestion
from tandem.models.registry import ModelRegistry

__all__ = ["FeedbackBody", "ItemBody", "ItemPatch", "RecommendBody", "router"]

router = APIRouter(route_class=ParsedRoute, prefix="/v1")


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
    budget: float | None = Field(None, gt=0, allow_inf_nan=False)  # "Infinity" is JSON to Python, no budget
    k: int = Field(10, ge=1, le=50)
    diversity: float = Field(0.3, ge=0.0, le=1.0)


class FeedbackBody(BaseModel):
    item_id: str
    action: Literal["accept", "dismiss"]


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
        return feedback(store, embedder, registry.settings, body.item_id, body.action)
