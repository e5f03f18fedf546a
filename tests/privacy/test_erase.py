"""``tandem privacy erase`` as a user runs it: a real ``tandem`` process, on a home that a real ``tandem
serve`` process has filled through its API (an order, the profile, memory, consent, the ledger) and
still serves. Nothing of the user may be left in any file, and the server must not write it back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tandem.keys import read_local_token
from tandem.privacy.erase import USER_DATA, register_user_data, running_server
from tandem.privacy.ledger import EgressRecord, Ledger
from tests.agent.conftest import write_profile
from tests.agent.serve_flows import ROOT, Serve, run_flow

NAME, PHONE, STREET = "Alex Muster", "+49 30 1234567", "Friedrichstraße 100"
REMEMBERED = "Annegret Quastenbeck"  # told to memory through the API


def tandem(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The ``tandem`` console script of this environment (``python -m tandem.cli`` where it is missing)."""
    script = Path(sys.executable).with_name("tandem")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "tandem.cli"]
    full_env = {**os.environ, "TANDEM_HOME": str(home), "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([*argv, *args], env=full_env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _personal_files(home: Path) -> list[str]:
    needles = [s.encode() for s in (NAME, PHONE, STREET, "Kastanienallee", REMEMBERED, "tok_test_4242")]
    return [str(p.relative_to(home)) for p in home.rglob("*")
            if p.is_file() and any(n in p.read_bytes() for n in needles)]


def _local(home: Path) -> dict[str, str]:
    """The credential of this user's own client (the server's local token): confirming and privacy need it."""
    return {"Authorization": f"Bearer {read_local_token(home)}"}


def _fill_through(serve: Serve, home: Path) -> None:
    with httpx.Client(base_url=serve.url, timeout=120, headers=_local(home)) as http:
        run_flow(http, 0, deadline=10**12)  # a pizza to the office: journal and the food partner's orders
        assert http.patch("/v1/profile", json={"places.home": "Kastanienallee 7"}).status_code == 200
        assert http.post("/v1/memory/items", json={"key": "friend", "value": REMEMBERED}).status_code == 200
    assert tandem(home, "privacy", "consent", "--cross-border").returncode == 0
    ledger = Ledger.at_home(home)
    ledger.record(EgressRecord(endpoint="https://llm.example.eu/v1", region="FR", model="qwen-plus",
                               purpose="chat completion", legal_basis="GDPR Art. 6(1)(b)", payload_sha256="0" * 64,
                               payload_bytes=10, categories=("PERSON",)))
    ledger.close()


def test_erase_through_a_running_server_leaves_nothing(home: Path) -> None:
    write_profile(home, "DE")
    serve = Serve(home)
    serve.start()
    try:
        _fill_through(serve, home)
        assert {"agent.db", "profile.toml", "keys/memory.key", "privacy.toml"} <= {
            str(p.relative_to(home)) for p in home.rglob("*")}
        assert _personal_files(home)
        local = _local(home)  # erasing removes everything of the user's, the token included
        done = tandem(home, "privacy", "erase", "--yes")
        assert done.returncode == 0, done.stderr
        assert "through the server" in done.stdout and "erased 1 ledger records" in done.stdout
        for gone in ("agent.db", "profile.toml", "memory", "keys/memory.key", "privacy.toml", "partners", "logs"):
            assert not (home / gone).exists(), gone
        with httpx.Client(base_url=serve.url, timeout=60, headers=local) as http:  # the server goes on, empty
            assert http.get("/v1/assistant/tasks").json()["data"] == []
            assert http.get("/v1/memory/items").json()["data"] == []
            assert http.get("/v1/privacy/ledger").json()["data"] == []
        assert _personal_files(home) == []
    finally:
        serve.stop()
    assert _personal_files(home) == []  # what the server opened again afterwards is empty
    assert running_server(home) is None


def test_erase_refuses_while_a_server_it_cannot_use_runs(home: Path) -> None:
    write_profile(home, "DE")
    serve = Serve(home)
    os.environ["TANDEM_API_KEY"] = "only-the-server-knows"  # the server's own environment, inherited by Popen
    try:
        serve.start()
    finally:
        del os.environ["TANDEM_API_KEY"]
    try:
        (home / "keys" / "local.token").unlink()  # nor the token it leaves this user's CLI (tandem.keys.local_token)
        refused = tandem(home, "privacy", "erase", "--yes")
        assert refused.returncode != 0
        assert len(refused.stderr.strip().splitlines()) == 1 and "server" in refused.stderr
        assert "Alex Muster" in (home / "profile.toml").read_text(encoding="utf-8")  # nothing deleted under it
    finally:
        serve.stop()
    assert running_server(home) is None  # killed with SIGKILL: its marker names a dead process
    done = tandem(home, "privacy", "erase", "--yes")
    assert done.returncode == 0 and "profile.toml" in done.stdout and not (home / "profile.toml").exists()


def test_every_store_is_listed() -> None:
    for relative in ("agent.db", "agent.db-wal", "profile.toml", "memory/memory.db", "keys/memory.key",
                     "privacy/ledger.db", "privacy.toml", "logs/gabelpost.food.log", "partners/gabelpost.food.db"):
        register_user_data(relative)  # raises for a path USER_DATA does not cover
    with pytest.raises(ValueError):
        register_user_data("notes.db")
    with pytest.raises(ValueError):
        register_user_data("../elsewhere")
    assert "services.db" not in USER_DATA and "config.toml" not in USER_DATA
