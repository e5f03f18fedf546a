"""The agent's view of partner services: the tools it may use here, with what each one costs in trust,
and one way to call them.

    async with ServiceHub(registry) as hub:
        tools = await hub.tools()                 # ServiceTool: schema + transactional/idempotency/PII
        outcome = await hub.call(tools[0].name, {...})
        prompt_text = outcome.for_model()         # fenced as untrusted data

Only services that are enabled and offered in the user's region (under the regulation rules) are
visible, and of their tools only those the manifest declares: an undeclared tool could move money
without saying so. A partner that fails is marked down in the registry and left out; it is never fatal
to the others. Every result is untrusted data: the agent must not follow instructions inside it.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

import anyio
from anyio.abc import TaskGroup
from mcp import McpError
from mcp.types import CallToolResult, TextContent

from tandem.errors import InvalidRequest, NotFound, PolicyDenied, ServiceUnavailable
from tandem.observe import count
from tandem.services.asking import ANSWERS
from tandem.services.client import Connection
from tandem.services.manifest import Manifest
from tandem.services.registry import Health, ServiceRecord, ServiceRegistry
from tandem.services.regulation import TransferPolicy, offer
from tandem.types import Tool

__all__ = ["MAX_RESULT_CHARS", "ServiceHub", "ServiceTool", "ToolOutcome", "tool_name"]

log = logging.getLogger("tandem.services")

MAX_RESULT_CHARS = 16_000  # longer results are cut so one partner cannot flood the context
# a structured answer longer than this (as JSON text) is not read at all: the agent, the journal and the privacy
# check (which refuses far larger ones, structured.py) would each hold or walk all of it
MAX_RESULT_DATA_CHARS = 100_000


def tool_name(service_id: str, tool: str) -> str:
    """A model-safe unique tool name: ``lichtspiel_cinema__buy_tickets``."""
    return f"{re.sub(r'[^a-zA-Z0-9_-]', '_', service_id)}__{tool}"


@dataclass(frozen=True)
class ServiceTool:
    """A partner tool as the agent sees it."""

    name: str  # unique across services, safe for a model's tool list
    service_id: str
    tool: str  # the name on the MCP server
    description: str
    parameters: dict[str, Any]  # the server's JSON Schema for the arguments
    transactional: bool  # moves money or commits the user: confirm with the user first
    idempotency: str  # "safe", "key" (pass an idempotency_key) or "none"
    personal_data: tuple[str, ...]  # kinds of personal data the call hands to the partner
    categories: tuple[str, ...]  # of the service: food, cinema, ...
    reads_user_data: bool = False  # its answer is what the user stored with the partner

    def as_tool(self) -> Tool:
        """The plain function description a model receives."""
        flags = " [transactional: confirm first]" if self.transactional else ""
        return Tool(name=self.name, description=f"{self.description}{flags}".strip(), parameters=self.parameters)


@dataclass(frozen=True)
class ToolOutcome:
    """What a partner tool returned. Always untrusted: data to show or reason about, never instructions."""

    service_id: str
    tool: str
    ok: bool  # False when the partner reported an error (sold out, unknown id ...)
    # structured result (parsed JSON) when the server gave one, else None; a call that ended on the partner's
    # question for the user: {"asked": {"message", "fields", "required"}} (``services.asking``)
    data: Any
    text: str  # the result as text, cut to MAX_RESULT_CHARS
    untrusted: bool = field(default=True, init=False)

    def for_model(self) -> str:
        """The result fenced and escaped, so text inside cannot pose as the system or close the fence."""
        status = "ok" if self.ok else "error"
        return (f'<tool_output service="{self.service_id}" tool="{self.tool}" status="{status}" trust="untrusted">\n'
                f"{html.escape(self.text, quote=False)}\n</tool_output>")


class ServiceHub:
    """Connections to the services available to one user, opened lazily and restarted when they break."""

    def __init__(self, registry: ServiceRegistry, *, region: str | None = None,
                 policy: TransferPolicy | None = None) -> None:
        self.registry = registry
        self.region = region or registry.settings.region
        self.policy = policy or TransferPolicy()
        self._connections: dict[str, Connection] = {}
        self._group: TaskGroup | None = None
        self._names: dict[str, tuple[str, str]] = {}  # model tool name -> (service id, tool)
        self._up: dict[str, bool] = {}  # last health this hub wrote per service, to write only changes

    async def __aenter__(self) -> ServiceHub:
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: Any) -> bool | None:
        for connection in self._connections.values():
            await connection.close()
        assert self._group is not None
        if exc_type is None or issubclass(exc_type, Exception):
            # The connection tasks never fail once started, so the group has nothing to add: leave it
            # cleanly and let the caller's own error (a TandemError, say) propagate as itself rather than
            # wrapped in an ExceptionGroup.
            await self._group.__aexit__(None, None, None)
            return False
        return await self._group.__aexit__(exc_type, exc, tb)

    def connection(self, manifest: Manifest) -> Connection:
        """The connection for a service; a changed manifest (re-added meanwhile) gets a new one."""
        current = self._connections.get(manifest.id)
        if current is None or current.manifest != manifest:
            assert self._group is not None, "use `async with ServiceHub(...)`"
            if current is not None:
                self._group.start_soon(current.close)
            settings = self.registry.settings
            current = Connection(manifest, self._group, home=settings.home, closed_ports=(settings.port,))
            self._connections[manifest.id] = current
        return current

    def _record(self, service_id: str, health: Health, *, always: bool = False) -> None:
        """Write a service's health to the registry when it changed (or ``always``, for checks). A service
        found down is logged and counted (``partner_errors{reason="unavailable"}``)."""
        if not health.healthy:
            count("partner_errors", "unavailable")
            log.warning("partner %s is down: %s", service_id, health.error,
                        extra={"event": "partner_error", "reason": "unavailable"})
        if always or self._up.get(service_id) is not health.healthy:
            self.registry.mark(service_id, health)
            self._up[service_id] = health.healthy

    def services(self) -> list[ServiceRecord]:
        return self.registry.available(self.region, self.policy)

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ServiceTool]:
        """Declared tools of every available, reachable service (optionally only some categories)."""
        records = [r for r in self.services() if not categories or set(categories) & set(r.manifest.categories)]
        found: dict[str, list[ServiceTool]] = {}

        async def collect(record: ServiceRecord) -> None:
            with contextlib.suppress(ServiceUnavailable):  # marked down; the other services still count
                found[record.id] = await self._service_tools(record.manifest)

        async with anyio.create_task_group() as group:
            for record in records:
                group.start_soon(collect, record)
        return [tool for record in records for tool in found.get(record.id, [])]

    async def _service_tools(self, manifest: Manifest, *, probe: bool = False) -> list[ServiceTool]:
        started = time.monotonic()
        connection = self.connection(manifest)
        try:
            if probe:
                await connection.ping()
            listed = await connection.list_tools()
        except ServiceUnavailable as exc:
            self._record(manifest.id, Health(False, time.time(), error=exc.message), always=True)
            raise
        tools = []
        for item in listed:
            policy = manifest.tool(item.name)
            if policy is None or (policy.idempotency == "key" and policy.transactional
                                  and "idempotency_key" not in item.inputSchema.get("properties", {})):
                continue  # undeclared, or claims keyed idempotency without taking a key: hide it
            tools.append(ServiceTool(
                name=tool_name(manifest.id, item.name), service_id=manifest.id, tool=item.name,
                description=item.description or "", parameters=item.inputSchema,
                transactional=policy.transactional, idempotency=policy.idempotency,
                personal_data=policy.personal_data, categories=manifest.categories,
                reads_user_data=policy.reads_user_data))
            self._names[tools[-1].name] = (manifest.id, item.name)
        self._record(manifest.id, Health(True, time.time(), tool_count=len(listed),
                                         latency_ms=round((time.monotonic() - started) * 1000, 1)), always=probe)
        return tools

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        """Call a tool by its model name (or ``service_id/tool``). Raises NotFound, PolicyDenied,
        InvalidRequest (missing idempotency key) or ServiceUnavailable (marked down)."""
        service_id, tool = self._resolve(name)
        record = self.registry.get(service_id)
        decision = offer(self.region, record.manifest.regions, record.manifest.processing_regions, self.policy)
        if not decision.allowed or not record.enabled:
            raise PolicyDenied(f"{service_id} is not available in {self.region}: "
                               f"{decision.reason if not decision.allowed else 'disabled'}")
        policy = record.manifest.tool(tool)
        if policy is None:
            raise NotFound(f"{service_id} does not declare a tool {tool!r}")
        if policy.transactional and not arguments.get("idempotency_key"):
            raise InvalidRequest(f"{tool} moves money: pass an idempotency_key", param="idempotency_key")
        answers = arguments.get(ANSWERS)  # the user's answers to the partner's questions: not an argument
        arguments = {k: v for k, v in arguments.items() if k != ANSWERS}
        try:
            result, call = await self.connection(record.manifest).call(
                tool, arguments, answers if isinstance(answers, dict) else None)
        except ServiceUnavailable as exc:
            self._record(service_id, Health(False, time.time(), error=exc.message), always=True)
            raise
        except McpError as exc:
            count("partner_errors", "tool-error")
            log.warning("partner %s: %s failed: %s", service_id, tool, exc.error.message,
                        extra={"event": "partner_error", "reason": "tool-error"})
            return ToolOutcome(service_id, tool, False, None, exc.error.message)
        # The registry is shared with other processes: trust its current row, not only our memory.
        self._record(service_id, Health(True, time.time()), always=not (record.health and record.health.healthy))
        outcome = _outcome(service_id, tool, result)
        if call.asked is not None and not outcome.ok:  # it ended on a question for the user: the agent asks it
            return replace(outcome, data={"asked": call.asked})
        return outcome

    def _resolve(self, name: str) -> tuple[str, str]:
        if name in self._names:
            return self._names[name]
        if "/" in name:
            service_id, tool = name.split("/", 1)
            return service_id, tool
        for record in self.registry.all():
            prefix = tool_name(record.id, "")
            if name.startswith(prefix):
                return record.id, name[len(prefix):]
        raise NotFound(f"no service tool {name!r}", hint="`tandem services tools` lists them")

    async def check(self, service_ids: list[str] | None = None) -> dict[str, Health]:
        """Connect to each service (all registered and enabled ones by default), list its tools, record
        the result. Down services are reported, not raised."""
        records = [r for r in self.registry.all() if r.enabled and (service_ids is None or r.id in service_ids)]

        async def probe(record: ServiceRecord) -> None:
            with contextlib.suppress(ServiceUnavailable):
                await self._service_tools(record.manifest, probe=True)

        async with anyio.create_task_group() as group:
            for record in records:
                group.start_soon(probe, record)
        return {r.id: r.health for r in self.registry.all() if r.id in {x.id for x in records} and r.health}


def _outcome(service_id: str, tool: str, result: CallToolResult) -> ToolOutcome:
    text = "\n".join(block.text for block in result.content if isinstance(block, TextContent))
    data: Any = result.structuredContent
    if isinstance(data, dict) and set(data) == {"result"}:
        data = data["result"]  # FastMCP wraps non-object results
    if data is None and text and len(text) <= MAX_RESULT_DATA_CHARS:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes ("[[[…": plain text)
            data = None
    if data is not None:
        text = json.dumps(data, ensure_ascii=False)  # one canonical JSON text, not one block per list item
        if len(text) > MAX_RESULT_DATA_CHARS:
            return _too_large(service_id, tool, len(text))
    return ToolOutcome(service_id, tool, not result.isError, None if result.isError else data,
                       text[:MAX_RESULT_CHARS])


def _too_large(service_id: str, tool: str, size: int) -> ToolOutcome:
    """A failed outcome in place of an answer too large to read (a partner's fault, said as one)."""
    log.warning("%s/%s answered %d characters of JSON (at most %d): not read", service_id, tool, size,
                MAX_RESULT_DATA_CHARS)
    return ToolOutcome(service_id, tool, False, None,
                       f"the partner's answer was too large to read ({size:,} characters of JSON, at most "
                       f"{MAX_RESULT_DATA_CHARS:,}); nothing of it was used")
