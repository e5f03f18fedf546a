"""Ranked suggestions across partners for a request ("what should we do tonight?", "something to eat near
me", "a film for Saturday"), each with the reason it was chosen.

Every candidate gets a score from four signals, each standardised over the candidates so that none
drowns the others by scale:

* **request**: how close the item's text is to the request (on-device e5 embeddings, query vs passage);
* **taste**: closeness to what the user accepted or completed before (a recency-weighted mean of those
  items' embeddings, minus dismissed ones), plus exact matches with stated and learned memory items
  (the usual cinema, a liked cuisine, a price band), log-damped so one habit does not decide everything;
* **popularity**: a partner-side signal (rating), weak, mostly useful when nothing is known yet;
* **freshness**: things happening soon are timely, dismissed or repeatedly ignored items step back.

Hard context filters come first (city, budget, time window, stated avoidances). Then maximal marginal
relevance picks the list, trading score against similarity to what was already picked, so ten answers are
not ten branches of one chain. Feedback (accept/dismiss) goes back into memory through ``feedback``.
What a request asks for (domains, budget, day) is read by ``request.parse_request``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from tandem.memory.candidates import CHINA_CITIES, Candidate
from tandem.memory.learn import learn_from_item
from tandem.memory.request import Request, fold, parse_request
from tandem.memory.store import Event, MemoryItem, MemoryStore
from tandem.models.base import Embedder

__all__ = ["Recommender", "Request", "Suggestion", "fold", "parse_request"]

_HALF_LIFE_DAYS = 60.0  # how fast old choices fade from the taste vector
_GENERIC = frozenset({"show", "shows", "event", "events", "thing", "things", "place", "places", "stuff", "food",
                      "films", "film", "movies", "movie"})  # words that do not tell one item from another


@dataclass(frozen=True)
class Suggestion:
    """One ranked suggestion."""

    candidate: Candidate
    score: float  # the combined score before diversity (higher is better)
    reason: str  # why, in one line the user can read
    signals: dict[str, float]  # the standardised signals behind the score: request, taste, memory, popularity, fresh

    def public(self) -> dict[str, Any]:
        return {**self.candidate.public(), "score": round(self.score, 4), "reason": self.reason,
                "signals": {k: round(v, 3) for k, v in self.signals.items()}}


def _standardise(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class _Scored:
    """The eligible candidates with their vectors and every signal, before diversity."""

    items: list[Candidate]
    vectors: np.ndarray  # centred unit vectors, one row per item
    signals: dict[str, np.ndarray]  # name -> standardised signal per item
    score: np.ndarray  # weighted sum of the signals
    matches: list[list[MemoryItem]]  # memory items each candidate matches
    similar: list[str]  # title of the past choice closest to each candidate ("" when none)


class Recommender:
    """Ranks candidates for one user's memory with an embedder (``ModelRegistry.embedder()`` on the device).
    Cheap to make; catalog vectors are cached in the store."""

    weights: ClassVar[dict[str, float]] = {"request": 1.0, "taste": 1.0, "memory": 1.0, "popularity": 0.3, "fresh": 1.0}

    def __init__(self, store: MemoryStore, embedder: Embedder, cache: dict[str, np.ndarray] | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self._cache = cache if cache is not None else {}  # text digest -> vector; may be shared in one process

    # vectors -------------------------------------------------------------------------------------------
    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors for ``texts``, from the in-process cache, the store's cache or the embedder."""
        tags = [_digest(t) for t in texts]
        missing = [t for t in dict.fromkeys(tags) if t not in self._cache]
        if missing:
            stored = self.store.vectors(self.embedder.id, missing)
            self._cache.update({t: np.frombuffer(v, dtype=np.float32) for t, v in stored.items()})
            todo = {tag: text for tag, text in zip(tags, texts, strict=True) if tag not in self._cache}
            if todo:
                fresh = np.asarray(self.embedder.embed(list(todo.values())), dtype=np.float32)
                self._cache.update(zip(todo, fresh, strict=True))
                self.store.save_vectors(self.embedder.id, {t: self._cache[t].tobytes() for t in todo})
        return np.stack([self._cache[t] for t in tags]) if tags else np.zeros((0, 1), dtype=np.float32)

    # ranking -------------------------------------------------------------------------------------------
    def recommend(self, request: Request, candidates: Sequence[Candidate], k: int = 10,
                  diversity: float = 0.3) -> list[Suggestion]:
        """The ``k`` best candidates for ``request``, diverse by ``diversity`` (0: pure score, 1: spread)."""
        memory = self.store.items()
        budget = request.budget if request.budget is not None else _stated_budget(memory)
        items = [c for c in candidates if _eligible(c, request, memory, budget)]
        if not items:
            return []
        scored = self._score(request, items, memory, self.store.events(limit=500))
        quota = math.ceil(k / len(request.domains)) if len(request.domains) > 1 else k  # "tonight": a mix
        picked = _mmr(scored.score, scored.vectors, k, diversity, [c.domain for c in items], quota)
        return [Suggestion(scored.items[i], float(scored.score[i]), _reason(scored, i, request, budget),
                           {name: float(values[i]) for name, values in scored.signals.items()}) for i in picked]

    def _score(self, request: Request, items: list[Candidate], memory: list[MemoryItem],
               events: list[Event]) -> _Scored:
        raw = self.passages([c.text for c in items])
        centre = raw.mean(axis=0)
        vectors = _unit(raw - centre)
        signals: dict[str, np.ndarray] = {}
        if request.text.strip():
            embed_query = getattr(self.embedder, "embed_query", self.embedder.embed)  # e5 has a query prefix
            query = np.asarray(embed_query([request.text])[0], dtype=np.float32)
            signals["request"] = _standardise(raw @ query)
        taste, similar = self._taste(items, vectors, centre, events, request.now)
        signals["taste"] = _standardise(taste)
        matches = [[m for m in memory if _matches(m, c)] for c in items]
        signals["memory"] = _standardise(_memory_signal(matches, len(items)))
        signals["popularity"] = _within_domains(items, np.log1p(np.array([max(c.popularity, 0.0) for c in items])))
        signals["fresh"] = _freshness(items, events, request.now)
        score = sum(self.weights[name] * values for name, values in signals.items())
        return _Scored(items, vectors, signals, np.asarray(score, dtype=np.float64), matches, similar)

    def _taste(self, items: list[Candidate], vectors: np.ndarray, centre: np.ndarray, events: list[Event],
               now: dt.datetime) -> tuple[np.ndarray, list[str]]:
        """Similarity to past choices: a recency-weighted mean of what was accepted or completed, minus half
        of what was dismissed; and the closest past choice per candidate, for the reason."""
        past = [e for e in events if e.action in ("accept", "complete", "dismiss") and e.detail.get("text")]
        if not past:
            return np.zeros(len(items)), [""] * len(items)
        past_vectors = _unit(self.passages([str(e.detail["text"]) for e in past]) - centre)
        sign = np.array([-0.5 if e.action == "dismiss" else 1.0 for e in past])
        decay = np.array([0.5 ** (_age_days(e.at, now) / _HALF_LIFE_DAYS) for e in past])
        taste = (sign * decay) @ past_vectors
        if float(np.linalg.norm(taste)) < 1e-9:
            return np.zeros(len(items)), [""] * len(items)
        liked = [i for i, e in enumerate(past) if e.action != "dismiss"]
        closest = (vectors @ past_vectors[liked].T).argmax(axis=1) if liked else None
        similar = [str(past[liked[j]].detail.get("title", "")) for j in closest] if closest is not None else \
            [""] * len(items)
        return vectors @ (taste / np.linalg.norm(taste)), similar

    # feedback ------------------------------------------------------------------------------------------
    def feedback(self, action: str, candidate: Candidate) -> Event:
        """Accept: the item's attributes become facts and its text joins the taste vector. Dismiss: it steps
        back in later rankings and pulls the taste vector away from it."""
        detail = {"title": candidate.title, "text": candidate.text, "domain": candidate.domain,
                  "attributes": candidate.attributes}
        event = self.store.record(action, candidate.id, detail)
        if action == "accept":
            learn_from_item(self.store, {**candidate.attributes, "domain": candidate.domain},
                            f"feedback:accept:{candidate.id}")
        return event

    def shown(self, suggestions: Sequence[Suggestion]) -> None:
        """Remember what was shown, so items ignored again and again make room for others."""
        for s in suggestions:
            self.store.record("shown", s.candidate.id)


