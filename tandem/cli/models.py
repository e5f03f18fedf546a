"""``tandem models``: the on-device model catalog."""

from __future__ import annotations

import json

import click

from tandem.config import load_settings


@click.group()
def models() -> None:
    """List and check on-device models."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_models(as_json: bool) -> None:
    """Show every catalog model, whether its weights are installed, and its context size."""
    from tandem.models.catalog import load_catalog, resolve_id, weights_status

    settings = load_settings()
    catalog = load_catalog(settings.home)
    default = resolve_id(catalog, settings.default_model)
    rows = [{"id": s.id, "weights": weights_status(s, settings.models_dir), "context_length": s.context_length,
             "default": s.id == default, "description": s.description} for s in catalog.values()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        mark = "*" if r["default"] else " "
        click.echo(f"{mark} {r['id']:<24} {r['weights']:<10} ctx {r['context_length']:<6} {r['description']}")
