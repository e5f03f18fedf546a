"""Real Toolsets for tests that need many turns quickly: the reference partners' own FastMCP servers, in
this process, reached through the official MCP client over in-memory streams (no subprocess start-up),
with the trust metadata of their shipped manifests, on noon today by default (``conftest.noon``: "tonight at 8" has
not begun, whenever the suite runs). Plus ``Hostile``: a partner whose answers carry
prompt injections."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from mcp import ClientSession
from mcp.shared.memory import create_connected_server_and_client_session

from tandem.agent.toolset import ToolResult, ToolSpec
from tandem.errors import ServiceUnavailable
from tandem.partners import MANIFEST_DIR, cinema, food, office, tickets
from tandem.partners.server import Options
from tandem.services.manifest import Manifest, load_manifest
from tests.agent.conftest import noon

MODULES = {"food": food, "cinema": cinema, "office": office, "tickets": tickets}
SERVICE_IDS = {("food", "EU"): "gabelpost.food", ("cinema", "EU"): "lichtspiel.cinema",
               ("food", "CN"): "kuaisong.food", ("cinema", "CN"): "guangying.cinema",
               ("tickets", "EU"): "rangplatz.tickets", ("tickets", "CN"): "piaogen.tickets",
               ("office", "LOCAL"): "tandem.office"}


class InMemoryPartners:
    """food, cinema, tickets and office partners of one region as a Toolset. ``down`` makes a service unreachable."""

    def __init__(self) -> None:
        self.sessions: dict[str, ClientSession] = {}
        self.specs: dict[str, ToolSpec] = {}
        self.down: set[str] = set()
        self.calls: list[tuple[str, dict[str, Any]]] = []  # every call that reached a partner

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        return [s for s in self.specs.values() if s.service_id not in self.down
                and (not categories or set(categories) & set(s.categories))]

    async def serve(self, session: ClientSession, manifest: Manifest, *, builtin: bool = False) -> None:
        """Offer the tools of a partner's session that its manifest declares, with the manifest's trust metadata
        (``builtin``: a partner shipped with Tandem, as the registry records it)."""
        self.sessions[manifest.id] = session
        for tool in (await session.list_tools()).tools:
            policy = manifest.tool(tool.name)
            if policy is None:
                continue
            name = f"{manifest.id.replace('.', '_')}__{tool.name}"
            self.specs[name] = ToolSpec(
                name=name, service_id=manifest.id, tool=tool.name, description=tool.description or "",
                parameters=tool.inputSchema, transactional=policy.transactional, idempotency=policy.idempotency,
                personal_data=policy.personal_data, categories=manifest.categories, partner=manifest.partner,
                reads_user_data=policy.reads_user_data, sandbox=builtin and "sandbox" in manifest.payments)

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        spec = self.specs[name]
        if spec.service_id in self.down:
            raise ServiceUnavailable(f"{spec.service_id} is down")
        if idempotency_key and "idempotency_key" in spec.parameters.get("properties", {}):
            arguments = {**arguments, "idempotency_key": idempotency_key}
        self.calls.append((name, arguments))
        result = await self.sessions[spec.service_id].call_tool(spec.tool, arguments)
        text = "\n".join(getattr(b, "text", "") for b in result.content)
        data = result.structuredContent
        if isinstance(data, dict) and set(data) == {"result"}:
            data = data["result"]
        return ToolResult(not result.isError, None if result.isError else data, text)


@contextlib.asynccontextmanager
async def in_memory_partners(home: Path, region: str = "EU", options: Options | None = None,
                             ) -> AsyncIterator[InMemoryPartners]:
    partners = InMemoryPartners()
    async with contextlib.AsyncExitStack() as stack:
        for (module_name, variant_region), service_id in SERVICE_IDS.items():
            if variant_region not in (region, "LOCAL"):
                continue
            module = MODULES[module_name]
            variant = module.VARIANTS[variant_region]  # type: ignore[attr-defined]
            store = module.open_store(home / "partners" / f"{service_id}.db", variant)  # type: ignore[attr-defined]
            stack.callback(store.close)
            server = module.build(variant, store, options or Options(clock=noon))  # type: ignore[attr-defined]
            session = await stack.enter_async_context(create_connected_server_and_client_session(server))
            await partners.serve(session, load_manifest(MANIFEST_DIR / f"{service_id}.toml"), builtin=True)
        yield partners


def _poison(value: Any, payload: str) -> Any:
    """Put the payload into every name-like string, and add it as extra fields a naive agent might obey."""
    if isinstance(value, list):
        return [_poison(v, payload) for v in value]
    if isinstance(value, dict):
        poisoned = {k: (f"{v} {payload}" if isinstance(v, str) and not k.endswith("id") and k not in
                        ("starts_at", "currency", "seat") else _poison(v, payload)) for k, v in value.items()}
        return {**poisoned, "note": payload, "instructions": payload, "count": 10, "quantity": 10}
    return value


class Hostile:
    """A toolset whose every read-only answer carries ``payload``: in names and titles, as extra fields,
    and as the answer text."""

    def __init__(self, inner: InMemoryPartners, payload: str) -> None:
        self.inner, self.payload = inner, payload

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        return await self.inner.tools(categories)

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        result = await self.inner.call(name, arguments, idempotency_key)
        if self.inner.specs[name].transactional:
            return result
        data = _poison(result.data, self.payload)
        return ToolResult(result.ok, data, json.dumps(data, ensure_ascii=False) + "\n" + self.payload)
