"""``tandem eval`` end to end: table or JSON on stdout, both report files under TANDEM_HOME/eval."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from tandem.cli import cli
from tandem.eval.progress import ProgressBar
from tandem.eval.report import Report, format_value, markdown, table, write_report
from tests.eval.test_pii import PRESIDIO


def test_pii_json_and_reports(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "presidio.json"
    data.write_text(json.dumps(PRESIDIO))
    result = CliRunner().invoke(cli, ["eval", "pii", "--data", str(data), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["suite"] == "pii" and report["rows"]["en EMAIL"]["recall"] == 1.0
    assert "items" not in report
    written = sorted(p.suffix for p in (home / "eval").iterdir())
    assert written == [".json", ".md"]
    table_run = CliRunner().invoke(cli, ["eval", "pii", "--data", str(data), "--limit", "1", "--quiet"])
    assert "| en all |" in table_run.stdout


def test_fast_tier_is_the_agents_template_parser(tmp_path: Path) -> None:
    (tmp_path / "en.conll").write_text(
        "# text = remind me to water the plants\n# intent = reminder/set_reminder\n"
        "1\tremind\treminder/set_reminder\tO\n2\tme\treminder/set_reminder\tO\n3\tto\treminder/set_reminder\tO\n"
        "4\twater\treminder/set_reminder\tB-reminder/todo\n5\tthe\treminder/set_reminder\tI-reminder/todo\n"
        "6\tplants\treminder/set_reminder\tI-reminder/todo\n\n"
        "# text = play some jazz\n# intent = PlayMusic\n1\tplay\tPlayMusic\tO\n2\tsome\tPlayMusic\tO\n"
        "3\tjazz\tPlayMusic\tB-music_item\n")
    result = CliRunner().invoke(cli, ["eval", "xsid", "--data", str(tmp_path), "--tier", "fast", "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout.strip().splitlines()[-1])["rows"]["en"]
    # the reminder is understood, music is not the agent's business: it abstains
    assert (row["intent_acc"], row["answered"], row["n"]) == (0.5, 0.5, 2)


def test_report_formats(tmp_path: Path) -> None:
    report = Report(suite="demo", data="d", rows={"a": {"acc": 0.5, "n": 2}, "b": {"acc": 1.0}}, notes=["why"])
    assert table(report.rows).splitlines()[2:] == ["| a | 50.0 | 2 |", "| b | 100.0 | - |"]
    assert (format_value(3), format_value(0.1234), format_value(12.5)) == ("3", "12.3", "12.5")
    assert "why" in markdown(report)
    json_path, md_path = write_report(report, tmp_path)
    assert json.loads(json_path.read_text())["rows"]["a"]["n"] == 2 and md_path.read_text().startswith("# tandem")
    again, _ = write_report(report, tmp_path)  # same suite, same second: a file of its own
    assert again != json_path and again.name.endswith("-2.json")


def test_progress_bar_line() -> None:
    bar = ProgressBar(io.StringIO(), width=10)
    assert bar.line("xsid en", 5, 10, 10.0) == "xsid en [#####-----] 5/10 0.50/s ETA 10s  "
    assert bar.line("x", 0, 0, 0.0) == "x [----------] 0/0 0.00/s  "
