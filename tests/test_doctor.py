"""``tandem doctor`` fails, with the fix on its first line, wherever ``tandem serve`` or a feature would fail."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tandem.cli.doctor import extra_checks, setting_checks
from tandem.config import load_settings

SMALL = "device:qwen2.5-coder-0.5b"  # the model the test install has weights for


def doctor(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TANDEM_HOME": str(home), "TANDEM_DEFAULT_MODEL": SMALL, **env}
    return subprocess.run([sys.executable, "-m", "tandem.cli", "doctor", *args], capture_output=True, text=True,
                          env=environ, timeout=300, stdin=subprocess.DEVNULL)


def _free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def test_a_working_install_passes_with_partners_started(home: Path) -> None:
    out = doctor(home, TANDEM_PORT=_free_port())
    assert out.returncode == 0, out.stdout
    assert f"ok  model {SMALL}" in out.stdout and "(default)" in out.stdout
    assert "ok  partner lichtspiel.cinema" in out.stdout and "ok  word list de" in out.stdout
    assert "FAIL" not in out.stdout


def test_an_unknown_default_model_fails_first_with_the_fix(home: Path) -> None:
    out = doctor(home, "--no-partners", TANDEM_DEFAULT_MODEL="device:nope", TANDEM_PORT=_free_port())
    assert out.returncode == 1
    first = out.stdout.splitlines()[0]
    assert first.startswith("fix: set TANDEM_DEFAULT_MODEL") and SMALL in first and "device:nope" in first


def test_an_old_model_id_still_resolves(home: Path) -> None:
    out = doctor(home, "--no-partners", TANDEM_DEFAULT_MODEL="device:qwen2.5-0.5b", TANDEM_PORT=_free_port())
    assert out.returncode == 0, out.stdout


def test_threads_out_of_range_fails(home: Path) -> None:
    out = doctor(home, "--no-partners", TANDEM_THREADS="-1", TANDEM_PORT=_free_port())
    assert out.returncode == 1
    assert out.stdout.splitlines()[0].startswith("fix: set TANDEM_THREADS (or threads in config.toml) to 0 or more")


def test_a_port_in_use_fails(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = doctor(home, "--no-partners", TANDEM_PORT=str(port))
    assert out.returncode == 1
    assert out.stdout.splitlines()[0].startswith(f"fix: stop what listens on port {port}")


def test_a_bad_setting_value_is_the_first_line(home: Path) -> None:
    out = doctor(home, "--no-partners", TANDEM_PORT="eighty")
    assert out.returncode == 1
    assert out.stdout.splitlines()[0].startswith("fix: expected int") and "'port'" in out.stdout


def test_settings_in_range(home: Path) -> None:
    assert all(c.ok for c in setting_checks(load_settings(home=home)))
    bad = setting_checks(load_settings(home=home, port=70000, max_image_pixels=0))
    assert {c.what for c in bad} == {"setting port", "setting max_image_pixels"} and not any(c.ok for c in bad)


def test_an_extra_installed_in_part_fails_and_a_missing_one_is_off() -> None:
    checks = {c.what: c for c in extra_checks(installed=lambda module: module != "av", which=lambda tool: "/x")}
    assert not checks["extra speech"].ok and "av (audio decoding" in checks["extra speech"].detail
    assert checks["extra speech"].fix == "pip install -e '.[speech]'"
    assert "tool espeak-ng" not in checks  # a broken extra's tools are not what to fix first
    off = {c.what: c for c in extra_checks(installed=lambda module: False, which=lambda tool: None)}
    assert off["extra vision"].ok and "501" in off["extra vision"].detail


def test_a_missing_debian_tool_fails() -> None:
    checks = {c.what: c for c in extra_checks(installed=lambda module: True, which=lambda tool: None)}
    assert not checks["tool espeak-ng"].ok and "apt-get install espeak-ng" in checks["tool espeak-ng"].fix


def test_speech_settings_that_would_fail_at_the_first_request_fail_here(home: Path) -> None:
    out = doctor(home, "--no-partners", TANDEM_VOICES="de=nobody", TANDEM_PORT=_free_port())
    assert out.returncode == 1
    assert out.stdout.startswith("fix: use joe, baker, pico-de or espeak:<code>"), out.stdout
    assert "FAIL speech settings" in out.stdout and "voices.de" in out.stdout
    out = doctor(home, "--no-partners", TANDEM_ASR_MODEL="device:whisper-huge", TANDEM_PORT=_free_port())
    assert out.returncode == 1 and "unknown model 'device:whisper-huge'" in out.stdout.splitlines()[0]
    ok = doctor(home, "--no-partners", TANDEM_VOICES="de=espeak:de,zh=baker", TANDEM_PORT=_free_port())
    assert "ok  speech settings" in ok.stdout, ok.stdout
