"""The compatibility table: run the real-client suite (tests/clients) and write who works with what.

    python bench/clients.py [--out docs/results/clients.md] [--report rows.jsonl ...] [-- extra pytest args]

Each test of the suite is one cell (client x feature); a cell is "yes" only if every test in it passed.
The table names the installed version of each client and the Tandem commit it ran against. It replaces
the head of ``--out`` (up to its first "## " section), so the notes kept below it stay. ``--report`` builds
the table from JSON-lines reports of earlier runs (``TANDEM_CLIENTS_REPORT``) instead of running the suite;
a later file's outcome for the same test wins."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = {"openai": "openai", "langchain-openai": "langchain-openai", "pydantic-ai": "pydantic-ai-slim",
            "openai-agents": "openai-agents", "llm": "llm", "litellm": "litellm"}


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def run_suite(extra: list[str]) -> tuple[list[dict[str, str]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "clients.jsonl"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/clients", *extra],
                       env={**os.environ, "TANDEM_CLIENTS_REPORT": str(report)}, check=False)
        return read_rows([report]), time.monotonic() - started


def read_rows(reports: list[Path]) -> list[dict[str, str]]:
    """The rows of ``reports``, one per test: a later report's outcome replaces an earlier one's."""
    rows: dict[str, dict[str, str]] = {}
    for report in reports:
        if report.exists():
            for line in report.read_text().splitlines():
                row = json.loads(line)
                rows[row["test"]] = row
    return list(rows.values())


def table(rows: list[dict[str, str]]) -> str:
    clients = list(dict.fromkeys(r["client"] for r in rows))
    features = list(dict.fromkeys(r["feature"] for r in rows))
    cells: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        cells.setdefault((r["client"], r["feature"]), []).append(r["outcome"])
    head = "| client (version) | " + " | ".join(features) + " |"
    lines = [head, "|" + "---|" * (len(features) + 1)]
    for client in clients:
        marks = []
        for feature in features:
            outcomes = cells.get((client, feature))
            marks.append("–" if outcomes is None else "yes" if all(o == "passed" for o in outcomes) else "**no**")
        lines.append(f"| {client} {_version(PACKAGES.get(client, client))} | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/results/clients.md"))
    parser.add_argument("--report", type=Path, nargs="*", default=[], help="build the table from these reports")
    args, extra = parser.parse_known_args()
    if args.report:
        rows, how = read_rows(args.report), f"from the reports of earlier runs ({', '.join(map(str, args.report))})"
    else:
        rows, seconds = run_suite([a for a in extra if a != "--"])
        how = f"in {seconds / 60:.1f} min"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    failures = [f"- `{r['test']}`: {r['detail']}" for r in rows if r["outcome"] != "passed"]
    text = (f"# Client compatibility\n\nProduced by `python bench/clients.py` (the suite `tests/clients`, real "
            f"clients against a real `tandem serve`-like uvicorn server with device:qwen2.5-0.5b), commit "
            f"{commit}, {len(rows)} tests {how}. A tool loop passes only if the booking tool (a side effect) took "
            f"effect exactly once and the loop ended with an answer; \"retry after a tool error\" only if the tool "
            f"failed once, was called again and then booked once.\n\n{table(rows)}\n")
    if failures:
        text += "\nFailures:\n\n" + "\n".join(failures) + "\n"
    kept = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    notes = kept[kept.index("\n## ") + 1:] if "\n## " in kept else ""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
