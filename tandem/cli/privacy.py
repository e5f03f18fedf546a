"""``tandem privacy``: what left the device (ledger, export), erasure, consent, and a PII scan."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from tandem.cli.output import output_option, write_json
from tandem.config import load_settings

__all__ = ["privacy"]


@click.group()
def privacy() -> None:
    """The egress ledger, GDPR export and erasure, consent, and PII scanning."""


@privacy.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="Newest N records (0: all).")
def ledger(as_json: bool, limit: int) -> None:
    """Every cloud call: when, where, why, and what (hash and size of the pseudonymised payload)."""
    from tandem.privacy.ledger import Ledger

    store = Ledger.at_home(load_settings().home)
    entries = store.entries(limit or None)
    store.close()
    if as_json:
        click.echo(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("no data has left this device")
        return
    click.echo(f"{'time':24} {'region':6} {'model':16} {'bytes':>7} {'status':22} categories removed")
    for e in entries:
        click.echo(f"{e.time[:23]:24} {e.region:6} {e.model[:16]:16} {e.payload_bytes:>7} {e.status[:22]:22} "
                   f"{','.join(e.categories) or '-'}")


@privacy.command()
@output_option
def export(output: Path | None) -> None:
    """Export the ledger, memory, profile, the assistant's conversations and tasks, and the stored Responses as
    JSON (GDPR Art. 15 access, Art. 20 portability)."""
    from tandem.app.privacy import export_everything

    write_json(export_everything(load_settings().home), output)


@privacy.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(yes: bool) -> None:
    """Erase your data on this device (GDPR Art. 17): conversations and orders, profile, memory and its key,
    the egress ledger, consent, logs and the local partners' stores. Goes through a running server."""
    from tandem.privacy.erase import erase_user_data, running_server, user_data_paths

    settings = load_settings()
    home = settings.home
    if not yes:
        click.confirm(f"Erase {', '.join(user_data_paths())} under {home}?", abort=True)
    server = running_server(home)
    if server is not None:
        rows, removed = _erase_through(server.url, server.pid, settings.api_key, home)
        click.echo(f"erased {rows} ledger records{_also(removed)} (through the server at {server.url})")
        return
    done = erase_user_data(home)
    click.echo(f"erased {done.ledger_rows} ledger records{_also(list(done.removed))}")


def _also(removed: list[str]) -> str:
    return f" and {', '.join(removed)}" if removed else ""


def _erase_through(url: str, pid: int, api_key: str, home: Path) -> tuple[int, list[str]]:
    """Erase through the server that uses ``home``: it must close its stores first. If it does not
    answer, refuse rather than delete files under it."""
    import httpx

    from tandem.keys import read_local_token

    key = read_local_token(home) or api_key  # the server made the local token for this user's CLI
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    refusal = (f"a Tandem server (pid {pid}) is using {home} and did not erase at {url}; "
               "stop it (or fix its address) and run `tandem privacy erase` again")
    try:
        response = httpx.delete(f"{url}/v1/privacy/data", headers=headers, timeout=120)
    except httpx.HTTPError as exc:
        raise click.ClickException(refusal) from exc
    if response.status_code != 200:
        raise click.ClickException(f"{refusal} (HTTP {response.status_code})")
    body = response.json()
    return int(body.get("ledger_rows", 0)), [str(p) for p in body.get("removed", [])]


@privacy.command()
@click.option("--cloud/--no-cloud", default=None, help="Allow the cloud at all.")
@click.option("--cross-border/--no-cross-border", default=None,
              help="Allow pseudonymised personal data to endpoints outside your region's safe area.")
@click.option("--health/--no-health", default=None, help="Allow health-related requests to reach the cloud.")
def consent(cloud: bool | None, cross_border: bool | None, health: bool | None) -> None:
    """Show or change what you consent to; each change gets a new consent id the ledger cites."""
    from tandem.privacy.settings import load_privacy, save_consent

    home = load_settings().home
    changes = {k: v for k, v in (("cloud", cloud), ("cross_border", cross_border), ("health", health))
               if v is not None}
    current = save_consent(home, **changes).consent if changes else load_privacy(home).consent
    click.echo(json.dumps(asdict(current), indent=2))


@privacy.command()
@click.argument("text")
def scan(text: str) -> None:
    """Show the personal data found in TEXT and what the cloud would see instead (the check before a cloud call, without
    the on-device model's reading when that is switched on)."""
    from tandem.app.things import partner_things
    from tandem.privacy.detect import guess_language
    from tandem.privacy.pseudonymize import Vault, analyse, redact
    from tandem.router.wiring import egress_detector, fast_detector
    from tandem.types import ChatRequest, Message

    if not text.strip():
        raise click.UsageError("TEXT is empty")
    request = ChatRequest(messages=(Message("user", text),))
    settings = load_settings()
    analysis = analyse(request, egress_detector(fast_detector(settings.region, partner_things(settings))))
    click.echo(f"language: {guess_language(text)}")
    for f in analysis.findings:
        click.echo(f"  {f.category:14} {f.text!r} ({f.source}, {f.score:.2f})")
    click.echo(f"cloud would see: {redact(request, analysis, Vault()).request.messages[0].content}")
