"""Suite results as one report: a JSON file for machines, a Markdown file for people, the same table
on stdout. Rows are groups (a language, a category, seen/unseen services), columns are metrics."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Report", "format_value", "markdown", "table", "write_report"]

Rows = dict[str, dict[str, float | int]]


@dataclass
class Report:
    """The outcome of one ``tandem eval`` run."""

    suite: str  # suite name, e.g. "xsid"
    data: str  # the file or directory evaluated
    rows: Rows  # group -> metric -> value; rates are fractions in [0, 1], counts are ints
    model: str | None = None  # model id under test, None for model-free suites
    limit: int | None = None  # the --limit given
    options: dict[str, Any] = field(default_factory=dict)  # suite switches (tier, modes...)
    notes: list[str] = field(default_factory=list)  # how the metrics were computed, in a sentence each
    items: list[dict[str, Any]] = field(default_factory=list)  # per-item predictions (JSON report only)
    started: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    seconds: float = 0.0  # wall time of the run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def format_value(value: float | int) -> str:
    """Counts as integers, rates as percentages with one decimal, anything else with three digits."""
    if isinstance(value, int):  # bool is an int too
        return str(int(value))
    if 0.0 <= value <= 1.0:
        return f"{100 * value:.1f}"
    return f"{value:.3g}"


def table(rows: Rows) -> str:
    """A Markdown table: one row per group, one column per metric seen in any group (``-`` when absent)."""
    columns: list[str] = []
    for metrics in rows.values():
        columns.extend(m for m in metrics if m not in columns)
    lines = ["| group | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for group, metrics in rows.items():
        cells = [format_value(metrics[c]) if c in metrics else "-" for c in columns]
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(report: Report) -> str:
    """The whole report as Markdown: what was run, the table, and how to read it."""
    head = [f"# tandem eval {report.suite}", "",
            f"- started: {report.started} ({report.seconds:.0f} s)", f"- data: `{report.data}`",
            f"- model: {report.model or '(none)'}", f"- limit: {report.limit if report.limit is not None else 'all'}"]
    head += [f"- {k}: {v}" for k, v in report.options.items()]
    notes = ["", "Rates are percentages; `n` columns are counts.", *report.notes] if report.notes else []
    return "\n".join([*head, "", table(report.rows), *notes, ""])


def write_report(report: Report, home: Path) -> tuple[Path, Path]:
    """Write ``home/eval/<suite>-<timestamp>.{json,md}`` and return both paths."""
    folder = home / "eval"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = re.sub(r"[^0-9T]", "", report.started)
    for n in range(1, 1000):  # runs started in the same second (one per category, in parallel) keep their own
        stem = folder / (f"{report.suite}-{stamp}" + (f"-{n}" if n > 1 else ""))
        try:
            with stem.with_suffix(".json").open("x", encoding="utf-8") as out:
                out.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
            break
        except FileExistsError:
            continue
    md_path = stem.with_suffix(".md")
    md_path.write_text(markdown(report), encoding="utf-8")
    return stem.with_suffix(".json"), md_path
