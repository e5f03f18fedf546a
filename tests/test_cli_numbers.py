"""Numbers on the command line are checked as the HTTP API checks them: `tandem recommend -k 0` (or -3) and
`--budget -5` said "nothing fits; try without a budget or city", and `tandem privacy ledger --limit -5` listed the
whole ledger (SQLite reads LIMIT -5 as no limit). Each is a usage error now (exit 2, the option named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.cli import cli, main


@pytest.mark.parametrize(("args", "option"), [
    (["recommend", "-k", "0"], "'-k'"), (["recommend", "-k", "-3"], "'-k'"), (["recommend", "-k", "51"], "'-k'"),
    (["recommend", "--budget", "-5"], "'--budget'"), (["recommend", "--budget", "0"], "'--budget'"),
    (["privacy", "ledger", "--limit", "-5"], "'--limit'"),
    # NaN passes every bound and inf every lower one (walk11): "--budget nan" was a budget, "--temperature nan" reached
    # the sampler
    (["recommend", "pizza", "--budget", "nan"], "'--budget'"),
    (["recommend", "pizza", "--budget", "inf"], "'--budget'"),
    (["ask", "--temperature", "nan", "hi"], "'--temperature'")])
def test_a_number_out_of_range_is_a_usage_error(home: Path, args: list[str], option: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and option in result.output, result.output


@pytest.mark.parametrize("args", [["memory", "delete", "99999999999999999999999"],
                                  ["memory", "edit", "99999999999999999999999", "--value", "x"],
                                  ["privacy", "ledger", "--limit", "99999999999999999999999"]])
def test_a_number_too_large_for_a_store_is_said(home: Path, args: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """An integer beyond SQLite's 64 bits ended the command with an OverflowError traceback (walk11); now it is said,
    as the HTTP API's 400 out_of_range says it, with a usage error's exit status."""
    with pytest.raises(SystemExit) as done:
        main(args)
    said = capsys.readouterr().err
    assert done.value.code == 2 and said.strip() == "error: a number in the command is out of range", said
