"""``tandem profile show|set|unset``: the details orders are filled from, kept in profile.toml."""

from __future__ import annotations

import json
from typing import Any

import anyio
import click

from tandem.agent.profile import load_profile, save_profile, set_field
from tandem.app.profile import public_profile
from tandem.config import Settings, load_settings

__all__ = ["profile"]


@click.group()
def profile() -> None:
    """Your name, phone, payment token, city and saved places (on this device only)."""


@profile.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show(as_json: bool) -> None:
    """The profile; the payment token shows only its last four characters."""
    shown = public_profile(load_profile(load_settings().home))
    if as_json:
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    for key in ("name", "phone", "payment_token", "city"):
        click.echo(f"{key:14} {shown[key] or '-'}")
    for name, place in shown["places"].items():
        click.echo(f"places.{name:7} {place['address']} ({place['city'] or '-'})")


@profile.command("set")
@click.argument("key")
@click.argument("value")
@click.option("--city", default="", help="For places.<name>: the place's city (default: your city).")
def set_command(key: str, value: str, city: str) -> None:
    """Set KEY (name, phone, payment_token, city, places.<name>) to VALUE."""
    settings = load_settings()
    save_profile(settings.home, set_field(load_profile(settings.home), key, value, city))
    click.echo(f"{key} {'set' if value.strip() else 'cleared'}")  # an empty value clears the field
    _go_on(settings, f"profile.{key}")


def _go_on(settings: Settings, detail: str) -> None:
    """The tasks that waited for ``detail`` (a payment method) go on now, and say where they are: else they
    would sit until the next ``tandem ask`` or a server's next round."""
    from tandem.agent.assistant import describe
    from tandem.agent.journal import Journal
    from tandem.agent.tasks import ACTIVE
    from tandem.app.assistant import journal_path, open_assistant

    journal = Journal(journal_path(settings))
    try:
        waiting = {t.id for t in journal.tasks(states=ACTIVE) if t.waiting == detail}
    finally:
        journal.close()
    if not waiting:
        return

    async def resume() -> list[Any]:
        async with open_assistant(settings) as assistant:
            return [t for t in await assistant.resume() if t.id in waiting]

    for task in anyio.run(resume):
        click.echo(describe(task))


@profile.command()
@click.argument("key")
def unset(key: str) -> None:
    """Clear KEY."""
    home = load_settings().home
    save_profile(home, set_field(load_profile(home), key, ""))
    click.echo(f"{key} cleared")
