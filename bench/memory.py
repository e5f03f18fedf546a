"""Memory (RSS) of ``tandem serve``: the API alone, idle with the model loaded, and its peak under a
bounded request loop. With ``--litellm``, LiteLLM's proxy is put in front of the same server in the same
run and measured the same way, so the ratio shows what a separate gateway process costs.

    .venv/bin/python bench/memory.py [--model device:qwen2.5-0.5b] [--requests 16] [--concurrency 2]
                                     [--tokens 32] [--litellm /path/to/litellm]

Each server is a subprocess on loopback; RSS is read from /proc (the process and its children): VmRSS
now, and the largest VmRSS sampled every 50 ms while requests run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

PROMPT = "Name three things to pack for a weekend trip to the Alps, one line each."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (a proxy may fork workers)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            todo.extend(int(c) for c in children)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of the process tree, in MiB."""
    total = 0
    for p in _tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


class Sampler:
    """The largest RSS seen while it runs, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def wait_until(url: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


@contextmanager
def process(args: list[str], ready_url: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_until(ready_url, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def tandem_serve(port: int, model: str, preload: bool) -> list[str]:
    extra = [] if preload else ["--no-preload"]
    return [sys.executable, "-m", "tandem.cli", "serve", "--port", str(port), "--model", model, *extra]


def load(url: str, model: str, requests: int, concurrency: int, tokens: int, key: str = "none") -> list[float]:
    """Send ``requests`` chat completions, ``concurrency`` at a time; seconds per request."""
    body = {"model": model, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": tokens,
            "temperature": 0.0}

    def one(_: int) -> float:
        started = time.perf_counter()
        response = httpx.post(f"{url}/chat/completions", json=body, timeout=600,
                              headers={"Authorization": f"Bearer {key}"})
        response.raise_for_status()
        return time.perf_counter() - started

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(requests)))


def settle(pid: int, seconds: float = 3.0) -> float:
    time.sleep(seconds)
    return rss_mb(pid)


def litellm_config(folder: Path, upstream: str, model: str) -> Path:
    path = folder / "litellm.yaml"
    path.write_text(f"model_list:\n  - model_name: {model}\n    litellm_params:\n      model: openai/{model}\n"
                    f"      api_base: {upstream}\n      api_key: none\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="device:qwen2.5-0.5b")
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--litellm", type=Path, default=None, help="path of LiteLLM's `litellm` executable")
    args = parser.parse_args()
    rows: list[tuple[str, float, float, str]] = []

    port = free_port()
    with process(tandem_serve(port, args.model, preload=False), f"http://127.0.0.1:{port}/healthz") as api:
        rows.append(("tandem serve --no-preload (API only)", settle(api.pid), float("nan"), "-"))

    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with process(tandem_serve(port, args.model, preload=True), f"{url}/models") as server:
        idle = settle(server.pid)
        with Sampler(server.pid) as sampled:
            times = load(url, args.model, args.requests, args.concurrency, args.tokens)
        rows.append(("tandem serve (API + model)", idle, sampled.peak, f"{statistics.median(times):.2f}"))
        if args.litellm:
            rows += measure_litellm(args, url, server.pid)
    print_table(rows, args)


def measure_litellm(args: argparse.Namespace, upstream: str, server_pid: int) -> list[tuple[str, float, float, str]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = litellm_config(Path(tmp), upstream, args.model)
        key = f"sk-{secrets.token_hex(16)}"  # the proxy refuses to start without a master key
        env = {**os.environ, "LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False", "LITELLM_MASTER_KEY": key}
        command = [str(args.litellm), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
        with process(command, f"http://127.0.0.1:{port}/health/liveliness", env) as proxy:
            idle = settle(proxy.pid)
            with Sampler(proxy.pid) as sampled, Sampler(server_pid) as behind:
                times = load(f"http://127.0.0.1:{port}/v1", args.model, args.requests, args.concurrency, args.tokens,
                             key)
    return [("LiteLLM proxy (gateway only)", idle, sampled.peak, f"{statistics.median(times):.2f}"),
            ("  + the same tandem serve behind it", float("nan"), behind.peak, "-")]


def print_table(rows: list[tuple[str, float, float, str]], args: argparse.Namespace) -> None:
    print(f"model {args.model}; {args.requests} requests x {args.tokens} tokens, {args.concurrency} at a time; "
          f"{os.cpu_count()} cores")
    print(f"| {'process':<38} | idle RSS MiB | peak RSS MiB under load | median s/request |")
    print(f"|{'-' * 40}|--------------|-------------------------|------------------|")
    for name, idle, peak, median in rows:
        cells = [f"{v:.0f}" if v == v else "-" for v in (idle, peak)]
        print(f"| {name:<38} | {cells[0]:>12} | {cells[1]:>23} | {median:>16} |")
    api_only = rows[0][1]
    gateway = next((r for r in rows if r[0].startswith("LiteLLM")), None)
    if gateway:
        print(f"\nLiteLLM's gateway alone, idle: {gateway[1] / api_only:.2f}x the RSS of Tandem's API process "
              f"({gateway[1]:.0f} vs {api_only:.0f} MiB); Tandem serves the model in that one process.")


if __name__ == "__main__":
    main()
