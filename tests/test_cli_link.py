"""``tandem keys link`` prints the address of the server that runs on this TANDEM_HOME (walk4 W4-6: with
``tandem serve --port 8741`` running it printed http://127.0.0.1:8700/#login=…, a page nothing serves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.privacy.erase import announce_server
from tests.test_cli import tandem


@pytest.mark.parametrize(("url", "shown"), [("http://127.0.0.1:8741", "http://127.0.0.1:8741/#login=tw-"),
                                            ("http://[::1]:8742", "http://[::1]:8742/#login=tw-")])
def test_the_link_names_the_running_servers_address(home: Path, url: str, shown: str) -> None:
    announce_server(home, url)  # as `tandem serve` does while it serves; this test's process is alive
    said = tandem("keys", "link", home=home)
    assert said.returncode == 0 and said.stdout.startswith(shown), said


def test_without_a_server_the_link_names_the_configured_address(home: Path) -> None:
    said = tandem("keys", "link", home=home)
    assert said.returncode == 0 and said.stdout.startswith("http://127.0.0.1:8700/#login=tw-"), said
