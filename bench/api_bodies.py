"""How long ``/healthz`` waits while large JSON bodies arrive: the parse of a request body must not hold the event loop.

Starts the API in a process of its own (no model: every body is parsed, checked and then refused or answered 404, as a
hostile client's would be) on loopback, sends ~4 MB bodies of one shape from ``--senders`` threads for ``--seconds``,
and polls ``/healthz`` every 20 ms meanwhile. Prints, per shape, the bodies answered (by status) and ``/healthz``
latency (median, 95th percentile, worst, in ms), and the same with no bodies sent (the baseline of the loaded box).

    python bench/api_bodies.py [--shapes empty_lists,numbers,tokens,text] [--seconds 10] [--senders 2]
                               [--tree /path/to/another/checkout]

``--tree`` measures another checkout of Tandem (e.g. ``git archive`` of an earlier commit) with this same script.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

_MB4 = 4_000_000


def shapes() -> dict[str, tuple[str, bytes]]:
    """Bodies of ~4 MB (under the default 4 MiB limit), by name: (path, body)."""
    chat = {"model": "no-such-model", "messages": [{"role": "user", "content": "hello, world, " * (_MB4 // 15)}]}
    return {
        "empty_lists": ("/v1/chat/completions", b"[" + b"[]," * (_MB4 // 3 - 1) + b"[]]"),  # 1.3 M lists
        "numbers": ("/v1/chat/completions", b"[" + b"1," * (_MB4 // 2 - 1) + b"1]"),  # 2 M numbers
        "tokens": ("/v1/embeddings", json.dumps({"model": "no-such-model", "input": [list(range(20000, 20500))] * 1000})
                   .encode()),  # 500 k token ids: a real (if large) request
        "text": ("/v1/chat/completions", json.dumps(chat).encode()),  # one long message
        "input_lists": ("/v1/embeddings", b'{"model": "device:e5-small", "input": [' + b"[]," * (_MB4 // 3 - 20)
                        + b"[]]}"),  # valid JSON: each member of input's union was tried on all 1.3 M items
    }


def _healthz(url: str, stop: threading.Event, waits: list[float]) -> None:
    with httpx.Client(timeout=120) as client:
        while not stop.is_set():
            began = time.perf_counter()
            client.get(url + "/healthz")
            waits.append(time.perf_counter() - began)
            time.sleep(0.02)


def _sender(url: str, path: str, body: bytes, stop: threading.Event, statuses: Counter[int]) -> None:
    with httpx.Client(timeout=120) as client:
        while not stop.is_set():
            answer = client.post(url + path, content=body, headers={"content-type": "application/json"})
            statuses[answer.status_code] += 1


def _round(url: str, shape: tuple[str, bytes] | None, senders: int, seconds: float) -> dict[str, Any]:
    stop, waits, statuses = threading.Event(), [], Counter[int]()
    threads = [threading.Thread(target=_healthz, args=(url, stop, waits))]
    if shape is not None:
        threads += [threading.Thread(target=_sender, args=(url, *shape, stop, statuses)) for _ in range(senders)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    waits.sort()
    ms = [w * 1000 for w in waits]
    return {"answered": dict(statuses), "healthz": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1), "worst_ms": round(ms[-1], 1)}


def _serve(port: int) -> None:
    """The server process: the API with no model on 127.0.0.1:``port``."""
    import uvicorn

    from tandem.api.app import create_app
    from tandem.config import load_settings
    from tandem.models.registry import ModelRegistry

    print("tandem from", Path(sys.modules["tandem"].__file__ or "").parent, flush=True)
    registry = ModelRegistry(load_settings(home=Path(tempfile.mkdtemp()), request_timeout_s=120))
    uvicorn.run(create_app(registry), host="127.0.0.1", port=port, log_level="warning")


def _started(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            httpx.get(url + "/healthz", timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="empty_lists,numbers,tokens,text")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--tree", help="a checkout of Tandem to measure instead of this one")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the server process
    args = parser.parse_args()
    if args.tree:
        sys.path.insert(0, args.tree)
    if args.serve:
        _serve(args.port)
        return
    url = f"http://127.0.0.1:{args.port}"
    tree = ["--tree", args.tree] if args.tree else []
    command = [sys.executable, __file__, "--serve", "--port", str(args.port), *tree]
    with subprocess.Popen(command) as server:
        try:
            _started(url, server)
            bodies = shapes()
            print("idle", json.dumps(_round(url, None, 0, args.seconds / 2)))
            for name in args.shapes.split(","):
                print(name, json.dumps(_round(url, bodies[name], args.senders, args.seconds)), flush=True)
        finally:
            server.terminate()


if __name__ == "__main__":
    main()
