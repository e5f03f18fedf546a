"""A profile value is one line of reasonable length, whichever shell sets it (W3-8): PATCH /v1/profile took
{"city": "Berlin\\nname = …"} and a 100,000-character address, and every later order failed at the partner
("Gabelpost does not serve 'Berlin\\nname = …'"); `tandem profile set` and an answer in the chat the same."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tandem.agent.profile import load_profile
from tandem.cli import main
from tests.conftest import LiveServer


@pytest.mark.parametrize("change", [{"city": 'Berlin\nname = "evil"'}, {"name": "Alex\x1b[8m"},
                                    {"places.home": "x" * 201}, {"phone": "+49 30\t1234567"}, {"name": "Kim\x00"}])
def test_the_api_refuses_a_value_that_is_not_one_line(home: Path, tiny_registry: object,
                                                      change: dict[str, str]) -> None:
    from tandem.api.app import create_app

    with LiveServer(create_app(tiny_registry)) as server:  # type: ignore[arg-type]
        url = f"{server.url}/v1/profile"
        assert httpx.patch(url, json={"city": "Berlin"}, headers=server.local).status_code == 200
        refused = httpx.patch(url, json=change, headers=server.local)
        assert refused.status_code == 400 and refused.json()["error"]["param"] == "value", refused.text
    assert load_profile(home).city == "Berlin" and not load_profile(home).places


def test_the_cli_refuses_it_in_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["profile", "set", "city", "Berlin\nMitte"])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "city must be one line of text" in err and len(err.strip().splitlines()) == 1
    assert load_profile(home).city == ""
