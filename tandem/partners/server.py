"""What every reference partner shares: regional variants, catalogs, the command line and the run loop.

A partner module defines its variants and a ``build(variant, store, options) -> FastMCP`` function;
``partner_main`` parses ``--region/--db/--transport/--port`` and serves it over stdio or streamable
HTTP, so each partner runs on its own: ``python -m tandem.partners.cinema --region CN``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hmac
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tandem.config import tandem_home
from tandem.partners import MANIFEST_DIR, WELL_KNOWN_MANIFEST, read_manifest, tool_effect
from tandem.partners.store import PartnerStore, ToolError

__all__ = [
    "DATA_DIR",
    "Options",
    "Variant",
    "city_key",
    "load_data",
    "manifest_document",
    "offload",
    "partner_main",
    "tool_annotations",
    "tool_effect",
]

DATA_DIR = Path(__file__).with_name("data")
T = TypeVar("T")

_CITY_ALIASES = {
    "berlin": "Berlin", "münchen": "Munich", "munchen": "Munich", "muenchen": "Munich", "munich": "Munich",
    "beijing": "Beijing", "北京": "Beijing", "hangzhou": "Hangzhou", "杭州": "Hangzhou",
    "shanghai": "Shanghai", "上海": "Shanghai", "柏林": "Berlin", "慕尼黑": "Munich",
}


@dataclass(frozen=True)
class Variant:
    """One regional edition of a partner: its own brand, currency, cities and manifest id."""

    region: str  # "EU" or "CN"
    service_id: str  # equals the id in the variant's manifest
    partner: str  # the (fictional) company running the service
    currency: str  # ISO 4217
    cities: tuple[str, ...]  # canonical English city names this variant serves


@dataclass(frozen=True)
class Options:
    """Run-time knobs of a partner process."""

    payment_latency_s: float = 0.0  # time the payment provider takes, spent inside the order transaction
    host: str = "127.0.0.1"  # streamable HTTP only
    port: int = 8800  # streamable HTTP only
    token_env: str | None = None  # streamable HTTP only: env var holding the bearer token clients must send
    clock: Callable[[], dt.datetime] = dt.datetime.now  # the partner's local clock: what "upcoming"/"began" mean

    def now(self) -> str:
        """The partner's local time as its schedules write it ("YYYY-MM-DD HH:MM")."""
        return self.clock().strftime("%Y-%m-%d %H:%M")

    def server(self, variant: Variant, instructions: str) -> FastMCP:
        """A FastMCP server named after the variant's partner, bound to this host and port. Over HTTP it
        also publishes its Tandem manifest at ``/.well-known/tandem-manifest.json`` (see
        ``manifest_document``), so ``tandem services add http://host:port/mcp`` is enough."""
        # json_response: over HTTP, answer each request with one JSON body instead of an SSE stream; our
        # tools do not stream progress, and it halves the per-call latency.
        server = _AnnotatedMCP(variant.partner, instructions=instructions, host=self.host, port=self.port,
                               log_level="WARNING", json_response=True)
        server.declared = {t["name"]: t for t in _manifest(variant)["tools"]}

        @server.custom_route(WELL_KNOWN_MANIFEST, methods=["GET"])
        async def manifest(request: Request) -> Response:
            return JSONResponse(manifest_document(variant, f"http://{self.host}:{self.port}/mcp", self.token_env))

        return server


def _manifest(variant: Variant) -> dict[str, Any]:
    return read_manifest(MANIFEST_DIR / f"{variant.service_id}.toml")


def tool_annotations(declared: Mapping[str, Any]) -> ToolAnnotations:
    """MCP annotations of a tool, from the facts its manifest entry states: a tool that moves money or
    deletes is destructive; one that is safe to repeat or takes an idempotency key is idempotent."""
    effect = tool_effect(declared)
    read_only = effect == "read" and not declared.get("transactional", False)
    return ToolAnnotations(
        title=declared.get("title") or declared["name"].replace("_", " ").capitalize(),
        readOnlyHint=read_only,
        destructiveHint=not read_only and (bool(declared.get("transactional")) or effect == "delete"),
        idempotentHint=declared.get("idempotency", "safe") in ("safe", "key"),
        openWorldHint=False)


