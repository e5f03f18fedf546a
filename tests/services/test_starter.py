"""The partner starter (services.starter, services.forking): Tandem's reference partners are forked from a
process that imported their libraries once, confined exactly as the launcher confines them; anything else,
or any failure of the starter, starts the old way."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession

from tandem.config import load_settings
from tandem.services import forking
from tandem.services.hub import ServiceHub
from tandem.services.registry import ServiceRegistry
from tandem.services.sandbox import Grants, available, grants
from tandem.testing.agent import write_profile
from tests.services.conftest import children
from tests.services.test_resilience import cinema_manifest, data_dir

pytestmark = pytest.mark.anyio


def _cinema(registry: ServiceRegistry, db: Path) -> None:
    registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 30, "command": [
        sys.executable, "-m", "tandem.partners.cinema", "--region", "EU", "--db", str(db)]}), "test")


def _ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def test_a_reference_partner_is_forked_by_the_starter_and_ends_with_its_session(home: Path,
                                                                                     tmp_path: Path) -> None:
    registry = ServiceRegistry(load_settings(), builtins=False)
    db = data_dir(tmp_path) / "cinema.db"
    _cinema(registry, db)
    async with ServiceHub(registry, region="DE") as hub:
        assert "test_cinema__list_films" in {t.name for t in await hub.tools()}
        assert (await hub.call("test.cinema/list_films", {})).ok
        (pid,) = children(str(db))
        assert pid in forking.running() and os.getppid() != pid  # forked, not a child of this process
        assert Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] != str(os.getpid())
    assert pid not in forking.running() and _ended(pid)


async def _spy(home: Path, tmp_path: Path, starter: forking.Starter, name: str = "spy",
               more: dict[str, str] | None = None) -> tuple[forking.Child, Any]:
    argv = [sys.executable, "-m", "tests.services.spy_partner"]
    own = home / "partners" / "home" / name
    own.mkdir(parents=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(own), "TANDEM_HOME": str(home)} | (more or {})
    log = open(tmp_path / "spy.log", "a", encoding="utf-8")  # noqa: SIM115
    child = await forking.spawn(argv, env, grants(argv, own, home, env), log, starter=starter)
    log.close()
    assert child is not None
    return child, argv


@pytest.mark.skipif(not available(), reason="this kernel has no Landlock (Linux >= 5.13)")
async def test_a_forked_partner_is_confined_before_its_code_runs(home: Path, tmp_path: Path) -> None:
    """Also review R20-3: every child is a copy of the starter's memory, so the spy, forked after a partner
    whose environment holds a token (as long as a JWT), finds that token nowhere in its own memory, freed
    blocks included. And ``ps`` shows the spy, not the starter."""
    write_profile(home, "DE")
    head, tail = "tandem-test-token-", secrets.token_hex(400)
    starter = forking.Starter()
    try:
        first, _ = await _spy(home, tmp_path, starter, "first", {"PARTNER_TOKEN": head + tail})
        child, argv = await _spy(home, tmp_path, starter)
        async with forking.streams(child) as (read, write), ClientSession(read, write) as session:
            await session.initialize()

            async def ask(tool: str, **args: str) -> str:
                return str((await session.call_tool(tool, args)).content[0].text)  # type: ignore[union-attr]

            assert await ask("peek", path=str(home / "profile.toml")) == "DENIED 13"
            assert (await ask("peek", path=str(Path(__file__).parent / "spy_partner.py"))).startswith("READ ")
            assert await ask("seek", head=head, tail=tail) == "0"
            assert await ask("seek", head=head[:8], tail=head[8:]) != "0"  # the scan sees its own arguments
            assert Path(f"/proc/{child.pid}/comm").read_text() == "spy_partner\n"
            shown = Path(f"/proc/{child.pid}/cmdline").read_bytes().rstrip(b"\0").decode().split("\0")
            assert shown[:2] == argv[:2] and shown[2] and argv[2].startswith(shown[2])
        async with forking.streams(first):
            pass
    finally:
        starter.stop()


def test_the_starter_is_sent_no_partners_environment(tmp_path: Path) -> None:
    """Review R20-3, where it starts: what reaches the starter is one fixed word and descriptors; the request
    (the partner's environment with its token) is in a memory file the starter hands to the child unread."""
    token = "tandem-test-token-" + secrets.token_hex(16)
    starter = forking.Starter()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    starter._channel, starter._env = ours, forking._starter_env()  # the test plays the starter
    streams = (os.open(os.devnull, os.O_RDWR), os.open(os.devnull, os.O_RDWR), os.open(os.devnull, os.O_RDWR))
    fds: list[int] = []
    try:
        with ThreadPoolExecutor(1) as pool:
            started = pool.submit(starter.start, [sys.executable, "-m", "tandem.partners.cinema"],
                                  {"PARTNER_TOKEN": token}, str(tmp_path), Grants(), streams)
            data, got, _, _ = socket.recv_fds(theirs, 1 << 20, 8)
            fds += [*got, os.pidfd_open(os.getpid())]
            socket.send_fds(theirs, [b'{"pid": %d}' % os.getpid()], fds[-1:])
            pid, pidfd = started.result(timeout=10)
        os.close(pidfd)
        assert token.encode() not in data and len(fds) == 5 and pid == os.getpid()
        with open(fds[3], "rb", closefd=False) as request:
            assert json.loads(request.read())["env"]["PARTNER_TOKEN"] == token
    finally:
        for fd in (*streams, *fds):
            os.close(fd)
        starter.stop()
        theirs.close()


async def test_when_tandems_side_is_gone_the_partner_and_the_starter_end(home: Path, tmp_path: Path) -> None:
    starter = forking.Starter()
    child, _ = await _spy(home, tmp_path, starter)
    process = starter._process
    assert process is not None and not _ended(child.pid)
    os.close(child.stdin)  # what a killed Tandem leaves: its ends closed by the kernel
    starter._channel.close()  # type: ignore[union-attr]
    with anyio.fail_after(10):
        await anyio.wait_readable(child.pidfd)
        while process.poll() is None:
            await anyio.sleep(0.05)
    os.close(child.stdout)
    os.close(child.pidfd)
    forking._running.pop(child.pid, None)


async def test_a_starter_that_is_gone_leaves_partners_to_the_launcher(home: Path, tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    starter = forking.Starter()
    starter._ensure()
    assert starter._process is not None
    starter._process.send_signal(signal.SIGKILL)
    starter._process.wait()
    log = open(tmp_path / "spy.log", "a", encoding="utf-8")  # noqa: SIM115
    argv = [sys.executable, "-m", "tests.services.spy_partner"]
    env = {"PATH": os.environ["PATH"]}
    assert await forking.spawn(argv, env, grants(argv, tmp_path, home, env), log, starter=starter) is None
    log.close()
    assert "partner starter unavailable" in caplog.text
    assert starter._process is None  # stopped: the next start starts a new one

    registry = ServiceRegistry(load_settings(), builtins=False)
    db = data_dir(tmp_path) / "cinema.db"
    _cinema(registry, db)

    def refuse(*args: Any) -> Any:
        raise OSError("the starter refused: test")

    forking.STARTER.start = refuse  # type: ignore[method-assign]
    try:
        async with ServiceHub(registry, region="DE") as hub:
            assert (await hub.call("test.cinema/list_films", {})).ok
            (pid,) = children(str(db))
            assert pid not in forking.running()  # a child of this process: the launcher's
    finally:
        del forking.STARTER.start


async def test_other_partners_never_go_through_the_starter(home: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Any] = []
    monkeypatch.setattr(forking.STARTER, "start", lambda *args: asked.append(args))
    registry = ServiceRegistry(load_settings(), builtins=False)
    db = data_dir(tmp_path) / "cinema.db"
    doc = cinema_manifest({"type": "stdio", "command": [
        sys.executable, "-m", "tandem.partners.cinema", "--region", "EU", "--db", str(db)],
        "env": {"PYTHONPATH": str(tmp_path)}})  # would load other code: not Tandem's own partner
    registry.add_manifest(doc, "test")
    script = tmp_path / "spy.py"
    script.write_text((Path(__file__).parent / "spy_partner.py").read_text(), encoding="utf-8")
    registry.add_manifest(cinema_manifest({"type": "stdio", "command": [sys.executable, str(script)]},
                                          "other.cinema"), "test")
    async with ServiceHub(registry, region="DE") as hub:
        assert (await hub.call("test.cinema/list_films", {})).ok
        assert (await hub.check())["other.cinema"].healthy
    assert not asked
