"""Tandem's side of the partner starter (``services.starter``): start a reference partner as a fork of the
starter and talk MCP to it over the pipes Tandem made, as ``mcp.client.stdio`` does with a process it
started itself.

The starter is started on first use, one per Tandem process, and reached only through an inherited
socket pair end. Only Tandem's own reference partners go through it, and only while their environment
loads the same code as the starter's (``PYTHON*`` and ``LD_*`` variables equal): anything else is started
the old way, through the launcher. When the starter cannot start or a request fails, that partner starts
the old way too and Tandem's log says why (once). ``TANDEM_PARTNER_STARTER=0`` turns the starter off.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import asdict, dataclass
from typing import TextIO

import anyio
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp import types
from mcp.client.stdio import get_default_environment
from mcp.shared.message import SessionMessage

from tandem.services.sandbox import Grants
from tandem.services.starter import FORK

__all__ = ["GRACE_S", "Child", "Starter", "running", "spawn", "streams"]

GRACE_S = 2.0  # as mcp.client.stdio: after stdin closes, then after SIGTERM
REQUEST_TIMEOUT_S = 30.0  # the first request waits for the starter's imports
PASSED = ("PATH", "PYTHONPATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ")
_log = logging.getLogger(__name__)
_said: set[str] = set()


def _starter_env() -> dict[str, str]:
    """The starter's environment: the SDK's minimal one and Tandem's own path, locale and time zone."""
    return get_default_environment() | {k: os.environ[k] for k in PASSED if k in os.environ}


def _loaders(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(("PYTHON", "LD_"))}


@dataclass
class Child:
    pid: int
    pidfd: int
    stdin: int  # Tandem's ends: it writes the partner's stdin, reads its stdout
    stdout: int


class Starter:
    """The starter process as Tandem sees it: started lazily, one request at a time, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._channel: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._env: dict[str, str] = {}

    def _ensure(self) -> socket.socket:
        env = _starter_env()
        if self._channel is not None and _loaders(env) == _loaders(self._env):
            return self._channel
        self.stop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tandem.services.starter", str(theirs.fileno())], env=env,
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.settimeout(REQUEST_TIMEOUT_S)
        self._channel, self._env = ours, env
        return ours

    def loads_like(self, env: Mapping[str, str]) -> bool:
        """Whether a partner with ``env`` runs the same code the starter would fork."""
        return _loaders(env) == _loaders(_starter_env())

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: str, rules: Grants,
              fds: tuple[int, int, int]) -> tuple[int, int]:
        """Fork a child running ``argv`` on ``fds`` (stdin, stdout, stderr): its pid and pidfd. OSError
        when the starter is gone or refused (it is then stopped, the next start starts a new one)."""
        request = {"argv": list(argv), "env": dict(env), "cwd": cwd, "grants": {
            k: [str(p) for p in v] if k != "closed_ports" else list(v) for k, v in asdict(rules).items()}}
        request_file = _request_file(json.dumps(request).encode())
        with self._lock:
            try:
                channel = self._ensure()
                socket.send_fds(channel, [FORK], [*fds, request_file])
                data, pidfds, _, _ = socket.recv_fds(channel, 65536, 1)
                reply = json.loads(data or b"{}")
                if "pid" not in reply or len(pidfds) != 1:
                    for fd in pidfds:
                        os.close(fd)
                    raise OSError(f"the starter refused: {reply.get('error', 'no answer')}")
            except (OSError, ValueError) as exc:
                self.stop()
                raise OSError(str(exc) or type(exc).__name__) from exc
            finally:
                os.close(request_file)
            return int(reply["pid"]), pidfds[0]

    def stop(self) -> None:
        """Close Tandem's end: the starter exits (its children run on until their stdin closes)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


def _request_file(request: bytes) -> int:
    """A memory file holding ``request``, read from its start by the forked child only: the starter passes it
    on unread, so no partner's environment ever lies in the memory its later children are copies of."""
    if not hasattr(os, "memfd_create"):  # not Linux: the launcher starts every partner
        raise OSError("this system has no memfd_create")
    fd = os.memfd_create("tandem-partner-request", os.MFD_CLOEXEC)
    try:
        view = memoryview(request)
        while view:
            view = view[os.write(fd, view):]
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


STARTER = Starter()
atexit.register(STARTER.stop)
_running: dict[int, list[str]] = {}