def _within_domains(items: list[Candidate], values: np.ndarray) -> np.ndarray:
    """Standardised per domain: a restaurant's rating and a product's stock are not on one scale."""
    out = np.zeros_like(values, dtype=np.float64)
    for domain in {c.domain for c in items}:
        rows = np.array([c.domain == domain for c in items])
        out[rows] = _standardise(values[rows])
    return out


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 1e-9, norms, 1.0)


def _age_days(iso: str, now: dt.datetime) -> float:
    try:
        then = dt.datetime.fromisoformat(iso)
    except ValueError:
        return 0.0
    if then.tzinfo is not None and now.tzinfo is None:
        then = then.astimezone().replace(tzinfo=None)
    elif then.tzinfo is None and now.tzinfo is not None:
        then = then.replace(tzinfo=now.tzinfo)
    return max((now - then).total_seconds() / 86400.0, 0.0)


def _stated_budget(memory: list[MemoryItem]) -> float | None:
    for m in memory:
        if m.key == "price_max" and m.polarity > 0:
            try:
                return float(m.value)
            except ValueError:
                continue
    return None


def _matches(m: MemoryItem, c: Candidate) -> bool:
    """Whether a memory item speaks about this candidate: the same attribute value, or (for free words
    like a genre, a diet or a dislike) the word in the item's text."""
    if m.key == "price_max":
        return False
    value = fold(m.value)
    if m.key == "domain":
        return c.domain == value
    if m.key in c.attributes:
        return fold(c.attributes[m.key]) == value
    if m.key in ("genre", "diet", "like", "avoid", "cuisine"):
        words = [w.rstrip("s") for w in re.findall(r"\w+", value) if w not in _GENERIC]
        text = fold(c.text)
        return bool(words) and all(len(w) >= 3 and w in text for w in words)
    return False


