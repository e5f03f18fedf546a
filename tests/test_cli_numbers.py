"""Numbers on the command line are checked as the HTTP API checks them: `tandem recommend -k 0` (or -3) and
`--budget -5` said "nothing fits; try without a budget or city", and `tandem privacy ledger --limit -5` listed the
whole ledger (SQLite reads LIMIT -5 as no limit). Each is a usage error now (exit 2, the option named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.cli import cli


@pytest.mark.parametrize(("args", "option"), [
    (["recommend", "-k", "0"], "'-k'"), (["recommend", "-k", "-3"], "'-k'"), (["recommend", "-k", "51"], "'-k'"),
    (["recommend", "--budget", "-5"], "'--budget'"), (["recommend", "--budget", "0"], "'--budget'"),
    (["privacy", "ledger", "--limit", "-5"], "'--limit'")])
def test_a_number_out_of_range_is_a_usage_error(home: Path, args: list[str], option: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and option in result.output, result.output
