"""Suggestions come only from partners the user has and may be offered (walk2 W2-7): `recommend` without a city
listed Beijing restaurants in CNY to a user in Germany, from the catalog files of every reference partner, whatever
the region or the installed services."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.app.memory import feedback, recommend
from tandem.config import load_settings
from tandem.errors import NotFound
from tandem.memory import MemoryStore
from tandem.memory.recommend import Suggestion
from tandem.services.registry import ServiceRegistry
from tests.memory.conftest import TrigramEmbedder


def _where(found: list[Suggestion]) -> set[tuple[str, str | None]]:
    return {(s.candidate.attributes.get("city") or s.candidate.attributes["region"], s.candidate.currency)
            for s in found}


@pytest.mark.parametrize(("region", "cities"), [("DE", {"Berlin", "Munich", "EU"}),
                                                ("CN", {"Beijing", "Hangzhou", "Shanghai", "CN"})])
def test_without_a_city_only_the_regions_partners_are_suggested(
        home: Path, store: MemoryStore, embedder: TrigramEmbedder, region: str, cities: set[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_REGION", region)
    for text in ("something to eat", "what should we do tonight", "a kettle"):
        found = recommend(store, embedder, load_settings(), text, k=30)
        assert found and {city for city, _ in _where(found)} <= cities, (text, _where(found))


def test_a_disabled_partner_suggests_nothing(home: Path, store: MemoryStore, embedder: TrigramEmbedder) -> None:
    settings = load_settings()
    services = ServiceRegistry(settings)
    services.set_enabled("gabelpost.food", False)
    services.close()
    found = recommend(store, embedder, settings, "what should we do tonight", k=30)
    assert found and "food" not in {s.candidate.domain for s in found}


def test_feedback_on_an_item_no_partner_here_sells_is_not_found(home: Path, store: MemoryStore,
                                                                 embedder: TrigramEmbedder) -> None:
    with pytest.raises(NotFound):
        feedback(store, embedder, load_settings(), "food:bj-r000", "accept")
