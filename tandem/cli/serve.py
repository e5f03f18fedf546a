"""``tandem serve``: the OpenAI-compatible API on the device."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import click

from tandem.cli.progress import StderrProgress
from tandem.config import load_settings

_EXIT_MARGIN_S = 5.0  # after the grace period: for the app's own shutdown (closing stores, partner processes)


def _bounded_server(config: Any, grace: float) -> Any:
    """uvicorn's server with a bound on shutdown: after SIGTERM/SIGINT, requests in flight get ``grace``
    seconds (uvicorn's graceful shutdown); if threads still hold the process (a model call, the assistant's
    loop draining a backlog) a few seconds later, it exits anyway."""
    import uvicorn

    class Bounded(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            if not self.should_exit:
                timer = threading.Timer(grace + _EXIT_MARGIN_S, _hard_exit)
                timer.daemon = True
                timer.start()
            super().handle_exit(sig, frame)

    return Bounded(config)


def _hard_exit() -> None:
    click.echo("tandem: work still running after the shutdown grace period; exiting now", err=True)
    os._exit(0)


def _print_link(settings: Any) -> None:
    from tandem.keys import LINK_TTL_S, login_link

    try:
        link = login_link(settings.home, settings.host, settings.port)
    except OSError:  # a read-only home: no local token, the web app asks for a key (tandem keys create)
        return
    until = time.strftime("%H:%M", time.localtime(time.time() + LINK_TTL_S))
    click.echo(f"tandem: web app {link} (opens one session until {until}, {LINK_TTL_S // 60} minutes from now, and "
               "may confirm purchases: keep it to yourself; after that, `tandem keys link` prints a new one)", err=True)


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
    _print_link(settings)
    grace = settings.shutdown_timeout_s
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            timeout_graceful_shutdown=max(1, round(grace)))
    _bounded_server(config, grace).run()
