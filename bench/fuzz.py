"""Fuzz the whole HTTP API from its own OpenAPI document with schemathesis: every operation gets generated
valid and invalid requests; the run fails on any 5xx answer or any request without an answer in time.

    python bench/fuzz.py [--max-examples 50] [--max-time 600|0] [--model tiny|device:...] [--seed 1]
                         [--phases examples,coverage,fuzzing,stateful] [--skip-heavy] [--as local|keyless] [--json]

A real server (uvicorn on loopback) over a fresh TANDEM_HOME with the reference partners' data; the model is
the tiny random GGUF by default (the HTTP layer is under test, not the model's words). Requests carry the
device owner's local token by default (``--as local``), so the operations behind the privacy, admin and confirm
scopes are fuzzed past the credential check; ``--as keyless`` sends none, as any local process could. Prints,
per run, how many requests were sent, how many got 5xx and how many timed out. ``--max-time 0`` sets no time budget:
one pass of ``--max-examples`` cases per operation, the same cases every run (with a budget, schemathesis repeats its
fuzzing rounds until the time is spent: each round sends the parameterless operations again, and many of its cases
repeat earlier ones). ``tests/security/test_fuzz.py`` runs one such pass.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

# Operations whose first valid request loads a heavy model or index (Whisper, piper, OCR; recommendations embed
# the partners' whole catalog on first use: 2 min on a busy 2-core machine); the test's pass leaves them to the
# bench run.
HEAVY = r"^/v1/(audio|images)/|^/v1/assistant/voice$|^/v1/recommendations"
_PASS_LIMIT = 3600  # seconds a pass without a time budget may take before it counts as hung


@dataclass(frozen=True)
class FuzzResult:
    """What one schemathesis run saw."""

    requests: int  # requests sent
    server_errors: int  # answers with a 5xx status
    timeouts: int  # requests without an answer within the request timeout
    failures: list[str]  # one line per failing operation and check
    returncode: int  # schemathesis' own exit code (0: every check passed)
    server_exceptions: int = 0  # errors the server logged (an exception after a stream began answers no 5xx)


def _count(ndjson: Path) -> tuple[int, int, int, list[str]]:
    """Requests, 5xx answers, timeouts and failure lines from schemathesis' NDJSON event stream."""
    requests = server_errors = timeouts = 0
    failures: list[str] = []
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        [(kind, data)] = json.loads(line).items()
        if kind == "NonFatalError":  # the request got no answer (timeout, connection reset)
            error = data.get("value") or {}
            timeouts += int("timeout" in str(error.get("type", "")).lower())
            failures.append(f"{data.get('label')}: {error.get('type')}: {str(error.get('message'))[:200]}")
        if kind != "ScenarioFinished":
            continue
        recorder = data.get("recorder") or {}
        for step in (recorder.get("interactions") or {}).values():
            requests += 1
            status = ((step or {}).get("response") or {}).get("status_code")
            server_errors += int(isinstance(status, int) and status >= 500)
        for group in (recorder.get("checks") or {}).values():
            failures += [f"{recorder.get('label')}: {c.get('name')} {c.get('status')}" for c in group or []
                         if str(c.get("status")).lower() not in ("success", "skip", "skipped")]
    return requests, server_errors, timeouts, failures


def fuzz(url: str, *, max_examples: int, max_time: float, seed: int, workdir: Path, request_timeout: float = 60.0,
         exclude: str | None = None, phases: str = "examples,coverage,fuzzing,stateful",
         headers: tuple[str, ...] = ()) -> FuzzResult:
    """Run schemathesis against ``url`` (the server's base URL) and count what happened. ``max_time`` 0: no time
    budget, one pass of ``max_examples`` cases per operation."""
    report = workdir / "events.ndjson"
    budget = ["--max-time", str(max(1, int(max_time)))] if max_time > 0 else []
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", str(max_examples), "--seed", str(seed),
               "--request-timeout", str(request_timeout), *budget, "--workers", "1",
               "--generation-deterministic", "--no-shrink", "--report", "ndjson", "--report-ndjson-path", str(report),
               "--phases", phases, "--suppress-health-check", "all", "--warnings", "off", "-H", "X-Tandem-UI: 1"]
    for header in headers:
        command += ["-H", header]
    if exclude:
        command += ["--exclude-path-regex", exclude]
    limit = max_time if max_time > 0 else _PASS_LIMIT
    done = subprocess.run(command, capture_output=True, text=True, timeout=limit + 120, cwd=workdir,
                          env={**os.environ, "NO_COLOR": "1"})
    if not report.exists():
        raise RuntimeError(f"schemathesis did not run: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    requests, server_errors, timeouts, failures = _count(report)
    return FuzzResult(requests, server_errors, timeouts, failures, done.returncode)


class _ErrorLog(logging.Handler):
    """Counts what the server logs at ERROR: unhandled exceptions, also those after a response began."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count, self.lines = 0, list[str]()
        for name in ("tandem", "uvicorn.error"):
            logging.getLogger(name).addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.lines.append(f"server log: {record.name}: {record.getMessage()[:200]}")


def _tiny_home(home: Path) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tandem.testing.tiny_gguf import write_tiny_qwen2

    path = write_tiny_qwen2(home.parent / "tiny-qwen2.gguf")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    home.mkdir(parents=True, exist_ok=True)
    (home / "models.toml").write_text(
        f'[[model]]\nid = "device:tiny"\npath = "{path}"\nsha256 = "{sha}"\ncontext_length = 512\n')
    return "device:tiny"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--max-time", type=float, default=600,
                        help="seconds of fuzzing (rounds repeat until spent); 0: one pass of --max-examples each")
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument("--skip-heavy", action="store_true", help=f"leave out operations matching {HEAVY}")
    parser.add_argument("--as", dest="caller", choices=("local", "keyless"), default="local",
                        help="send the device owner's local token (default) or no credential")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tandem-fuzz-") as tmp:
        home = Path(tmp) / "home"
        os.environ["TANDEM_HOME"] = str(home)
        model = _tiny_home(home) if args.model == "tiny" else args.model
        from tandem.api.app import create_app
        from tandem.config import load_settings
        from tandem.keys import local_token
        from tandem.models.registry import ModelRegistry
        from tandem.testing import LiveServer

        registry = ModelRegistry(load_settings(default_model=model))
        logged = _ErrorLog()
        headers = (f"Authorization: Bearer {local_token(home)}",) if args.caller == "local" else ()
        with LiveServer(create_app(registry, preload=[model])) as server:
            result = fuzz(server.url, max_examples=args.max_examples, max_time=args.max_time, seed=args.seed,
                          workdir=Path(tmp), request_timeout=args.request_timeout,
                          exclude=HEAVY if args.skip_heavy else None, phases=args.phases, headers=headers)
        result = replace(result, server_exceptions=logged.count, failures=result.failures + logged.lines)
    if args.json:
        print(json.dumps(asdict(result)))
        return
    print(f"requests {result.requests}  server errors {result.server_errors}  timeouts {result.timeouts}  "
          f"server exceptions {result.server_exceptions}  failed checks {len(result.failures)}  "
          f"schemathesis exit {result.returncode}")
    for line in result.failures[:50]:
        print("  " + line)


if __name__ == "__main__":
    main()