def _memory_signal(matches: list[list[MemoryItem]], n: int) -> np.ndarray:
    """Matched memory items, each weighted by how rare it is among the candidates (as in tf-idf): a liked
    cinema singles out a few items, a liked price band half the catalog, and should count for less."""
    share: dict[int, int] = {}
    for ms in matches:
        for m in ms:
            share[m.id] = share.get(m.id, 0) + 1
    return np.array([sum(_strength(m) * math.log(1 + n / share[m.id]) for m in ms) for ms in matches])


def _strength(m: MemoryItem) -> float:
    return m.polarity * (1.0 + math.log(max(m.weight, 1.0)))


def _price_in(c: Candidate, city: str | None) -> float | None:
    """The candidate's price in the currency of the user's city (CNY ≈ 7 EUR)."""
    if c.price is None:
        return None
    user_cny = city in CHINA_CITIES if city else c.currency == "CNY"
    if (c.currency == "CNY") == user_cny:
        return c.price
    return c.price * 7.0 if user_cny else c.price / 7.0


def _eligible(c: Candidate, request: Request, memory: list[MemoryItem], budget: float | None) -> bool:
    if request.domains and c.domain not in request.domains:
        return False
    city = c.attributes.get("city")
    if request.city and city and fold(city) != fold(request.city):
        return False
    if request.city and "region" in c.attributes and (c.attributes["region"] == "CN") != (request.city in CHINA_CITIES):
        return False
    price = _price_in(c, request.city)
    if budget is not None and price is not None and price > budget:
        return False
    if c.starts_at:
        starts = dt.datetime.fromisoformat(c.starts_at)
        if starts < request.now.replace(tzinfo=None) or (request.day and starts.date() != request.day):
            return False
    return not any(m.polarity < 0 and m.kind == "preference" and _matches(m, c) for m in memory)


