"""Helpers for the partner-service tests: real partner processes, over stdio and streamable HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tandem.services import forking


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def partner_params(module: str, region: str | None, db: Path, *extra: str) -> StdioServerParameters:
    args = ["-m", f"tandem.partners.{module}", "--db", str(db), *extra]
    if region:
        args += ["--region", region]
    return StdioServerParameters(command=sys.executable, args=args, env=dict(os.environ))


@asynccontextmanager
async def mcp_session(params: StdioServerParameters) -> AsyncIterator[ClientSession]:
    """A session with the official MCP SDK client, as any MCP host would open one."""
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def children(pattern: str) -> list[int]:
    """Pids of this process's partner processes whose command line contains ``pattern``: its children (Linux
    /proc) and the reference partners the partner starter forked for it."""
    found = [pid for pid, argv in forking.running().items() if pattern in " ".join(argv)
             and Path(f"/proc/{pid}").exists()]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and pattern in cmdline:
            found.append(int(entry.name))
    return found


def kill(pid: int) -> None:
    """SIGKILL: no shutdown handler runs, as when a partner crashes or its machine loses power."""
    os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HttpPartner:
    """A partner process serving streamable HTTP on a loopback port; can be killed and restarted."""

    def __init__(self, module: str, region: str, db: Path, *extra: str) -> None:
        self.port = free_port()
        self.argv = [sys.executable, "-m", f"tandem.partners.{module}", "--region", region, "--db", str(db),
                     "--transport", "http", "--port", str(self.port), *extra]
        self.process: subprocess.Popen[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def start(self) -> HttpPartner:
        self.process = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1)
                return self
            except httpx.HTTPError:
                assert self.process.poll() is None, "partner exited during start"
                time.sleep(0.1)
        raise RuntimeError("partner did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.kill()


@pytest.fixture
def http_partner(tmp_path: Path) -> Iterator[Any]:
    started: list[HttpPartner] = []

    def make(module: str, region: str, *extra: str, db: Path | None = None) -> HttpPartner:
        partner = HttpPartner(module, region, db or tmp_path / f"{module}-{region}.db", *extra)
        started.append(partner)
        return partner.start()

    yield make
    for partner in started:
        partner.stop()


async def list_builtin_tools(home: Path) -> dict[str, list[Any]]:
    """The tools each built-in partner lists, started exactly as its manifest says (all at once)."""
    import anyio

    from tandem.partners import builtin_manifest_paths
    from tandem.services.manifest import Manifest, load_manifest

    listed: dict[str, list[Any]] = {}

    async def list_tools(manifest: Manifest) -> None:
        argv = manifest.transport.argv()
        params = StdioServerParameters(command=argv[0], args=argv[1:], env={**os.environ, "TANDEM_HOME": str(home)})
        async with mcp_session(params) as session:
            listed[manifest.id] = (await session.list_tools()).tools

    async with anyio.create_task_group() as group:
        for path in builtin_manifest_paths():
            group.start_soon(list_tools, load_manifest(path))
    return listed
