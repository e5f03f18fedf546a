"""``tandem keys``: API keys with scopes for apps that use ``tandem serve`` (see docs/security.md)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import click

from tandem.config import load_settings
from tandem.keys import LINK_TTL_S, SCOPES, KeyStore, keys_path, link_secret, login_link, parse_scopes
from tandem.privacy.erase import running_server

__all__ = ["keys"]


def _store() -> KeyStore:
    return KeyStore(keys_path(load_settings().home))


@click.group()
def keys() -> None:
    """Create, list and revoke API keys. Once a key exists, every API call needs one (or the web app's session)."""


@keys.command()
@click.argument("name")
@click.option("--scope", "-s", "scopes", multiple=True, required=True,
              help=f"What the key may do: {', '.join(SCOPES)}, or all (repeat or comma-separate).")
def create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a key called NAME; it is printed once and only its hash is kept."""
    store = _store()
    try:
        record, key = store.create(name, parse_scopes(scopes))
    finally:
        store.close()
    click.echo(key)
    click.echo(f"created {record.id} {record.name!r} with scopes {', '.join(sorted(record.scopes))}; "
               "this is the only time the key is shown", err=True)


@keys.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_keys(as_json: bool) -> None:
    """Every key: id, name, scopes, when it was created, whether it still works."""
    store = _store()
    try:
        records = store.list()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([r.public() for r in records], indent=2))
        return
    if not records:
        click.echo("no keys: only this device (loopback) may use the server")
        return
    for r in records:
        state = "revoked" if r.revoked_at is not None else "active"
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created_at))
        click.echo(f"{r.id}  {state:7}  {created}  {','.join(sorted(r.scopes)):32}  {r.name}")


@keys.command()
@click.argument("key")
def revoke(key: str) -> None:
    """Revoke KEY (its id, its name, or the key itself); it stops working at once, also on a running server."""
    store = _store()
    try:
        record = store.revoke(key)
    finally:
        store.close()
    click.echo(f"revoked {record.id} {record.name!r}")


@keys.command()
@click.option("--rotate", is_flag=True,
              help="First replace the link secret: every earlier link stops working, and the web sessions opened "
                   "with one end (also on a running server).")
@click.option("--minutes", type=click.IntRange(1, 24 * 60), default=LINK_TTL_S // 60, show_default=True,
              help="How long the new link may be opened.")
def link(rotate: bool, minutes: int) -> None:
    """Print a new link to the web app with a login code: opened once, in a browser on this device, within
    MINUTES, the page may confirm purchases, erase data and change settings (without it, or a key, it may only
    chat)."""
    settings = load_settings()
    if rotate:
        link_secret(settings.home, rotate=True)
        click.echo("rotated: earlier links and the web sessions opened with them no longer work", err=True)
    host, port = settings.host, settings.port
    if (server := running_server(settings.home)) is not None:  # `tandem serve --port 8741`: that server's address
        where = urlsplit(server.url)
        host, port = where.hostname or host, where.port or port
    click.echo(login_link(settings.home, host, port, ttl_s=minutes * 60))
    until = time.strftime("%H:%M", time.localtime(time.time() + minutes * 60))
    click.echo(f"opens one web session, in a browser on this device, until {until} ({minutes} minutes); after that, "
               "or once used, run tandem keys link again", err=True)
