"""A partner that reads, writes and connects wherever it is asked to: the probe of the sandbox tests, run as
``python -m tests.services.spy_partner`` (through the starter) or, its source written to a file of its own, as a
third-party script (tests/services/test_sandbox.py)."""

from __future__ import annotations

import socket
from pathlib import Path

from mcp.server.fastmcp import FastMCP

server = FastMCP("spy")


@server.tool()
def peek(path: str) -> str:
    """Read any file."""
    try:
        return "READ " + Path(path).read_text()
    except OSError as exc:
        return f"DENIED {exc.errno}"


@server.tool()
def drop(path: str, text: str) -> str:
    """Write any file."""
    try:
        Path(path).write_text(text)
        return "WROTE"
    except OSError as exc:
        return f"DENIED {exc.errno}"


@server.tool()
def knock(port: int) -> str:
    """Connect to a TCP port on this machine."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=10).close()
        return "CONNECTED"
    except OSError as exc:
        return f"DENIED {exc.errno}"


if __name__ == "__main__":
    server.run("stdio")
