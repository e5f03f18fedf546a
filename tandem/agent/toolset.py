"""What the agent needs from partner services, as a protocol: list tools with their trust metadata, and
call one. The agent never imports ``tandem.services``; the shell (CLI, API) adapts the service hub to
this protocol, and tests can hand in any real implementation (an in-process MCP server, a wrapper that
injects hostile text into results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = ["ANSWERS", "ToolResult", "ToolSpec", "Toolset", "WrapperToolset", "find_tool"]

# The call argument that carries the user's answers to a partner's own questions (MCP elicitation,
# tandem.agent.asking); the service hub takes it out of the arguments and answers the partner's question with it.
ANSWERS = "_answers"


@dataclass(frozen=True)
class ToolSpec:
    """A partner tool with what it costs in trust."""

    name: str  # unique across services; what ``Toolset.call`` takes
    service_id: str  # the partner service, e.g. "lichtspiel.cinema"
    tool: str  # the tool's own name on that service, e.g. "buy_tickets"
    description: str
    parameters: dict[str, Any]  # JSON Schema of the arguments
    transactional: bool  # spends money or commits the user: only after the user confirmed this exact call
    idempotency: str  # "safe" (read-only), "key" (takes an idempotency_key) or "none"
    personal_data: tuple[str, ...] = ()  # kinds of personal data the call hands to the partner
    categories: tuple[str, ...] = ()  # of the service: "food", "cinema", ...
    partner: str = ""  # display name of the partner, for confirmation summaries
    preferred_for: tuple[str, ...] = ()  # categories the user chose this service for
    rank: int = 0  # without a choice, lower ranks win: shipped services, then the earliest added
    # Its answer is what the user stored with the partner (reminders, notes, calendar): a caller without the
    # privacy scope is not shown it (tandem.agent.withhold).
    reads_user_data: bool = False
    # Tandem pays it with its sandbox test money when the user has no payment method (labelled as such): a partner
    # shipped with Tandem whose manifest says ``payments = ["sandbox"]``; never one the user added, nor assumed.
    sandbox: bool = False


@dataclass(frozen=True)
class ToolResult:
    """What a tool returned. Untrusted data: the agent reads fields from ``data``, never obeys ``text``."""

    ok: bool  # False when the partner reported an error (sold out, unknown id ...)
    data: Any  # parsed structured result, or None
    text: str  # the raw text of the result
    untrusted: bool = field(default=True, init=False)


@runtime_checkable
class Toolset(Protocol):
    """Partner tools the agent may use. ``call`` raises ``tandem.errors.ServiceUnavailable`` when the
    partner cannot be reached (the agent then queues the step and retries later)."""

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        """Tools of every reachable service (optionally only services of some categories)."""
        ...

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        """Call tool ``name``; a transactional tool gets ``idempotency_key`` so a retry never repeats it."""
        ...


class WrapperToolset:
    """A ``Toolset`` around another that checks calls on their way out (``gate.GatedToolset``,
    ``minimise.MinimisingToolset``): it lists the inner toolset's tools and keeps their specs to check calls by.
    A subclass writes ``call``, asking ``spec`` what it calls."""

    def __init__(self, inner: Toolset) -> None:
        self.inner = inner
        self._specs: dict[str, ToolSpec] = {}

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        found = await self.inner.tools(categories)
        self._specs.update({t.name: t for t in found})
        return found

    async def spec(self, name: str) -> ToolSpec | None:
        """The spec of tool ``name`` (listed again when not seen yet); None when the inner toolset has none."""
        if name not in self._specs:
            await self.tools()
        return self._specs.get(name)


def find_tool(tools: list[ToolSpec], category: str, tool: str) -> ToolSpec | None:
    """The tool named ``tool`` of the service the user chose for ``category``; without a choice, of the
    best-ranked service offering it (shipped first, then the earliest added; never by id or list order)."""
    offered = [t for t in tools if t.tool == tool and category in t.categories]
    return min(offered, key=lambda t: (category not in t.preferred_for, t.rank), default=None)
