"""A partner that reads and writes whatever it is asked to: the probe of the starter's sandbox tests, run as
``python -m tests.services.spy_partner``."""

from __future__ import annotations

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


if __name__ == "__main__":
    server.run("stdio")
