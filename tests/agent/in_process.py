"""The shipped reference partners served in this process: with the ``in_process`` fixture, a ``ServiceHub``
connection to a partner whose manifest runs ``-m tandem.partners.<module>`` reaches that module's FastMCP server over
in-memory streams instead of starting its process. Everything else stays as the app runs it: ``open_assistant``, the
registry and its ranking, the manifests' policies, the connection's session, guard and the partner's questions
(``Connection``), and the partner's database under TANDEM_HOME (``partner_rows`` reads the same file). Starting a
partner process is most of an agent test's CPU; tests of the process boundary itself (start, crash, sandbox:
tests/services) do not use it. Any other partner (a test's own stdio server) still starts its process."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest
from mcp.shared.memory import create_client_server_memory_streams

from tandem.partners.server import Options
from tandem.services.client import Connection
from tests.agent.conftest import noon

_SHIPPED = "tandem.partners."


def _shipped(argv: tuple[str, ...]) -> tuple[Any, str] | None:
    """The reference partner module and variant a manifest's command runs, or None for any other command."""
    if len(argv) < 3 or argv[1] != "-m" or not argv[2].startswith(_SHIPPED):
        return None
    module = importlib.import_module(argv[2])
    region = argv[argv.index("--region") + 1] if "--region" in argv else next(iter(module.VARIANTS))
    return module, region


@contextlib.asynccontextmanager
async def _served(module: Any, region: str, connection: Connection) -> AsyncIterator[Any]:
    """The client's two streams to ``module``'s server, run here on the partner's own database."""
    variant = module.VARIANTS[region]
    store = module.open_store(connection._home / "partners" / f"{variant.service_id}.db", variant)
    server = module.build(variant, store, Options(clock=noon))._mcp_server  # "tonight at 8" not begun, whenever
    try:
        async with create_client_server_memory_streams() as (client, (read, write)), anyio.create_task_group() as tg:
            tg.start_soon(lambda: server.run(read, write, server.create_initialization_options()))
            try:
                yield client
            finally:
                tg.cancel_scope.cancel()
    finally:
        store.close()


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection to a shipped reference partner in this test serves it in this process."""
    started: Callable[[Connection], Any] = Connection._transport

    def transport(connection: Connection) -> Any:
        t = connection.manifest.transport
        shipped = _shipped(tuple(t.command)) if t.type == "stdio" else None
        return _served(*shipped, connection) if shipped else started(connection)

    monkeypatch.setattr(Connection, "_transport", transport)
