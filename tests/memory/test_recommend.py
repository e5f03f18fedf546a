"""Recommendations over the partners' real catalogs: context filters, learned tastes, feedback, freshness,
diversity and reasons. Ranking logic with a deterministic embedder (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.memory import MemoryStore
from tandem.memory.candidates import Candidate
from tandem.memory.evaluate import coverage, ndcg_at_k, recall_at_k, summarise
from tandem.memory.learn import Statement, parse_statement
from tandem.memory.recommend import Recommender
from tandem.memory.request import parse_request

SATURDAY_NOON = dt.datetime(2026, 11, 28, 12, 0)


def by_id(catalog: list[Candidate], item_id: str) -> Candidate:
    return next(c for c in catalog if c.id == item_id)


def test_parse_request() -> None:
    tonight = parse_request("what should we do tonight under 40 euros?", SATURDAY_NOON)
    assert set(tonight.domains) == {"event", "film", "food"} and tonight.day == SATURDAY_NOON.date()
    assert tonight.budget == 40
    film = parse_request("a film for Saturday", dt.datetime(2026, 11, 25, 9))
    assert film.domains == ("film",) and film.day == dt.date(2026, 11, 28)
    assert parse_request("something to eat near me", SATURDAY_NOON).domains == ("food",)
    assert parse_request("周六看电影", SATURDAY_NOON).domains == ("film",)


@pytest.mark.parametrize("said", ["a film tonight, my budget is 30", "dinner for maximum 30",
                                  "Abendessen, höchstens 30", "晚饭不超过30"])
def test_a_request_reads_a_budget_in_the_words_a_stated_preference_does(said: str) -> None:
    # words.toml holds the budget words once for both readers (a request read only "under/below/max/budget N" before)
    assert parse_request(said, SATURDAY_NOON).budget == 30
    assert parse_statement(said) == Statement("price_max", "30", 1)


def test_context_filters(store: MemoryStore, embedder: object, catalog: list[Candidate]) -> None:
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    request = parse_request("something to eat under 20", SATURDAY_NOON, city="Berlin")
    found = reco.recommend(request, catalog, k=50)
    assert found and all(s.candidate.domain == "food" and s.candidate.attributes["city"] == "Berlin" for s in found)
    assert all((s.candidate.price or 0) <= 20 for s in found)
    assert all("within your budget of 20" in s.reason for s in found)
    events = reco.recommend(parse_request("a concert on Tuesday", SATURDAY_NOON), catalog, k=50)
    assert events and {s.candidate.starts_at[:10] for s in events if s.candidate.starts_at} == {"2026-12-01"}


def test_stated_avoidance_removes_and_budget_applies(store: MemoryStore, embedder: object,
                                                     catalog: list[Candidate]) -> None:
    store.add("kind", "comedy", polarity=-1)
    store.add("price_max", "15")
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    found = reco.recommend(parse_request("what should we do", SATURDAY_NOON, city="Berlin"), catalog, k=100)
    assert found and not any(s.candidate.attributes.get("kind") == "comedy" for s in found)
    assert all((s.candidate.price or 0) <= 15 for s in found)


def test_accepted_tastes_lead_with_a_reason(store: MemoryStore, embedder: object, catalog: list[Candidate]) -> None:
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    request = parse_request("something to eat", SATURDAY_NOON, city="Berlin")
    before = [s.candidate.attributes["cuisine"] for s in reco.recommend(request, catalog, k=3, diversity=0)]
    turkish = [c for c in catalog if c.attributes.get("cuisine") == "turkish" and c.attributes["city"] == "Berlin"]
    assert len(turkish) >= 3 and before.count("turkish") < 3
    for item in turkish[:2]:
        reco.feedback("accept", item)
    found = reco.recommend(request, catalog, k=3, diversity=0)
    assert [s.candidate.attributes["cuisine"] for s in found] == ["turkish"] * 3
    assert "turkish 2× before" in found[0].reason
    assert store.items(key="cuisine")[0].source.startswith("feedback:accept:food:")


def test_dismissed_items_step_back(store: MemoryStore, embedder: object, catalog: list[Candidate]) -> None:
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    request = parse_request("something to eat", SATURDAY_NOON, city="Munich")
    first = reco.recommend(request, catalog, k=1)[0].candidate
    reco.feedback("dismiss", first)
    assert first.id not in [s.candidate.id for s in reco.recommend(request, catalog, k=3)]


def test_diversity_spreads_the_list(store: MemoryStore, embedder: object, catalog: list[Candidate]) -> None:
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    shanghai = [c for c in catalog if c.attributes.get("city") == "Shanghai"]
    reco.feedback("accept", next(c for c in shanghai if c.attributes.get("cuisine") == "杭帮菜"))
    request = parse_request("吃饭", SATURDAY_NOON, city="Shanghai")
    narrow = {s.candidate.attributes["cuisine"] for s in reco.recommend(request, catalog, k=10, diversity=0.0)}
    wide = {s.candidate.attributes["cuisine"] for s in reco.recommend(request, catalog, k=10, diversity=0.7)}
    assert len(wide) > len(narrow)


def test_vectors_are_cached_in_the_store(home: object, store: MemoryStore, embedder: object,
                                         catalog: list[Candidate]) -> None:
    Recommender(store, embedder).recommend(parse_request("", SATURDAY_NOON), catalog)  # type: ignore[arg-type]
    calls = embedder.calls  # type: ignore[attr-defined]
    Recommender(store, embedder).recommend(parse_request("", SATURDAY_NOON), catalog)  # type: ignore[arg-type]
    assert embedder.calls == calls  # type: ignore[attr-defined]


def test_metrics() -> None:
    assert ndcg_at_k(["a", "b", "c"], {"a"}) == 1.0
    assert round(ndcg_at_k(["x", "a"], {"a", "b"}), 4) == round((1 / 1.5849625) / (1 + 1 / 1.5849625), 4)
    assert recall_at_k(["x", "a"], {"a", "b"}) == 0.5 and ndcg_at_k(["x"], set()) == 0.0
    assert coverage([["a", "b"], ["b", "c"]], 6) == 0.5
    scores = summarise("m", [["a"], ["x"]], [{"a"}, {"b"}], 10)
    assert (scores.ndcg, scores.recall, scores.users) == (0.5, 0.5, 2)


def test_free_word_avoidance_matches_the_words_that_matter(store: MemoryStore, embedder: object,
                                                          catalog: list[Candidate]) -> None:
    store.add("avoid", "comedy shows", polarity=-1)
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    found = reco.recommend(parse_request("an event", SATURDAY_NOON), catalog, k=50)
    assert found and not any(s.candidate.attributes.get("kind") == "comedy" for s in found)
    assert any(s.candidate.attributes.get("kind") == "concert" for s in found)


def test_an_outing_request_gets_a_mix(store: MemoryStore, embedder: object, catalog: list[Candidate]) -> None:
    reco = Recommender(store, embedder)  # type: ignore[arg-type]
    for item in [c for c in catalog if c.attributes.get("cuisine") == "turkish"][:3]:
        reco.feedback("accept", item)  # a strong food habit
    found = reco.recommend(parse_request("what should we do this weekend?", SATURDAY_NOON, city="Berlin"), catalog,
                           k=6)
    assert {s.candidate.domain for s in found} == {"food", "film", "event"}
    assert len(found) == 6