def _freshness(items: list[Candidate], events: list[Event], now: dt.datetime) -> np.ndarray:
    dismissed = {e.item for e in events if e.action == "dismiss" and _age_days(e.at, now) < 30}
    accepted = {e.item for e in events if e.action in ("accept", "complete")}
    shown: dict[str, int] = {}
    for e in events:
        if e.action == "shown" and _age_days(e.at, now) < 14:
            shown[e.item] = shown.get(e.item, 0) + 1
    fresh = np.zeros(len(items))
    for i, c in enumerate(items):
        if c.id in dismissed:
            fresh[i] -= 3.0
        if shown.get(c.id, 0) >= 3 and c.id not in accepted:
            fresh[i] -= 0.5
        if c.starts_at and _age_days(now.replace(tzinfo=None).isoformat(),
                                     dt.datetime.fromisoformat(c.starts_at)) <= 1.5:
            fresh[i] += 0.3  # happening within a day and a half: timely
        if c.added_at and _age_days(c.added_at, now) < 14:
            fresh[i] += 0.3  # new in the catalog
    return fresh


def _mmr(score: np.ndarray, vectors: np.ndarray, k: int, diversity: float, domains: list[str],
         quota: int) -> list[int]:
    """Maximal marginal relevance: each pick maximises (1-d)·score - d·(similarity to the picks so far).
    A domain that already has ``quota`` picks waits until the other domains run out."""
    span = float(score.max() - score.min())
    relevance = (score - score.min()) / span if span > 1e-9 else np.zeros_like(score)
    picked: list[int] = []
    closest = np.full(len(score), -1.0)
    taken: dict[str, int] = {}
    for _ in range(min(k, len(score))):
        value = (1 - diversity) * relevance - diversity * np.maximum(closest, 0.0)
        value[picked] = -np.inf
        full = np.array([taken.get(d, 0) >= quota for d in domains])
        if not np.all(full | np.isneginf(value)):
            value[full] = -np.inf
        best = int(value.argmax())
        picked.append(best)
        taken[domains[best]] = taken.get(domains[best], 0) + 1
        closest = np.maximum(closest, vectors @ vectors[best])
    return picked


def _reason(scored: _Scored, i: int, request: Request, budget: float | None) -> str:
    c, signals = scored.items[i], {k: float(v[i]) for k, v in scored.signals.items()}
    parts = []
    telling = [m for m in scored.matches[i] if m.key not in ("domain", "city")]  # "you chose food" says nothing
    strongest = max(telling, key=_strength, default=None)
    if strongest is not None and strongest.polarity > 0 and signals["memory"] > 0:
        if strongest.kind == "preference":
            parts.append(f"you told me you like {strongest.value} ({strongest.key.replace('_', ' ')})")
        else:
            parts.append(f"you chose {strongest.value} {round(strongest.weight)}× before")
    if signals["taste"] > 0.5 and scored.similar[i] and scored.similar[i] != c.title:
        parts.append(f"similar to {scored.similar[i]}, which you liked")
    if signals.get("request", 0.0) > 0.5:
        parts.append(f"matches “{request.text.strip()}”")
    if c.starts_at and signals["fresh"] > 0:
        parts.append(f"on soon ({c.starts_at.replace('T', ' ')})")
    if not parts:
        parts.append(f"popular (rated {c.popularity:g})" if signals["popularity"] > 0.5 else "something new to try")
    if budget is not None and c.price is not None:
        parts.append(f"within your budget of {budget:g}")
    return "; ".join(parts)
