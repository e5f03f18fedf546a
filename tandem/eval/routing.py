"""Routing: how much quality a difficulty router buys per call to the strong (cloud) model, as RouteLLM
measures it, on RouteLLM's per-prompt correctness labels (MMLU, GSM8K).

A response table is any CSV with a ``prompt`` column and one True/False column per model. The router
sends the prompts it scores hardest to the strong model; for every share of strong calls from 0 % to
100 % (in 1 % steps) the mixed accuracy gives the performance gap recovered,
``PGR = (acc - acc_weak) / (acc_strong - acc_weak)``. APGR is the area under PGR over the share of strong
calls (a random router scores 0.5); CPT(x) is the smallest share of strong calls that recovers x of the
gap. Prompts RouteLLM lists as contaminated (``contaminated_prompts.jsonl``) are left out, as RouteLLM does.
"""

from __future__ import annotations

import csv
import json
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun, require, take
from tandem.eval.report import Report

__all__ = ["STRONG", "WEAK", "Curve", "Labelled", "curve", "held_out", "load", "run"]

WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1"  # RouteLLM's weak model
STRONG = "gpt-4-1106-preview"  # RouteLLM's strong model


@dataclass(frozen=True)
class Labelled:
    """One prompt and whether each model answered it correctly."""

    prompt: str
    weak: bool
    strong: bool


@dataclass(frozen=True)
class Curve:
    """Quality against the share of strong-model calls, for one router on one benchmark."""

    shares: tuple[float, ...]  # share of prompts sent to the strong model, 0..1
    pgr: tuple[float, ...]  # performance gap recovered at each share
    weak_acc: float
    strong_acc: float

    @property
    def apgr(self) -> float:
        pairs = list(zip(self.shares, self.pgr, strict=True))
        return sum((s1 - s0) * (p0 + p1) / 2 for (s0, p0), (s1, p1) in pairwise(pairs))

    def cpt(self, target: float) -> float:
        """Smallest share of strong calls with PGR >= ``target`` (1.0 if never)."""
        return next((s for s, p in zip(self.shares, self.pgr, strict=True) if p >= target), 1.0)


def held_out(prompt: str) -> bool:
    """The fifth of RouteLLM's prompts the on-device difficulty router was not trained on (the split
    ``bench/train_difficulty.py`` uses): only these are scored on the default data."""
    return zlib.crc32(prompt.encode("utf-8")) % 5 == 0


def _contaminated(folder: Path) -> set[str]:
    path = folder / "contaminated_prompts.jsonl"
    if not path.is_file():
        return set()
    return {json.loads(line)["eval_prompt"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def _read_csv(path: Path, weak: str, strong: str, skip: set[str]) -> list[Labelled]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"prompt", weak, strong} <= rows[0].keys():
        raise ConfigError(f"{path.name} has no prompt/{weak}/{strong} columns")
    return [Labelled(r["prompt"], r[weak] == "True", r[strong] == "True") for r in rows if r["prompt"] not in skip]


def load(data: Path, weak: str = WEAK, strong: str = STRONG) -> dict[str, list[Labelled]]:
    """Benchmark -> labelled prompts, from one CSV or each top-level folder of CSVs under ``data``."""
    require(data, "RouteLLM data")
    if data.is_file():
        return {data.stem: _read_csv(data, weak, strong, _contaminated(data.parent))}
    out: dict[str, list[Labelled]] = {}
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        skip = _contaminated(folder)
        rows = [r for path in sorted(folder.rglob("*.csv")) for r in _read_csv(path, weak, strong, skip)]
        if rows:
            out[folder.name] = rows
    if not out:
        raise ConfigError(f"no response CSVs under {data}", hint="point --data at RouteLLM's eval data")
    return out


def curve(rows: Sequence[Labelled], scores: Sequence[float], steps: int = 100) -> Curve:
    """PGR at each share of strong calls, sending the highest-scored prompts to the strong model."""
    n = len(rows)
    order = sorted(range(n), key=lambda i: -scores[i])
    weak_acc = sum(r.weak for r in rows) / n
    strong_acc = sum(r.strong for r in rows) / n
    gap = strong_acc - weak_acc
    gain = [0]  # gain[k]: correct answers gained by sending the top k prompts to the strong model
    for i in order:
        gain.append(gain[-1] + rows[i].strong - rows[i].weak)
    shares, pgr = [], []
    for step in range(steps + 1):
        k = round(n * step / steps)
        acc = weak_acc + gain[k] / n
        shares.append(step / steps)
        pgr.append((acc - weak_acc) / gap if gap else 0.0)
    return Curve(tuple(shares), tuple(pgr), weak_acc, strong_acc)


def _scored(run: EvalRun, rows: list[Labelled], name: str, score: Callable[[str], float]) -> list[float]:
    out: list[float] = []
    run.progress(f"routing {name}", 0, len(rows))
    for i, row in enumerate(rows):
        out.append(score(row.prompt))
        run.progress(f"routing {name}", i + 1, len(rows))
    return out


def run(run: EvalRun) -> Report:
    """APGR and CPT(50%)/CPT(80%) per benchmark for the injected difficulty router."""
    if run.difficulty is None:
        raise ConfigError("the routing suite needs a difficulty router", hint="run it through `tandem eval routing`")
    started = time.monotonic()
    only_held_out = bool(run.options.get("held_out_only"))
    rows: dict[str, dict[str, float | int]] = {}
    for name, labelled in load(run.data).items():
        chosen = list(take((r for r in labelled if not only_held_out or held_out(r.prompt)), run.limit))
        result = curve(chosen, _scored(run, chosen, name, run.difficulty))
        rows[name] = {"apgr": result.apgr, "cpt50": result.cpt(0.5), "cpt80": result.cpt(0.8),
                      "weak_acc": result.weak_acc, "strong_acc": result.strong_acc, "n": len(chosen)}
    notes = [f"Weak model {WEAK}, strong model {STRONG} (RouteLLM's pair). APGR of a random router: 50.0; "
             "cpt50/cpt80: % of calls to the strong model needed to recover 50 %/80 % of the gap.",
             "Only the held-out fifth of the prompts (never trained on) is scored." if only_held_out else
             "Every prompt in the data is scored."]
    return Report(suite="routing", data=str(run.data), rows=rows, limit=run.limit,
                  options={"held_out_only": only_held_out}, notes=notes, seconds=time.monotonic() - started)
