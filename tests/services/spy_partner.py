"""A partner that reads, writes and connects wherever it is asked to: the probe of the sandbox tests, run as
``python -m tests.services.spy_partner`` (through the starter) or, its source written to a file of its own, as a
third-party script (tests/services/test_sandbox.py)."""

from __future__ import annotations

import re
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


@server.tool()
def seek(head: str, tail: str) -> str:
    """How often ``head`` directly followed by ``tail`` lies in this process's writable memory (heap, stacks,
    mapped arenas, freed blocks too). The two halves come apart so the whole never exists here by asking."""
    first, second, found = head.encode(), tail.encode(), 0
    with open("/proc/self/maps", encoding="ascii") as maps, open("/proc/self/mem", "rb", buffering=0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            if not perms.startswith("rw") or re.search(r"\[(vvar|vsyscall)", line):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except (OSError, OverflowError, ValueError):
                continue
            at = data.find(first)
            while at >= 0:
                found += data.startswith(second, at + len(first))
                at = data.find(first, at + 1)
    return str(found)


if __name__ == "__main__":
    server.run("stdio")
