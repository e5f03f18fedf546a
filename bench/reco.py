"""Recommendation benchmark: NDCG@10, recall@10 and coverage of Tandem's recommender against popularity
and random baselines, on simulated users with hidden tastes over the partners' real catalogs.

    .venv/bin/python bench/reco.py [--users 200] [--seeds 3] [--train 10] [--test 5]

No public interaction data set installs from a package here, so users are simulated. The simulator knows
nothing of the recommender: each user has a home city, a propensity per domain (food, film, event,
product) and a hidden affinity for every attribute value in the catalog (cuisine, cinema, venue, kind,
brand, category, price band ...), drawn at random with a few strong likes. Items also have a shared
quality (the restaurant's rating, else a random draw), so popularity is a fair baseline rather than a
straw man. A user's choices are the highest-utility unseen item of a sampled domain, with Gumbel noise
(a logit choice model). The first ``--train`` choices go into the user's memory as accepted items; the
next ``--test`` choices are held out. Every method ranks the same candidates: items in the user's city
(products in their region) that the user has not chosen yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.memory.candidates import CHINA_CITIES, Candidate, load_candidates
from tandem.memory.evaluate import Scores, summarise
from tandem.memory.recommend import Recommender, Request
from tandem.memory.store import MemoryStore

DATA = Path(__file__).resolve().parents[1] / "tandem" / "partners" / "data"
FAMILIES = ("cuisine", "kind", "category", "brand", "cinema", "venue", "film", "price_band")
NOW = dt.datetime(2026, 11, 29, 12, 0)


@dataclass
class User:
    """A simulated user and what they chose."""

    city: str
    taste: dict[tuple[str, str], float]  # (attribute, value) -> hidden affinity
    domains: dict[str, float]  # domain -> propensity
    train: list[Candidate]
    test: list[Candidate]


class CachedEmbedder:
    """The real embedder, memoised across users (every user's store starts empty)."""

    def __init__(self, inner: object) -> None:
        self.inner, self.id = inner, str(getattr(inner, "id", "embedder"))
        self.memo: dict[tuple[bool, str], list[float]] = {}

    def load(self, path: Path | None) -> None:
        if path is not None and path.exists():
            self.memo.update({(q == "q", t): v for q, t, v in json.loads(path.read_text(encoding="utf-8"))})

    def save(self, path: Path | None) -> None:
        if path is not None:
            path.write_text(json.dumps([("q" if q else "p", t, v) for (q, t), v in self.memo.items()]),
                            encoding="utf-8")

    def _get(self, texts: Sequence[str], query: bool) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if (query, t) not in self.memo]
        if todo:
            fn = self.inner.embed_query if query else self.inner.embed  # type: ignore[attr-defined]
            self.memo.update({(query, t): v for t, v in zip(todo, fn(todo), strict=True)})
        return [self.memo[(query, t)] for t in texts]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self._get(texts, False)

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        return self._get(texts, True)


def candidates_for(city: str, catalog: list[Candidate]) -> list[Candidate]:
    region = "CN" if city in CHINA_CITIES else "EU"
    return [c for c in catalog if c.attributes.get("city") == city or c.attributes.get("region") == region]


def quality(catalog: list[Candidate], rng: np.random.Generator) -> dict[str, float]:
    """A shared, standardised quality per item: the rating where partners give one, else random."""
    raw = {c.id: (c.popularity if c.domain == "food" and c.popularity else float("nan")) for c in catalog}
    rated = np.array([v for v in raw.values() if v == v])
    mean, std = (float(rated.mean()), float(rated.std()) or 1.0) if len(rated) else (0.0, 1.0)
    return {k: (v - mean) / std if v == v else float(rng.normal()) for k, v in raw.items()}


