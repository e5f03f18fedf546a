"""The partner starter: one process that imported the reference partners' libraries once and forks a child
per reference partner start (the zygote pattern), so a partner's first answer does not wait for an
interpreter to start and import the MCP SDK again (~0.9 s of CPU each, six per region).

    python -m tandem.services.starter FD

Tandem starts it (``services.forking``) with a minimal environment and one end of a socket pair as ``FD``:
no path or name another process could connect to. Per start Tandem sends four descriptors (SCM_RIGHTS): the
child's stdin, stdout and stderr, and a memory file holding its command, environment, directory and sandbox
grants (JSON). The starter never reads that file: every child is a copy of the starter's memory, which must
hold no earlier partner's environment (its bearer token). It forks and answers with the child's pid and a
pidfd (a handle no reused pid can fool). The child reads its request, keeps only its three descriptors,
starts its own session, takes exactly the partner's environment and name, confines itself with
``sandbox.restrict`` before any partner code runs and runs the module as ``__main__``, as the launcher's
``exec`` would. The starter forks only while it has no other thread, and exits when Tandem's end closes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import json
import os
import runpy
import select
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from tandem.services.sandbox import restrict

__all__ = ["FORK", "PRELOAD", "main"]

# What every reference partner imports; the partner modules themselves run fresh in each child.
PRELOAD = ("sqlite3", "uuid", "hashlib", "mcp.server.fastmcp", "mcp.server.stdio", "uvicorn", "starlette.requests",
           "starlette.responses", "pydantic", "tandem.partners.server", "tandem.partners.store")
FORK = b"fork"  # the whole message: what to run comes in a memory file only the child reads
MAX_MESSAGE = 64
_PR_SET_NAME = 15


def main(args: list[str]) -> None:
    if len(args) != 1 or not args[0].isdigit():
        raise SystemExit("usage: python -m tandem.services.starter FD  (started by Tandem, not by hand)")
    channel = socket.socket(fileno=int(args[0]))
    for name in PRELOAD:
        importlib.import_module(name)
    while True:
        ready, _, _ = select.select([channel], [], [], 1.0)
        _reap()
        if not ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(channel, MAX_MESSAGE, 4)
        except OSError:
            break
        if not data:  # Tandem is gone (closed, exited or killed)
            _close(fds)
            break
        _answer(channel, data, fds)
    _reap()


def _answer(channel: socket.socket, data: bytes, fds: list[int]) -> None:
    pidfd = -1
    try:
        reply, pidfd = _fork(data, fds)
    except Exception as exc:  # a bad request or a failed fork: Tandem starts that partner the old way
        reply = {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        _close(fds)
    try:
        socket.send_fds(channel, [json.dumps(reply).encode()], [pidfd] if pidfd >= 0 else [])
    finally:
        if pidfd >= 0:
            os.close(pidfd)


def _fork(data: bytes, fds: list[int]) -> tuple[dict[str, Any], int]:
    if data != FORK or len(fds) != 4:
        raise ValueError(f"expected {FORK!r} and 4 descriptors, got {data[:16]!r} and {len(fds)}")
    if threading.active_count() != 1:  # a fork would copy a lock another thread holds
        raise RuntimeError(f"{threading.active_count()} threads")
    pid = os.fork()
    if pid == 0:
        _child(fds)  # never returns
    return {"pid": pid}, os.pidfd_open(pid)


def _child(fds: list[int]) -> None:
    code = 1
    try:
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        with open(fds[3], "rb", closefd=False) as request_file:  # only ever read here (module docstring)
            request = json.loads(request_file.read())
        _name(request["argv"])
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the channel and everything else the starter holds
        _standard_streams()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        grants = request["grants"]
        read, write, listed = ([Path(p) for p in grants[k]] for k in ("read", "write", "listed"))
        if not restrict(read, write, listed, grants["closed_ports"]):
            print("tandem sandbox: this kernel has no Landlock; the partner runs unconfined", file=sys.stderr)
        code = _run(request["argv"], request["cwd"])
    except BaseException:  # nothing of the partner may reach the starter's loop
        traceback.print_exc()
    finally:
        os._exit(code)


def _name(argv: list[str]) -> None:
    """``ps`` and ``top`` show the partner, not N starters: the process's name (``comm``, 15 bytes) becomes the
    module's last part, and its command line the partner's command, as many whole arguments as the starter's own
    length holds (the kernel reads it from the memory the starter's arguments came in; more would need a new
    dependency, setproctitle, that moves the environment away)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_NAME, argv[-1 if len(argv) < 3 else 2].rsplit(".", 1)[-1].encode()[:15], 0, 0, 0)
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[45]), int(fields[46])  # arg_start, arg_end: fields 48 and 49 of proc(5)
    except (OSError, IndexError, ValueError):
        return
    if 0 < start < end:
        words, kept = [a.encode() for a in argv], 3  # interpreter, -m, module (cut if need be), whole arguments
        while kept < len(words) and len(b"\0".join(words[:kept + 1])) < end - start:
            kept += 1
        text = b"\0".join(words[:kept])[:end - start - 1]
        ctypes.memmove(start, text.ljust(end - start, b"\0"), end - start)


def _standard_streams() -> None:
    """New ``sys.stdin/stdout/stderr`` on the child's descriptors (the starter's know /dev/null, seekable)."""
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = open(0, encoding=old[0].encoding, errors=old[0].errors, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=old[1].encoding, errors=old[1].errors, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=old[2].encoding, errors=old[2].errors, buffering=1,  # noqa: SIM115
                      closefd=False)


def _run(argv: list[str], cwd: str) -> int:
    """Run ``python -m MODULE ARGS`` in this process, as the interpreter would; its exit code."""
    sys.argv = [argv[2], *argv[3:]]
    sys.path[0] = cwd
    try:
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _close(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


if __name__ == "__main__":
    main(sys.argv[1:])
