"""Tokens/s through Tandem's API vs raw llama-cpp-python and vs ``llama_cpp.server`` (what a user would run
instead), same model, prompt and settings, side by side.

    python bench/overhead.py [--model device:qwen2.5-0.5b] [--runs 3] [--tokens 128] [--no-server]

Prints decode tokens/s, time to first token and CPU time per token for each path, the ratio Tandem/raw
(goal >= 0.97x) and Tandem's TTFT minus llama_cpp.server's (goal within 20 ms). Runs alternate (raw, tandem,
server, raw, ...) so that machine noise hits all alike; CPU time per token does not depend on it.
llama_cpp.server needs ``pip install starlette-context``."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.catalog import ensure_weights, find_spec, load_catalog
from tandem.models.llamacpp import default_threads, render_messages
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message

# Each run asks a new question (the story number): llama.cpp reuses the cached state of an identical prompt,
# which would make one path's time to first token look free.
PROMPT = "Write a short story about a robot who learns to cook pasta in Munich. Story number {}."


def raw_run(llm: object, prompt: str, tokens: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    first, n = 0.0, 0
    for part in llm.create_completion(prompt, max_tokens=tokens, temperature=0.0, stream=True):  # type: ignore[attr-defined]
        if part["choices"][0]["text"]:
            first = first or time.perf_counter() - started
            n += 1
    return first, time.perf_counter() - started, n


def api_run(url: str, model: str, tokens: int, question: str) -> tuple[float, float, int]:
    body = {"model": model, "messages": [{"role": "user", "content": question}], "max_tokens": tokens,
            "temperature": 0.0, "stream": True}
    started = time.perf_counter()
    first, n = 0.0, 0
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=300) as r:
        for line in r.iter_lines():
            if '"content":"' in line.replace(" ", "") and '"content":""' not in line.replace(" ", ""):
                first = first or time.perf_counter() - started
                n += 1
    return first, time.perf_counter() - started, n


def start_llama_server(path: Path, n_ctx: int, threads: int, port: int) -> subprocess.Popen[bytes]:
    """``python -m llama_cpp.server`` with the same weights, context and threads, ready to answer."""
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", "raw",
                             "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--n_threads_batch", str(threads),
                             "--n_batch", "512", "--port", str(port), "--verbose", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("llama_cpp.server did not start (pip install starlette-context?)")


def free_port() -> int:
    """A loopback port nobody listens on (other benches on this machine use fixed ones)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process and of process ``pid`` (llama_cpp.server) when given. Unlike
    wall time it does not depend on how busy the machine is, so it shows what each path costs per token."""
    own = time.process_time()
    if pid is None:
        return own
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return own + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(results: dict[str, list[tuple[float, float, int]]], cpu: dict[str, list[float]],
           args: argparse.Namespace) -> None:
    print(f"model {args.model}, {args.tokens} tokens, {args.runs} alternating runs each, median "
          "(CPU: the bench process, plus llama_cpp.server's for its path):")
    print(f"{'path':<24} {'tok/s':>8} {'TTFT ms':>9} {'CPU ms/tok':>11}")
    rates, ttfts = {}, {}
    for name, runs in results.items():
        rates[name] = statistics.median(n / total for _, total, n in runs)
        ttfts[name] = statistics.median(first for first, _, _ in runs) * 1000
        print(f"{name:<24} {rates[name]:8.2f} {ttfts[name]:9.1f} {statistics.median(cpu[name]) * 1000:11.1f}")
    print(f"ratio API/raw: {rates['tandem API (SSE)'] / rates['raw llama-cpp-python']:.3f}x (goal >= 0.97x)")
    if "llama_cpp.server (SSE)" in results:
        print(f"ratio API/llama_cpp.server: {rates['tandem API (SSE)'] / rates['llama_cpp.server (SSE)']:.3f}x; "
              f"TTFT API - llama_cpp.server: {ttfts['tandem API (SSE)'] - ttfts['llama_cpp.server (SSE)']:+.1f} ms "
              "(goal within 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="device:qwen2.5-0.5b")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--no-server", action="store_true", help="skip llama_cpp.server")
    args = parser.parse_args()

    import uvicorn
    from llama_cpp import Llama

    settings = load_settings(home=Path(tempfile.mkdtemp()), default_model=args.model)
    spec = find_spec(load_catalog(settings.home), args.model)
    path = ensure_weights(spec, settings.models_dir)
    registry = ModelRegistry(settings)
    port, server_port = free_port(), free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(registry, preload=[args.model]), port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    threads = settings.threads or default_threads()
    raw = Llama(model_path=str(path), n_ctx=spec.context_length, n_batch=512, n_threads=threads,
                n_threads_batch=threads, verbose=False)

    def prompt(n: int) -> str:
        return render_messages(raw.metadata["tokenizer.chat_template"],
                               ChatRequest(messages=(Message("user", PROMPT.format(n)),)), with_tools=False)

    results: dict[str, list[tuple[float, float, int]]] = {"raw llama-cpp-python": [], "tandem API (SSE)": []}
    paths = {"raw llama-cpp-python": lambda n, k: raw_run(raw, prompt(n), k),
             "tandem API (SSE)": lambda n, k: api_run(f"http://127.0.0.1:{port}", args.model, k, PROMPT.format(n))}
    llama_server = None if args.no_server else start_llama_server(path, spec.context_length, threads, server_port)
    if llama_server is not None:
        results["llama_cpp.server (SSE)"] = []
        server_url = f"http://127.0.0.1:{server_port}"
        paths["llama_cpp.server (SSE)"] = lambda n, k: api_run(server_url, "raw", k, PROMPT.format(n))
    try:
        for run in paths.values():
            run(0, 8)  # warm each path
        child = llama_server.pid if llama_server is not None else None
        cpu: dict[str, list[float]] = {name: [] for name in paths}
        for n in range(1, args.runs + 1):
            for name, run in paths.items():
                before = cpu_seconds(child if "llama_cpp.server" in name else None)
                results[name].append(run(n, args.tokens))
                spent = cpu_seconds(child if "llama_cpp.server" in name else None) - before
                cpu[name].append(spent / max(1, results[name][-1][2]))
    finally:
        if llama_server is not None:
            llama_server.terminate()
            llama_server.wait(timeout=30)
    report(results, cpu, args)
    server.should_exit = True


if __name__ == "__main__":
    main()
