"""`tandem services prefer CATEGORY ID`: the user's choice among services that offer the same thing. The registry
and the assistant honoured a choice (ServiceRegistry.prefer, HubToolset's preferred_for) and the registry's docs
named this command, but it did not exist: a partner added next to a shipped one in the same category was never
used unless the user disabled the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.cli import main
from tandem.config import load_settings
from tandem.services.registry import ServiceRegistry


def _chosen() -> dict[str, str]:
    registry = ServiceRegistry(load_settings())
    try:
        return registry.preferences()
    finally:
        registry.close()


def test_prefer_records_the_users_choice(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["services", "prefer", "food", "kuaisong.food"])
    assert "kuaisong.food is used for food" in capsys.readouterr().out
    assert _chosen() == {"food": "kuaisong.food"}
    main(["services", "list", "--region", "CN"])
    assert "your choice for food" in next(line for line in capsys.readouterr().out.splitlines() if "kuaisong" in line)


@pytest.mark.parametrize(("category", "service_id", "said"), [("food", "lichtspiel.cinema", "offers no 'food'"),
                                                              ("food", "nobody.food", "no service 'nobody.food'")])
def test_a_choice_that_cannot_hold_is_one_line(home: Path, capsys: pytest.CaptureFixture[str], category: str,
                                               service_id: str, said: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["services", "prefer", category, service_id])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and said in err and len(err.strip().splitlines()) == 1, err
    assert _chosen() == {}
