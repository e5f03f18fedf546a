"""Train the on-device difficulty router on RouteLLM's public correctness labels and write its weights.

A prompt is labelled hard (1) when the weaker model (Mixtral-8x7B) answered it wrongly. Exam questions
alone would teach the router that everything is an exam, so everyday assistant requests (the Snips
single-intent utterances: weather, music, bookings) are added as easy (0) anchors: a small on-device
model serves those well. Prompts are split by a hash of their text: one in five is held out for
``bench/router.py`` and never trained on.

    .venv/bin/python bench/train_difficulty.py [--eval-dir ../shared/eval]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
import zlib
from pathlib import Path

import numpy as np

from tandem.router.difficulty import train

WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1"
OUT = Path(__file__).resolve().parent.parent / "tandem" / "router" / "difficulty_weights.npz"


def held_out(prompt: str) -> bool:
    return zlib.crc32(prompt.encode("utf-8")) % 5 == 0


def load_routellm(eval_dir: Path) -> list[tuple[str, str, int]]:
    """(dataset, prompt, hard) for every labelled MMLU and GSM8K prompt, plus the easy anchors."""
    csv.field_size_limit(1 << 30)
    rows: list[tuple[str, str, int]] = []
    for path in sorted((eval_dir / "routellm" / "mmlu" / "responses").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows.extend(("mmlu", r["prompt"], int(r[WEAK] != "True")) for r in csv.DictReader(f))
    with (eval_dir / "routellm" / "gsm8k" / "gsm8k_responses.csv").open(encoding="utf-8") as f:
        rows.extend(("gsm8k", r["prompt"], int(r[WEAK] != "True")) for r in csv.DictReader(f))
    for path in sorted((eval_dir / "snips").glob("*/*/train_*_full.json")):
        data = json.loads(path.read_text(encoding="latin-1"))
        for utterances in data.values():
            rows.extend(("assistant", "".join(p["text"] for p in u["data"]), 0) for u in utterances[::7])
    return rows


def auc(scores: list[float], labels: list[int]) -> float:
    """Probability that a random hard prompt scores above a random easy one."""
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = np.asarray(labels) == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    args = parser.parse_args()
    rows = load_routellm(args.eval_dir)
    train_rows = [r for r in rows if not held_out(r[1])]
    test_rows = [r for r in rows if held_out(r[1])]
    started = time.monotonic()
    model = train([r[1] for r in train_rows], [r[2] for r in train_rows])
    print(f"trained on {len(train_rows)} prompts in {time.monotonic() - started:.1f}s")
    for name, part in (("train", train_rows), ("held-out", test_rows),
                       ("held-out mmlu+gsm8k", [r for r in test_rows if r[0] != "assistant"])):
        print(f"{name}: AUC {auc([model.score_text(r[1]) for r in part], [r[2] for r in part]):.3f} (n={len(part)})")
    # float16 keeps the file small (15 kB); scores move by < 1e-3
    np.savez_compressed(OUT, sparse=model.sparse.astype(np.float16), dense=model.dense.astype(np.float16))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
