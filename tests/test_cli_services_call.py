"""`tandem services call TOOL ARGUMENTS`: ARGUMENTS that are JSON but not an object ('[1]', '"x"', 5) were an
AttributeError traceback from inside the hub; they are a one-line error before any partner starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.cli import main


@pytest.mark.parametrize("arguments", ["[1]", '"Berlin"', "5", "null"])
def test_arguments_that_are_not_an_object_are_one_line(home: Path, capsys: pytest.CaptureFixture[str],
                                                       arguments: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["services", "call", "gabelpost.food/search_restaurants", arguments])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "ARGUMENTS must be a JSON object" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
