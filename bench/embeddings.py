"""On-device embeddings: one request's sentence on one OpenMP thread against all threads, side by side, on a quiet
machine and while other processes keep the cores busy (as a model decoding on the device does).

    .venv/bin/python bench/embeddings.py [--rounds 8] [--busy 2]

Prints p50/p95 ms per sentence for each setting and phase, and the load average next to it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.models.embeddings import E5Embedder

SENTENCES = [  # requests as a user types them; not bench items
    "Kannst du mir zwei Karten für Dune heute Abend reservieren?",
    "order a large pizza to the office please",
    "帮我订两张今晚沙丘的票",
    "ich brauche eine Route zum Hauptbahnhof mit der U-Bahn",
    "remind me to call mom at six",
]


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


@contextmanager
def _busy(n: int) -> Iterator[None]:
    stop = multiprocessing.Event()
    workers = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(n)]
    for w in workers:
        w.start()
    try:
        time.sleep(1.0)
        yield
    finally:
        stop.set()
        for w in workers:
            w.join()


def _times(embedder: E5Embedder, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for s in SENTENCES:
            t = time.perf_counter()
            embedder.embed_query([s])
            out.append((time.perf_counter() - t) * 1000)
    return sorted(out)


def _line(name: str, ms: list[float]) -> str:
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    return f"  {name:<12} p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  (n={len(ms)})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=8, help="passes over the sentences per setting and phase")
    ap.add_argument("--busy", type=int, default=2, help="busy processes in the loaded phase (0: quiet only)")
    args = ap.parse_args()
    one, every = E5Embedder(), E5Embedder(few=0)  # few=0: even one sentence on all threads (before this change)
    one.embed_query(["warm"])
    every.embed_query(["warm"])
    phases = [("quiet", 0)] + ([(f"{args.busy} busy", args.busy)] if args.busy else [])
    for name, n in phases:
        with _busy(n):
            print(f"{name} (load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores):", flush=True)
            results = {"one thread": [], "all threads": []}
            for _ in range(2):  # interleaved, so drift in the machine's load hits both alike
                results["one thread"] += _times(one, args.rounds // 2)
                results["all threads"] += _times(every, args.rounds // 2)
            for key, ms in results.items():
                print(_line(key, sorted(ms)))
            print(f"  (load after {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
