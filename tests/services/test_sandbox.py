"""A stdio partner runs confined (issue 13): it cannot read the user's data under TANDEM_HOME, nor write
outside its own HOME and the directories its command names; it still runs, writes its own files and reads
its own program. A partner written here, started by the hub like any partner the user adds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tandem.config import load_settings
from tandem.services.hub import ServiceHub
from tandem.services.manifest import parse_manifest
from tandem.services.registry import ServiceRegistry
from tandem.services.sandbox import _abi, available, grants, launcher_argv, launcher_env
from tandem.testing.agent import write_profile

SPY = Path(__file__).with_name("spy_partner.py").read_text(encoding="utf-8")  # run as a script of its own

needs_landlock = pytest.mark.skipif(not available(), reason="this kernel has no Landlock (Linux >= 5.13)")
needs_landlock_net = pytest.mark.skipif(_abi() < 4, reason="this kernel's Landlock cannot confine TCP (Linux >= 6.7)")


def _spy(tmp_path: Path) -> Any:
    own = tmp_path / "spy-program"
    own.mkdir()
    script = own / "spy.py"
    script.write_text(SPY, encoding="utf-8")
    return parse_manifest({
        "manifest_version": 1, "id": "spy.lifestyle", "partner": "Spy", "names": {"en": "Spy"},
        "categories": ["lifestyle"], "regions": ["DE"], "data": {"processing_regions": ["DE"]},
        "transport": {"type": "stdio", "command": ["{python}", str(script)]}, "auth": {"type": "none"},
        "tools": [{"name": "peek"}, {"name": "drop"}, {"name": "knock"}]})


@needs_landlock
@pytest.mark.anyio
async def test_a_partner_cannot_read_the_users_data(home: Path, tmp_path: Path) -> None:
    write_profile(home, "DE")
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add_manifest(_spy(tmp_path), "test")
    own_home = home / "partners" / "home" / "spy.lifestyle"
    async with ServiceHub(registry, region="DE") as hub:
        async def tool(name: str, **arguments: str) -> str:
            return str((await hub.call(f"spy.lifestyle/{name}", arguments)).data)

        assert (home / "profile.toml").exists()
        assert await tool("peek", path=str(home / "profile.toml")) == "DENIED 13"
        assert await tool("peek", path=str(home / "services.db")) == "DENIED 13"
        assert await tool("drop", path=str(home / "profile.toml"), text="pwned") == "DENIED 13"
        assert await tool("drop", path=str(tmp_path / "beside-home.txt"), text="x") == "DENIED 13"
        assert (await tool("peek", path=str(tmp_path / "spy-program" / "spy.py"))).startswith("READ ")  # its own
        assert await tool("drop", path=str(own_home / "note.txt"), text="mine") == "WROTE"
        assert await tool("peek", path=str(own_home / "note.txt")) == "READ mine"
    registry.close()
    assert "Alex" in (home / "profile.toml").read_text(encoding="utf-8")
    assert not (tmp_path / "beside-home.txt").exists()


def test_no_grant_reaches_into_the_home(home: Path, tmp_path: Path) -> None:
    """Paths a hostile manifest names inside TANDEM_HOME, or a directory that holds it, grant nothing of it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "keys").mkdir()
    (tmp_path / "to-keys").symlink_to(home / "keys")  # beside the home, a link into it (or a partner's swap)
    argv = [sys.executable, "-m", "evil", "--db", str(home / "keys" / "x.db"), "--cache", str(tmp_path)]
    own = home / "partners" / "home" / "evil"
    rules = grants(argv, own, home)
    real_home = home.resolve()
    for path in rules.read + rules.write:
        inside = path.resolve().is_relative_to(real_home)
        assert not inside or path.resolve().is_relative_to(own.resolve()), path
        assert not real_home.is_relative_to(path.resolve()), path  # a grant over the home's parent
    assert tmp_path.resolve() in rules.listed  # the parent is listed, not readable


def test_a_directory_holding_the_users_home_is_never_written(home: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``python ~/server.py`` names the user's home: written, ~/.bashrc would run code outside the sandbox."""
    user = tmp_path / "user"
    (user / "partner").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(user))
    argv = [sys.executable, str(user / "server.py"), "--data", str(user / "partner")]
    rules = grants(argv, home / "partners" / "home" / "p", home)
    assert user.resolve() not in rules.write and user.resolve() in rules.read
    assert (user / "partner").resolve() in rules.write  # a directory of its own still is


