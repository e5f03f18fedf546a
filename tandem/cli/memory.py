"""``tandem memory ...`` (list, add, edit, delete, export, erase, feedback) and ``tandem recommend``: the
on-device profile and suggestions from it, as thin shells over ``tandem.memory`` and ``tandem.app.memory``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tandem.app.memory import add_item, feedback, recommend
from tandem.cli.numbers import FiniteRange
from tandem.cli.output import output_option, write_json
from tandem.config import load_settings
from tandem.memory import MemoryStore, erase_memory
from tandem.models.registry import ModelRegistry

__all__ = ["memory", "recommend_command"]


@click.group()
def memory() -> None:
    """Your preferences and what Tandem learned from your tasks, kept encrypted on this device."""


@memory.command("list")
@click.option("--kind", type=click.Choice(["preference", "fact"]), help="Only stated or only learned items.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_items(kind: str | None, as_json: bool) -> None:
    """Everything remembered, strongest first, with where it came from."""
    with MemoryStore.at_home(load_settings().home) as store:
        items = store.items(kind)
    if as_json:
        click.echo(json.dumps([i.public() for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("nothing remembered yet")
    for i in items:
        key, value = _column(i.key, i.value, i.polarity)
        click.echo(f"{i.id:>4} {i.kind:10} {key:12} {value}  (×{i.weight:g}, {i.source}, {i.updated_at})")


_WORDED = ("like", "avoid")  # a preference kept in the user's words: its polarity is its key


def _column(key: str, value: str, polarity: int) -> tuple[str, str]:
    """An item's key and value as a person reads them: ("genre", "not horror"), ("avoid", "nuts") — never
    "avoid not nuts" (a worded dislike is stored as key avoid with polarity -1)."""
    if key in _WORDED:
        return ("avoid" if polarity < 0 else "like"), value
    return key, f"{'not ' if polarity < 0 else ''}{value}"


def _stated(key: str, value: str, polarity: int) -> str:
    """One item on a line: "not genre = horror", "avoid: nuts"."""
    if key in _WORDED:
        return "{}: {}".format(*_column(key, value, polarity))
    return f"{'not ' if polarity < 0 else ''}{key} = {value}"


@memory.command()
@click.argument("text", required=False)
@click.option("--key", help="What it is about: seat, cuisine, genre, cinema, diet, price_max ...")
@click.option("--value", help="The value, e.g. aisle.")
@click.option("--avoid", is_flag=True, help="Something to avoid rather than to prefer.")
def add(text: str | None, key: str | None, value: str | None, avoid: bool) -> None:
    """Remember a preference: `tandem memory add "no horror films"` or `--key seat --value aisle`."""
    with MemoryStore.at_home(load_settings().home) as store:
        item = add_item(store, text, key, value, -1 if avoid else 1)
    click.echo(f"remembered #{item['id']}: {_stated(item['key'], item['value'], item['polarity'])}")


@memory.command()
@click.argument("item_id", type=int)
@click.option("--value", help="The new value.")
@click.option("--avoid/--prefer", default=None, help="Flip between avoiding and preferring.")
def edit(item_id: int, value: str | None, avoid: bool | None) -> None:
    """Change an item; a learned fact you edit becomes your stated preference."""
    with MemoryStore.at_home(load_settings().home) as store:
        item = store.edit(item_id, value=value, polarity=None if avoid is None else (-1 if avoid else 1))
    click.echo(f"#{item.id}: {_stated(item.key, item.value, item.polarity)}")


@memory.command()
@click.argument("item_id", type=int)
def delete(item_id: int) -> None:
    """Forget one item."""
    with MemoryStore.at_home(load_settings().home) as store:
        store.delete(item_id)
    click.echo(f"forgot #{item_id}")


@memory.command()
@output_option
def export(output: Path | None) -> None:
    """Everything remembered, decrypted, as JSON (GDPR Art. 15 access, Art. 20 portability)."""
    with MemoryStore.at_home(load_settings().home) as store:
        data = store.export()
    write_json(data, output)


@memory.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(yes: bool) -> None:
    """Erase the memory store and its key (GDPR Art. 17). `tandem privacy erase` includes this."""
    home = load_settings().home
    if not yes:
        click.confirm(f"Erase everything Tandem remembers about you under {home}?", abort=True)
    click.echo(f"erased {erase_memory(home)} memory records and the memory key")


@memory.command("feedback")
@click.argument("action", type=click.Choice(["accept", "dismiss"]))
@click.argument("item_id")
def feedback_command(action: str, item_id: str) -> None:
    """Tell Tandem you took (accept) or do not want (dismiss) a suggestion, by its id."""
    settings = load_settings()
    with MemoryStore.at_home(settings.home) as store:
        event = feedback(store, ModelRegistry(settings).embedder(), settings, item_id, action)
    click.echo(f"{event['action']}: {event['item']}")


@click.command("recommend")
@click.argument("text", default="")
@click.option("--city", help="Where (default: the city in profile.toml).")
@click.option("--budget", type=FiniteRange(min=0, min_open=True), help="Highest price per person.")
@click.option("-k", "count", type=click.IntRange(1, 50), default=5, show_default=True, help="How many suggestions.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def recommend_command(text: str, city: str | None, budget: float | None, count: int, as_json: bool) -> None:
    """Suggestions across partners for TEXT ("what should we do tonight?", "a film for Saturday")."""
    settings = load_settings()
    with MemoryStore.at_home(settings.home) as store:
        found = recommend(store, ModelRegistry(settings).embedder(), settings, text, city=city, budget=budget,
                          k=count)
    if as_json:
        click.echo(json.dumps([s.public() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("nothing fits; try without a budget or city")
    for n, s in enumerate(found, 1):
        c = s.candidate
        price = f", {c.price:g} {c.currency}" if c.price is not None else ""
        when = f", {c.starts_at.replace('T', ' ')}" if c.starts_at else ""
        click.echo(f"{n}. {c.title} [{c.domain}{price}{when}] — {s.reason}\n   id: {c.id}")
