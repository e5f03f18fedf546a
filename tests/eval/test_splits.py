"""Every suite runs through ``tandem eval SUITE --data COPY`` on a few items copied from its public split,
as a held-out split of the same format would be given: no code knows the copy's location or size. The
model suites use the tiny random model (its answers are nonsense; the path from data to report is what
is tested). BFCL runs its plain mode only: under a grammar the random model writes strings until the token
budget runs out, for minutes (the constrained path is tested with a scripted model in test_bfcl.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.cli import cli

PUBLIC = Path(__file__).resolve().parents[3] / "shared" / "eval"
pytestmark = pytest.mark.skipif(not PUBLIC.is_dir(), reason="needs ../shared/eval (the public splits)")


def _conll(target: Path) -> list[str]:
    target.mkdir()
    for source in sorted((PUBLIC / "xsid").glob("*.conll")):
        blocks = source.read_text(encoding="utf-8").split("\n\n")
        (target / source.name).write_text("\n\n".join(blocks[:2]) + "\n", encoding="utf-8")
    return ["--limit", "2", "--tier", "device"]  # the understanding tiers' path: test_xsid_understand.py


def _bfcl(target: Path) -> list[str]:
    target.mkdir()
    for name in ("BFCL_v4_simple_python.json", "answer_simple_python.json", "BFCL_v4_irrelevance.json"):
        lines = (PUBLIC / "bfcl" / name).read_text(encoding="utf-8").splitlines()
        (target / name).write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    return ["--constrained", "off"]


def _pii(target: Path) -> list[str]:
    target.mkdir()
    rows = json.loads((PUBLIC / "pii" / "presidio_synth_public.json").read_text(encoding="utf-8"))
    (target / "presidio_synth_public.json").write_text(json.dumps(rows[:20]), encoding="utf-8")
    return []


def _routing(target: Path) -> list[str]:
    (target / "gsm8k").mkdir(parents=True)
    lines = (PUBLIC / "routellm" / "gsm8k" / "gsm8k_responses.csv").read_text(encoding="utf-8").split("\n")
    (target / "gsm8k" / "gsm8k_responses.csv").write_text("\n".join(lines[:400]) + "\n", encoding="utf-8")
    return []


def _sgd(target: Path) -> list[str]:
    target.mkdir()
    shutil.copy(PUBLIC / "sgd" / "dev" / "schema.json", target)
    dialogues = json.loads((PUBLIC / "sgd" / "dev" / "dialogues_001.json").read_text(encoding="utf-8"))
    first = dialogues[0] | {"turns": dialogues[0]["turns"][:4]}
    (target / "dialogues_001.json").write_text(json.dumps([first]), encoding="utf-8")
    return ["--limit", "1", "--tier", "device"]  # the understanding tiers' path: test_sgd_understand.py


def _tau2(target: Path) -> list[str]:
    target.mkdir()
    tasks = json.loads((PUBLIC / "tau2" / "retail" / "tasks_train.json").read_text(encoding="utf-8"))
    (target / "tasks_heldout.json").write_text(json.dumps(tasks[:2]), encoding="utf-8")
    for name in ("db.json", "policy.md"):
        shutil.copy(PUBLIC / "tau2" / "retail" / name, target)
    return ["--data", str(target / "tasks_heldout.json")]  # a tasks file; db and policy found beside it


SPLITS: dict[str, Callable[[Path], list[str]]] = {
    "xsid": _conll, "bfcl": _bfcl, "pii": _pii, "routing": _routing, "sgd": _sgd, "tau2": _tau2}


@pytest.mark.parametrize("suite", list(SPLITS))
def test_suite_runs_on_a_copied_split(suite: str, tmp_path: Path, tiny_settings, home: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "split"
    extra = SPLITS[suite](copy)
    args = ["eval", suite, "--data", str(copy), "--model", "device:tiny", *extra]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["suite"] == suite and report["rows"] and str(copy) in report["data"]
    assert "[" in result.stderr  # the progress bar
    assert sorted(p.suffix for p in (home / "eval").iterdir()) == [".json", ".md"]
    table = CliRunner().invoke(cli, [*args, "--quiet"])
    assert table.exit_code == 0 and table.stdout.lstrip().startswith("| group |"), table.output