@needs_landlock
def test_the_partners_environment_acts_only_once_it_is_confined(home: Path, tmp_path: Path) -> None:
    """A manifest's PYTHONPATH (or LD_PRELOAD) must not run the partner's code in the launcher before Landlock."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text("secret", encoding="utf-8")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        f"import os\ntry:\n    os.write(2, b'READ ' + open({str(home / 'profile.toml')!r}, 'rb').read())\n"
        "except OSError:\n    pass\n", encoding="utf-8")
    argv = [sys.executable, "-c", "import os; print(os.environ['PYTHONPATH'])"]
    own = home / "partners" / "home" / "p"
    own.mkdir(parents=True)
    env = launcher_env({"PATH": os.environ["PATH"], "PYTHONPATH": str(hook)})
    run = subprocess.run(launcher_argv(argv, grants(argv, own, home)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert "READ" not in run.stderr
    assert run.returncode == 0 and run.stdout.strip() == str(hook)  # the partner still gets its variable


PROBE = """
import os, signal, subprocess, sys
def attempt(step):
    try:
        step()
        return "DONE"
    except OSError as exc:
        return f"DENIED {exc.errno}"
print(attempt(lambda: open(f"/proc/{os.getppid()}/environ", "rb").read()))
print(attempt(lambda: open("/proc/self/status").read()))
print(attempt(lambda: os.kill(os.getppid(), 0)))
if sys.argv[1:] == ["helper"]:
    sys.exit()
helper = subprocess.run([sys.executable, "-c", __PROBE__, "helper"], capture_output=True, text=True)
print(helper.returncode, *helper.stdout.split())
"""


@needs_landlock
def test_a_partner_reads_no_other_processs_environment_and_signals_nobody_outside(home: Path, tmp_path: Path) -> None:
    """Review R20-2, R20-4: /proc/<Tandem>/environ holds Tandem's keys and other partners' tokens, though
    partner_env gives a partner none of them; and a partner that could signal Tandem could stop it. Its own
    /proc/self stays readable; signals are scoped where the kernel can (Landlock ABI 6). A helper program the
    partner runs runs, reads what the partner may (its parent is the partner) and has no /proc/self of its own:
    the limit the sandbox module's docstring explains."""
    argv = [sys.executable, "-c", PROBE.replace("__PROBE__", repr(PROBE))]
    own = home / "partners" / "home" / "p"
    own.mkdir(parents=True)
    env = {"PATH": os.environ["PATH"]}
    run = subprocess.run(launcher_argv(argv, grants(argv, own, home, env)), env=launcher_env(env), capture_output=True,
                         text=True, timeout=120)
    environ, status, signal, helper = (line.split() for line in run.stdout.splitlines())
    assert (environ[0], status[0]) == ("DENIED", "DONE"), run.stdout + run.stderr
    assert signal[0] == ("DENIED" if _abi() >= 6 else "DONE")
    assert helper == ["0", "DONE", "DENIED", "13", "DONE"]  # its parent is the partner: same rules, same domain


def test_only_tandems_own_partners_write_their_databases(home: Path, tmp_path: Path) -> None:
    """``$TANDEM_HOME/partners`` (other partners' homes, the reference partners' orders) is granted to Tandem's
    own partner modules on Tandem's interpreter, not to a manifest that names the module and brings its code."""
    own, databases = home / "partners" / "home" / "p", home.resolve() / "partners"
    reference = [sys.executable, "-m", "tandem.partners.cinema", "--region", "EU"]
    assert databases in grants(reference, own, home, {}).write
    other = tmp_path / "python"
    other.write_text("", encoding="utf-8")
    assert databases not in grants([str(other), *reference[1:]], own, home, {}).write
    assert databases not in grants(reference, own, home, {"PYTHONPATH": str(tmp_path / "x")}).write
    assert databases not in grants(reference, own, home, {"LD_PRELOAD": str(other)}).write


@needs_landlock_net
@pytest.mark.anyio
async def test_a_partner_cannot_call_tandems_own_api(home: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyless loopback caller may talk to the assistant and read its models: a partner must not be that caller."""
    import socket

    with socket.create_server(("127.0.0.1", 0)) as api, socket.create_server(("127.0.0.1", 0)) as backend:
        monkeypatch.setenv("TANDEM_PORT", str(api.getsockname()[1]))  # where `tandem serve` listens
        registry = ServiceRegistry(load_settings(), builtins=False)
        registry.add_manifest(_spy(tmp_path), "test")
        async with ServiceHub(registry, region="DE") as hub:
            async def knock(port: int) -> str:
                return str((await hub.call("spy.lifestyle/knock", {"port": port})).data)

            assert await knock(api.getsockname()[1]) == "DENIED 13"
            assert await knock(backend.getsockname()[1]) == "CONNECTED"  # its own backends stay reachable
        registry.close()
