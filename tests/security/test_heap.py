"""Freed heap goes back to the system after model work (issue 13's slow growth).

A device chat completion leaves garbage in reference cycles that only a full collection frees, and glibc
keeps memory that was freed in the middle of its heap (bench/soak.py saw ``RssAnon`` grow). ``TrimHeap``
collects and calls ``malloc_trim(0)`` after state-changing requests, at most once per interval."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import weakref

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tandem.api.limits import TrimHeap, heap_trimmer

_FREED_BUT_KEPT = textwrap.dedent("""
    import ctypes, re
    from tandem.api.limits import heap_trimmer

    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]

    def anon():
        status = open("/proc/self/status").read()
        return int(re.search(r"RssAnon:\\s+(\\d+)", status).group(1))

    blocks = [libc.malloc(4000) for _ in range(20000)]  # 80 MB in small chunks (below the mmap threshold)
    for b in blocks:
        ctypes.memset(b, 1, 4000)
    for b in blocks[:-1]:  # the last one pins the top of the heap: glibc cannot shrink it by itself
        libc.free(b)
    kept = anon()
    heap_trimmer()()
    print(kept, anon())
""")


def test_malloc_trim_gives_freed_heap_back() -> None:
    done = subprocess.run([sys.executable, "-c", _FREED_BUT_KEPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    kept, trimmed = map(int, done.stdout.split())
    assert kept - trimmed > 60_000, (kept, trimmed)  # KiB: most of the 80 MB freed came back


def _app() -> Starlette:
    async def work(request: Request) -> PlainTextResponse:
        return PlainTextResponse("done")

    return Starlette(routes=[Route("/work", work, methods=["GET", "POST"])])


def test_trims_after_state_changes_at_most_once_per_interval() -> None:
    assert heap_trimmer() is not None  # glibc (Debian)
    bounded = TrimHeap(_app(), seconds=3600)
    with TestClient(bounded) as http:
        assert http.get("/work").text == "done"
        assert bounded.trims == 0  # a read does no model work
        for _ in range(3):
            assert http.post("/work").text == "done"
        assert bounded.trims == 1
    eager = TrimHeap(_app(), seconds=0)
    with TestClient(eager) as http:
        for _ in range(3):
            http.post("/work")
        assert eager.trims == 3


class _Node:
    """One object of a reference cycle that holds a buffer, like llama-cpp-python's per-request objects."""

    def __init__(self) -> None:
        self.itself = self
        self.buffer = bytearray(1 << 20)


def test_garbage_in_cycles_is_collected_after_a_request() -> None:
    bounded = TrimHeap(_app(), seconds=0)
    collecting = gc.isenabled()
    gc.disable()  # only TrimHeap may collect here
    try:
        with TestClient(bounded) as http:  # started: what exists now may be frozen (freeze_once)
            alive = [weakref.ref(_Node()) for _ in range(20)]  # garbage at once, but only a collection frees it
            assert all(ref() is not None for ref in alive)
            assert http.get("/work").text == "done"
            assert all(ref() is not None for ref in alive)  # a read changes nothing
            http.post("/work")
        assert all(ref() is None for ref in alive)
    finally:
        if collecting:
            gc.enable()


_FROZEN_AT_START = textwrap.dedent("""
    import gc
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient
    from tandem.api.limits import TrimHeap

    async def work(request):
        return PlainTextResponse("done")

    app = TrimHeap(Starlette(routes=[Route("/work", work, methods=["POST"])]), seconds=0)
    before = gc.get_freeze_count()
    with TestClient(app) as http:
        started = gc.get_freeze_count()
        for _ in range(3):
            http.post("/work")
        print(before, started, gc.get_freeze_count(), app.trims)
""")


def test_what_exists_at_start_up_is_frozen_once_before_any_request() -> None:
    """``gc.freeze`` is process-wide: it runs once, when the server's start-up (model preloading) is complete,
    not in the middle of whichever request happens to come first."""
    done = subprocess.run([sys.executable, "-c", _FROZEN_AT_START], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, started, after, trims = map(int, done.stdout.split())
    assert before == 0 and started > 10_000  # the interpreter, starlette, the app: frozen at start-up
    assert after <= started and trims == 3  # nothing more is frozen (frozen objects may die)


_ARENAS = textwrap.dedent("""
    import ctypes, re, sys, tempfile, threading
    from tandem.api.limits import limit_arenas

    if sys.argv[1] == "limited":
        assert limit_arenas(2)
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    together = threading.Barrier(8)

    def work():  # 8 threads allocating at the same time: glibc gives contending threads arenas of their own
        together.wait()
        blocks = [libc.malloc(1000) for _ in range(2000)]
        together.wait()
        for b in blocks:
            libc.free(b)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        stream = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        print(len(re.findall(r"<heap nr=", open(out.name).read())))
""")


def _arenas(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _ARENAS, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_server_threads_share_two_malloc_arenas() -> None:
    """The server (``create_app``) limits glibc's arenas (``limit_arenas``): with the default, contending
    threads got arenas of their own, and the soak's chat + embedding pairs grew RssAnon 16-31 KiB each."""
    assert _arenas("limited") <= 2
    assert _arenas("default") > 2  # the check can tell: without the limit, these threads spread out