def running() -> dict[int, list[str]]:
    """The partners forked for this process that have not ended yet: pid -> command."""
    return dict(_running)


def enabled() -> bool:
    return os.environ.get("TANDEM_PARTNER_STARTER", "1") != "0"


async def spawn(argv: Sequence[str], env: Mapping[str, str], rules: Grants, errlog: TextIO,
                starter: Starter = STARTER) -> Child | None:
    """A reference partner forked by ``starter``, or None: start it the old way (the reason is logged once)."""
    env = get_default_environment() | {k: os.environ[k] for k in ("PATH", "PYTHONPATH") if k in os.environ} | dict(env)
    if not enabled() or not starter.loads_like(env):  # the launcher's own variables, then the partner's
        return None
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    try:
        errlog.flush()
        pid, pidfd = await anyio.to_thread.run_sync(starter.start, argv, env, os.getcwd(), rules,
                                                    (stdin_r, stdout_w, errlog.fileno()))
    except BaseException as exc:  # a cancelled start too: the child, if any, reads the end of its stdin
        for fd in (stdin_w, stdout_r):
            os.close(fd)
        if not isinstance(exc, OSError):
            raise
        reason = f"partner starter unavailable ({exc}); starting partners through the launcher"
        if reason not in _said:
            _said.add(reason)
            _log.warning(reason)
        return None
    finally:
        os.close(stdin_r)
        os.close(stdout_w)
    for fd in (stdin_w, stdout_r):
        os.set_blocking(fd, False)
    _running[pid] = list(argv)
    return Child(pid, pidfd, stdin_w, stdout_r)


@asynccontextmanager
async def streams(child: Child) -> AsyncIterator[tuple[MemoryObjectReceiveStream[SessionMessage | Exception],
                                                        MemoryObjectSendStream[SessionMessage]]]:
    """The child's stdout and stdin as the (read, write) message streams ``ClientSession`` takes (JSON lines);
    on the way out its stdin closes and it is ended like ``mcp.client.stdio`` ends its process."""
    read_in, read = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write, write_out = anyio.create_memory_object_stream[SessionMessage](0)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(_read, child.stdout, read_in)
            group.start_soon(_write, child.stdin, write_out)
            try:
                yield read, write
            finally:
                with anyio.CancelScope(shield=True):
                    await _end(child)
                group.cancel_scope.cancel()
    finally:
        for stream in (read, write, read_in, write_out):
            await stream.aclose()
        _forget(child)


async def _read(fd: int, out: MemoryObjectSendStream[SessionMessage | Exception]) -> None:
    buffer = b""
    async with out:
        with suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
            while True:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    await anyio.wait_readable(fd)
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                *lines, buffer = (buffer + chunk).split(b"\n")
                for line in lines:
                    try:
                        message: SessionMessage | Exception = SessionMessage(
                            types.JSONRPCMessage.model_validate_json(line))
                    except Exception as exc:  # as mcp.client.stdio: the session sees the bad line
                        message = exc
                    await out.send(message)


async def _write(fd: int, messages: MemoryObjectReceiveStream[SessionMessage]) -> None:
    async with messages:
        async for message in messages:
            data = (message.message.model_dump_json(by_alias=True, exclude_none=True) + "\n").encode()
            while data:
                try:
                    data = data[os.write(fd, data):]
                except BlockingIOError:
                    await anyio.wait_writable(fd)
                except OSError:  # the child is gone: the reader ends the session
                    return


async def _end(child: Child) -> None:
    """Close the child's stdin; SIGTERM if it has not exited after GRACE_S, SIGKILL after as long again."""
    if child.stdin >= 0:
        anyio.notify_closing(child.stdin)
        os.close(child.stdin)
        child.stdin = -1
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with anyio.move_on_after(GRACE_S):
            await anyio.wait_readable(child.pidfd)
            return
        with suppress(ProcessLookupError):
            signal.pidfd_send_signal(child.pidfd, sig)
    with anyio.move_on_after(GRACE_S):
        await anyio.wait_readable(child.pidfd)


def _forget(child: Child) -> None:
    for name in ("stdout", "pidfd"):
        fd = getattr(child, name)
        if fd >= 0:
            with suppress(OSError):
                anyio.notify_closing(fd)
            os.close(fd)
            setattr(child, name, -1)
    _running.pop(child.pid, None)
