"""``tandem serve``: the OpenAI-compatible API on the device."""

from __future__ import annotations

import errno
import os
import socket
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


def _listening(host: str, port: int) -> list[socket.socket]:
    """The server's sockets, bound before anything is announced or loaded: a port in use is said at once, not after
    the models loaded, the address was printed and a login link was made for a server that never ran. One socket
    per address ``host`` names, as uvicorn's own binding (asyncio's ``create_server``) would: ``localhost`` is
    both 127.0.0.1 and ::1 where both exist, and an IPv6 socket takes IPv6 only."""
    if not 0 < port < 65536:
        raise click.UsageError(f"port {port} is not a TCP port (1-65535)")
    sockets: list[socket.socket] = []
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in dict.fromkeys(found):
            sockets.append(sock := socket.socket(family, kind, proto))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        busy = " (another server runs there; `tandem doctor` checks the port)" if exc.errno == errno.EADDRINUSE else ""
        raise click.ClickException(f"cannot serve on {_address(host, port)}: {exc.strerror or exc}{busy}") from exc
    return sockets


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


@click.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8700).")
@click.option("--model", "model_id", default=None, help="Model to load at start (default: the configured one).")
@click.option("--no-preload", is_flag=True, help="Load models on first request instead of at start.")
def serve(host: str | None, port: int | None, model_id: str | None, no_preload: bool) -> None:
    """Serve the model API (OpenAI-compatible) on HOST:PORT."""
    import uvicorn

    from tandem.api.app import create_app
    from tandem.app.things import PartnerThings
    from tandem.models.registry import ModelRegistry
    from tandem.router.wiring import register_routing

    settings = load_settings(host=host, port=port, default_model=model_id)
    sockets = _listening(settings.host, settings.port)
    registry = ModelRegistry(settings, progress=StderrProgress())
    # cloud:* (always behind the privacy engine) and tandem:auto ...; the partners' dishes and products are no names
    routing = register_routing(registry, things=PartnerThings(settings))  # read again when the partners change
    # the privacy detectors load their models on first use (seconds): load them now, beside the server's start
    threading.Thread(target=routing.warm, name="tandem-warm-privacy", daemon=True).start()
    preload = [] if no_preload or not settings.preload else [settings.default_model]
    app = create_app(registry, preload=preload)
    click.echo(f"tandem: serving on http://{_address(settings.host, settings.port)}/v1 (region {settings.region}, "
               f"home {settings.home})", err=True)
    click.echo(f"tandem: routing models {', '.join(routing.hybrid_ids + routing.cloud_ids)}", err=True)
    _print_link(settings)
    grace = settings.shutdown_timeout_s
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            timeout_graceful_shutdown=max(1, round(grace)))
    _bounded_server(config, grace).run(sockets=sockets)
