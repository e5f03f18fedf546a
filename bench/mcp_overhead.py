"""What MCP costs per tool call: the cinema partner's ``seat_map`` called in-process (its SQLite query),
through ServiceHub over stdio, and through ServiceHub over streamable HTTP. Also the cold start.

    .venv/bin/python bench/mcp_overhead.py [--calls 200]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import anyio
import httpx

from tandem.config import load_settings
from tandem.partners import MANIFEST_DIR, cinema
from tandem.services.hub import ServiceHub
from tandem.services.manifest import parse_manifest
from tandem.services.registry import ServiceRegistry


def _manifest(service_id: str, transport: dict[str, Any]) -> Any:
    doc = tomllib.loads((MANIFEST_DIR / "lichtspiel.cinema.toml").read_text())
    doc.update(id=service_id, transport=transport)
    return parse_manifest(doc)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stats(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{name:<28} p50 {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   n={len(ms)}")


async def _timed_calls(hub: ServiceHub, tool: str, showtime: str, calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        outcome = await hub.call(tool, {"showtime_id": showtime})
        samples.append(time.perf_counter() - started)
        assert outcome.ok
    return samples


async def main(calls: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    db = work / "cinema.db"
    store = cinema.open_store(db, cinema.VARIANTS["EU"])
    showtime = store.rows("SELECT id FROM showtimes ORDER BY starts_at LIMIT 1")[0]["id"]
    direct = []
    for _ in range(calls):
        started = time.perf_counter()
        store.rows("SELECT seat, order_id IS NULL AS free FROM seats WHERE showtime_id = ?", (showtime,))
        direct.append(time.perf_counter() - started)

    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "tandem.partners.cinema", "--db", str(db), "--transport",
                               "http", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        registry = ServiceRegistry(load_settings(home=work / "home"), builtins=False)
        registry.add_manifest(_manifest("bench.stdio", {"type": "stdio", "command": [
            sys.executable, "-m", "tandem.partners.cinema", "--db", str(db)]}), "bench")
        registry.add_manifest(_manifest("bench.http", {"type": "http", "url": f"http://127.0.0.1:{port}/mcp"}),
                              "bench")
        async with ServiceHub(registry, region="DE") as hub:
            started = time.perf_counter()
            await hub.call("bench.stdio/list_films", {})
            cold = time.perf_counter() - started
            await hub.call("bench.http/list_films", {})
            stdio = await _timed_calls(hub, "bench.stdio/seat_map", showtime, calls)
            http = await _timed_calls(hub, "bench.http/seat_map", showtime, calls)
    finally:
        server.kill()
    print(f"seat_map of a {len(store.rows('SELECT 1 FROM seats WHERE showtime_id = ?', (showtime,)))}-seat hall")
    _stats("in-process SQLite", direct)
    _stats("ServiceHub → MCP stdio", stdio)
    _stats("ServiceHub → MCP HTTP", http)
    print(f"{'stdio cold start':<28} {cold * 1000:7.0f} ms (spawn, initialize, first call)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    anyio.run(main, parser.parse_args().calls)
