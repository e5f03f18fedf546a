"""Routing: the PGR curve, APGR and CPT against values worked out by hand; CSV loading; a whole run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.errors import ConfigError
from tandem.eval.base import EvalRun
from tandem.eval.routing import STRONG, WEAK, Labelled, curve, load, run

# weak 50 %, strong 100 %: the gap is A and B, which only the strong model answers
ROWS = [Labelled("A", False, True), Labelled("B", False, True), Labelled("C", True, True), Labelled("D", True, True)]


def test_a_perfect_router_and_a_reversed_one() -> None:
    perfect = curve(ROWS, [0.9, 0.8, 0.1, 0.0], steps=4)
    # shares 0, .25, .5, .75, 1 -> PGR 0, .5, 1, 1, 1; area .0625 + .1875 + .25 + .25
    assert perfect.pgr == (0.0, 0.5, 1.0, 1.0, 1.0)
    assert perfect.apgr == pytest.approx(0.75)
    assert (perfect.cpt(0.5), perfect.cpt(0.8)) == (0.25, 0.5)
    assert (perfect.weak_acc, perfect.strong_acc) == (0.5, 1.0)
    reversed_ = curve(ROWS, [0.0, 0.1, 0.8, 0.9], steps=4)
    assert reversed_.apgr == pytest.approx(0.25) and reversed_.cpt(0.8) == 1.0


def _csv(path: Path, rows: list[tuple[str, bool, bool]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"prompt,{WEAK},{STRONG}"] + [f'"{p}",{w},{s}' for p, w, s in rows]
    path.write_text("\n".join(lines) + "\n")


def test_loads_benchmarks_and_drops_contaminated_prompts(tmp_path: Path) -> None:
    _csv(tmp_path / "exam" / "responses" / "a.csv", [("what is 2+2, really?", True, True), ("hard one", False, True)])
    (tmp_path / "exam" / "contaminated_prompts.jsonl").write_text(json.dumps({"eval_prompt": "hard one"}) + "\n")
    data = load(tmp_path)
    assert data == {"exam": [Labelled("what is 2+2, really?", True, True)]}
    (tmp_path / "bad.csv").write_text("prompt,x\nhi,True\n")
    with pytest.raises(ConfigError):
        load(tmp_path / "bad.csv")


def test_run_scores_the_injected_router(tmp_path: Path) -> None:
    _csv(tmp_path / "exam" / "a.csv", [(r.prompt, r.weak, r.strong) for r in ROWS])
    report = run(EvalRun(data=tmp_path, difficulty=lambda p: {"A": 0.9, "B": 0.8}.get(p, 0.0)))
    assert report.rows["exam"]["apgr"] == pytest.approx(0.75, abs=0.01)  # the same curve in 1 % steps
    assert report.rows["exam"]["n"] == 4
    with pytest.raises(ConfigError):
        run(EvalRun(data=tmp_path))