class _AnnotatedMCP(FastMCP):
    """A FastMCP server whose tools carry the annotations and title their manifest entry implies, so a
    generic MCP client can tell a search from a refund."""

    declared: dict[str, Mapping[str, Any]]

    def add_tool(self, fn: Any, name: str | None = None, *args: Any, **kwargs: Any) -> None:
        declared = self.declared.get(name or fn.__name__)
        if declared is not None:
            annotations = tool_annotations(declared)
            kwargs["annotations"] = kwargs.get("annotations") or annotations
            kwargs["title"] = kwargs.get("title") or annotations.title
        super().add_tool(fn, name, *args, **kwargs)


def manifest_document(variant: Variant, url: str, token_env: str | None = None) -> dict[str, Any]:
    """The variant's shipped manifest, with the transport pointing at this HTTP server (and bearer auth
    when it requires a token)."""
    doc = _manifest(variant)
    doc["transport"] = {"type": "http", "url": url, "timeout_s": doc["transport"].get("timeout_s", 15)}
    doc["auth"] = {"type": "bearer", "token_env": token_env} if token_env else {"type": "none"}
    return doc


@functools.cache
def load_data(name: str) -> Any:
    """A catalog file from ``tandem/partners/data`` (parsed once per process)."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def city_key(city: str, variant: Variant) -> str:
    """Canonical city name ("München" → "Munich"); a ToolError names the cities this variant serves."""
    key = _CITY_ALIASES.get(city.strip().lower(), city.strip())
    if key not in variant.cities:
        raise ToolError(f"{variant.partner} does not serve {city!r}; cities: {', '.join(variant.cities)}")
    return key


async def offload(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking SQLite work in a worker thread so one slow order does not stall the server."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


def _parse(name: str, variants: Mapping[str, Variant], argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m tandem.partners.{name}",
                                     description=f"Tandem reference partner: {name} (an MCP server)")
    parser.add_argument("--region", choices=sorted(variants), default=next(iter(variants)))
    parser.add_argument("--db", type=Path, help="SQLite file (default: $TANDEM_HOME/partners/<id>.db)")
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--token-env", help="HTTP only: require 'Authorization: Bearer $TOKEN_ENV' on /mcp")
    parser.add_argument("--payment-latency-ms", type=int, default=0,
                        help="simulated payment-provider latency inside each order transaction")
    return parser.parse_args(argv)


def partner_main(name: str, variants: Mapping[str, Variant], open_store: Callable[[Path, Variant], PartnerStore],
                 build: Callable[[Variant, PartnerStore, Options], FastMCP], argv: list[str] | None = None) -> None:
    """Command-line entry point of a partner process."""
    args = _parse(name, variants, argv)
    variant = variants[args.region]
    store = open_store(args.db or tandem_home() / "partners" / f"{variant.service_id}.db", variant)
    options = Options(payment_latency_s=args.payment_latency_ms / 1000, host=args.host, port=args.port,
                      token_env=args.token_env)
    try:
        server = build(variant, store, options)
        if args.transport == "http":
            _serve_http(server, options)
        else:
            server.run("stdio")
    finally:
        store.close()


def _serve_http(server: FastMCP, options: Options) -> None:
    app: Any = server.streamable_http_app()
    if options.token_env:
        token = os.environ.get(options.token_env, "")
        if not token:
            raise SystemExit(f"--token-env {options.token_env}: the variable is empty")
        app = _BearerAuth(app, token)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")


class _BearerAuth:
    """ASGI middleware: HTTP requests need the bearer token, except the public manifest."""

    def __init__(self, app: Any, token: str) -> None:
        self.app, self.expected = app, f"Bearer {token}".encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] != WELL_KNOWN_MANIFEST:
            headers = dict(scope.get("headers") or [])
            if not hmac.compare_digest(headers.get(b"authorization", b""), self.expected):
                await JSONResponse({"error": "unauthorized"}, status_code=401)(scope, receive, send)
                return
        await self.app(scope, receive, send)
