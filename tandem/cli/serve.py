"""``tandem serve``: the OpenAI-compatible API on the device."""

from __future__ import annotations

import click

from tandem.cli.progress import StderrProgress
from tandem.config import load_settings


@click.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8700).")
@click.option("--model", "model_id", default=None, help="Model to load at start (default: the configured one).")
@click.option("--no-preload", is_flag=True, help="Load models on first request instead of at start.")
def serve(host: str | None, port: int | None, model_id: str | None, no_preload: bool) -> None:
    """Serve the model API (OpenAI-compatible) on HOST:PORT."""
    import uvicorn

    from tandem.api.app import create_app
    from tandem.models.registry import ModelRegistry
    from tandem.router.wiring import register_routing

    settings = load_settings(host=host, port=port, default_model=model_id)
    registry = ModelRegistry(settings, progress=StderrProgress())
    routing = register_routing(registry)  # cloud:* (always behind the privacy engine) and tandem:auto ...
    preload = [] if no_preload or not settings.preload else [settings.default_model]
    app = create_app(registry, preload=preload)
    click.echo(f"tandem: serving on http://{settings.host}:{settings.port}/v1 (region {settings.region}, "
               f"home {settings.home})", err=True)
    click.echo(f"tandem: routing models {', '.join(routing.hybrid_ids + routing.cloud_ids)}", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
