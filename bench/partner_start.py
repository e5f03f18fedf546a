"""Starting the reference partners of a region: the launcher (an interpreter per partner, each importing the
MCP SDK) against the partner starter (forks of one process that imported it once).

    .venv/bin/python bench/partner_start.py [--region DE] [--rounds 2]

Each round runs each way in a fresh process with a fresh TANDEM_HOME: a hub starts the region's partners
and lists their tools, then closes. Printed per way: the CPU seconds (user + system) of the partner processes
(the starter and its forks, or the launched interpreters; Tandem's own process not counted) and the wall
time from the hub's start to the first complete tool listing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WAYS = {"launcher": "0", "starter": "1"}


def one(region: str) -> dict[str, float]:
    """In a fresh process: start the hub, list the tools, close; CPU of the children and wall to the tools."""
    import anyio

    from tandem.config import load_settings
    from tandem.services import forking
    from tandem.services.hub import ServiceHub
    from tandem.services.registry import ServiceRegistry

    async def run() -> tuple[float, int]:
        registry = ServiceRegistry(load_settings())
        start = time.monotonic()
        async with ServiceHub(registry, region=region) as hub:
            tools = await hub.tools()
            wall = time.monotonic() - start
        registry.close()
        return wall, len(tools)

    wall, tools = anyio.run(run)
    forking.STARTER.stop()  # the starter exits and has reaped its forks: their CPU is counted in its own
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall, "tools": tools}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default="DE")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.region)))
        return
    results: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
    for _ in range(args.rounds):
        for way, flag in WAYS.items():
            with tempfile.TemporaryDirectory() as home:
                env = os.environ | {"TANDEM_HOME": home, "TANDEM_PARTNER_STARTER": flag}
                out = subprocess.run([sys.executable, str(Path(__file__)), "--one", "--region", args.region],
                                     env=env, capture_output=True, text=True, check=True)
                results[way].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"region {args.region}, {args.rounds} rounds, median (all)")
    for way, runs in results.items():
        cpu, wall = [r["cpu_s"] for r in runs], [r["wall_s"] for r in runs]
        print(f"  {way:8s} partners' CPU {statistics.median(cpu):5.2f} s {[round(c, 2) for c in cpu]}   "
              f"wall to the tools {statistics.median(wall):5.2f} s {[round(w, 2) for w in wall]}   "
              f"tools {runs[0]['tools']:.0f}")


if __name__ == "__main__":
    main()