def simulate(catalog: list[Candidate], n_users: int, n_train: int, n_test: int, seed: int) -> list[User]:
    rng = np.random.default_rng(seed)
    q = quality(catalog, rng)
    cities = Counter(c.attributes["city"] for c in catalog if "city" in c.attributes)
    names, weights = list(cities), np.array(list(cities.values()), dtype=float)
    values = {(f, c.attributes[f]) for c in catalog for f in FAMILIES if f in c.attributes}
    users = []
    for _ in range(n_users):
        city = str(rng.choice(names, p=weights / weights.sum()))
        taste = {v: float(rng.normal(0, 1)) for v in sorted(values)}
        for v in rng.choice(len(taste), size=3, replace=False):
            taste[sorted(values)[v]] += 2.0  # a few strong likes
        pool = candidates_for(city, catalog)
        present = sorted({c.domain for c in pool})
        share = rng.dirichlet(np.ones(len(present)))
        chosen: list[Candidate] = []
        while len(chosen) < n_train + n_test:
            domain = present[int(rng.choice(len(present), p=share))]
            options = [c for c in pool if c.domain == domain and c not in chosen]
            if not options:
                if all(c in chosen for c in pool):
                    break
                continue
            utility = [sum(taste.get((f, c.attributes[f]), 0.0) for f in FAMILIES if f in c.attributes)
                       + 0.7 * q[c.id] + float(rng.gumbel()) for c in options]
            chosen.append(options[int(np.argmax(utility))])
        users.append(User(city, taste, dict(zip(present, share, strict=True)), chosen[:n_train], chosen[n_train:]))
    return users


def rank_tandem(user: User, pool: list[Candidate], embedder: CachedEmbedder, diversity: float) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "memory.db", _KEY)
        recommender = Recommender(store, embedder, _VECTORS)
        for item in user.train:
            recommender.feedback("accept", item)
        ranked = recommender.recommend(Request(text="", city=user.city, now=NOW), pool, k=10, diversity=diversity)
        store.close()
    return [s.candidate.id for s in ranked]


def evaluate(catalog: list[Candidate], users: list[User], embedder: CachedEmbedder, seed: int) -> list[Scores]:
    popular = Counter(c.id for u in users for c in u.train)
    rng = random.Random(seed)
    runs: dict[str, list[list[str]]] = {"tandem (MMR 0.3)": [], "tandem (no MMR)": [], "popularity": [],
                                        "random": []}
    relevant = [{c.id for c in u.test} for u in users]
    for user in users:
        seen = {c.id for c in user.train}
        pool = [c for c in candidates_for(user.city, catalog) if c.id not in seen]
        runs["tandem (MMR 0.3)"].append(rank_tandem(user, pool, embedder, 0.3))
        runs["tandem (no MMR)"].append(rank_tandem(user, pool, embedder, 0.0))
        ids = [c.id for c in pool]
        rng.shuffle(ids)  # random order first, so popularity ties break at random
        runs["random"].append(ids[:10])
        runs["popularity"].append(sorted(ids, key=lambda i: -popular[i])[:10])
    return [summarise(name, ranked, relevant, len(catalog)) for name, ranked in runs.items()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--train", type=int, default=10)
    parser.add_argument("--test", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="Keep the catalog's vectors in this JSON file between runs.")
    args = parser.parse_args(argv)
    from tandem.models.embeddings import E5Embedder

    started = time.perf_counter()
    catalog = load_candidates(DATA, NOW)
    embedder = CachedEmbedder(E5Embedder())
    embedder.load(args.cache)
    embedder.embed([c.text for c in catalog])
    embedder.save(args.cache)
    print(f"catalog: {len(catalog)} items ({dict(Counter(c.domain for c in catalog))}); embedded in "
          f"{time.perf_counter() - started:.1f} s with {embedder.id}")
    totals: dict[str, list[Scores]] = {}
    for seed in range(args.seeds):
        users = simulate(catalog, args.users, args.train, args.test, seed)
        for scores in evaluate(catalog, users, embedder, seed):
            totals.setdefault(scores.method, []).append(scores)
    print(f"\n{args.users} simulated users x {args.seeds} seeds; {args.train} choices learned, {args.test} held out\n")
    print(f"{'method':18} {'NDCG@10':>8} {'recall@10':>10} {'coverage':>9}")
    means = {}
    for method, runs in totals.items():
        ndcg, recall, cov = (float(np.mean([getattr(r, f) for r in runs])) for f in ("ndcg", "recall", "coverage"))
        means[method] = ndcg
        print(f"{method:18} {ndcg:8.4f} {recall:10.4f} {cov:9.3f}")
    gain = means["tandem (MMR 0.3)"] / means["popularity"] - 1 if means["popularity"] else float("inf")
    print(f"\nNDCG@10 vs popularity: {gain:+.1%} (goal ≥ +20%); total {time.perf_counter() - started:.0f} s")


_VECTORS: dict[str, np.ndarray] = {}  # catalog vectors shared by every simulated user's recommender
_KEY = b"ZmFrZS1iZW5jaC1rZXktMzItYnl0ZXMtbG9uZy0xMjM="  # a fixed Fernet key for throwaway bench stores

if __name__ == "__main__":
    main()
