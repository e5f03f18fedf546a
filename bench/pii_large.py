"""What the check before a cloud call costs on a large request, and that what it cannot check stays on the device.

    .venv/bin/python bench/pii_large.py [--sizes 50000,90000,200000,1000000] [--shapes table,names,en,zh]
    .venv/bin/python bench/pii_large.py --history 400 [--turn 1000] [--whole]

Each request is one user line and one message of ``size`` characters, of one shape: ``table`` a partner's JSON
table (review24's N24-1: products, a number and a city a row), ``names`` a JSON table of invented two-word names
(every row a new value for the vault), ``en`` English prose with names and phones, ``zh`` Chinese with names,
phones and addresses. It runs what ``PrivateCloud.prepare`` runs: ``analyse`` with the egress detector, then
``redact``, and prints the CPU seconds of each and the outcome ("checked" with the findings, or "refused" with the
error). Synthetic text, no evaluation set: no split to name. One process, sizes in order; run it with ``nice``.

``--history N``: a Chinese conversation of N earlier messages of ``--turn`` characters each, each naming 张伟 and
田心远, then 心远 alone, all checked before by a remembering detector as ``tandem.router.wiring`` builds it (each turn
sent with the message before it, or with the whole conversation before it: ``--whole``); then one new turn naming
心远: the CPU seconds of its ``analyse``. The detector reads only the new message; the pass again (``Rereader.again``)
reads every message for the persons named anywhere, and what it would segment anew is bounded as new text is.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.errors import PolicyDenied
from tandem.privacy.detect import Remembered
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

_PROSE = {"en": "Anna Meier met John Smith in Berlin on Monday and called 0171 2345678 about the invoice. ",
          "zh": "张伟的电话是13812345678，他住在北京市朝阳区建国路88号，邮箱是zhangwei@example.com。"}


def _word(rng: random.Random) -> str:
    return rng.choice(string.ascii_uppercase) + "".join(rng.choice("aeioulmnrstk") for _ in range(6))


def _table(size: int, row: Callable[[], object]) -> str:
    """A JSON list of rows, the first that reaches ``size`` characters."""
    rows, length = [], 1
    while length < size:
        rows.append(json.dumps(row()))
        length += len(rows[-1]) + 2
    return "[" + ", ".join(rows) + "]"


def message(shape: str, size: int) -> str:
    """About ``size`` characters of ``shape`` (see the module docstring)."""
    rng = random.Random(size)
    if shape == "table":
        count = iter(range(10**9))
        return _table(size, lambda: (n := next(count), {"id": n, "title": f"Produkt Nummer {n} " + "x" * 20,
                                                        "city": "Berlin"})[1])
    if shape == "names":
        return _table(size, lambda: {"name": f"{_word(rng)} {_word(rng)}", "city": _word(rng)})
    unit = _PROSE[shape]
    return (unit * (size // len(unit) + 1))[:size]


def measure(shape: str, size: int) -> str:
    detector = egress_detector(fast_detector("CN" if shape == "zh" else "DE", ()))
    analyse(ChatRequest(messages=(Message("user", "Anna Meier in Berlin, 张伟"),)), detector)  # load the models
    text = message(shape, size)
    role = "tool" if shape in ("table", "names") else "user"
    request = ChatRequest(messages=(Message("user", "Summarise this."),
                                    Message(role, text, tool_call_id="c1" if role == "tool" else None)))
    start = time.process_time()
    try:
        analysis = analyse(request, detector)
    except PolicyDenied as exc:
        return f"{shape:6} {len(text):>9,} chars  refused  analyse {time.process_time() - start:6.1f} s  ({exc})"
    between = time.process_time()
    redact(request, analysis, Vault())
    return (f"{shape:6} {len(text):>9,} chars  checked  analyse {between - start:6.1f} s  redact "
            f"{time.process_time() - between:6.1f} s  ({len(analysis.findings):,} findings)")


_TURN = "张伟说他下周去上海出差，田心远会陪他一起去。心远订了酒店，地址是浦东新区世纪大道100号。"


def history(count: int, size: int, whole: bool = False) -> str:
    """A conversation of ``count`` remembered messages, then one new turn (see the module docstring); ``whole``:
    each turn was sent with the whole conversation before it, as a chat client sends it (else with the message
    before it only)."""
    detector = Remembered(egress_detector(fast_detector("CN", ())))  # as tandem.router.wiring builds it
    messages = [Message("user" if i % 2 == 0 else "assistant", f"第{i}条：" + (_TURN * (size // len(_TURN) + 1))[:size])
                for i in range(count)]
    start = time.process_time()
    for i in range(count):  # the turns as the API saw them, one at a time: each earlier message remembered
        analyse(ChatRequest(messages=tuple(messages[0 if whole else max(0, i - 1):i + 1])), detector)
    primed = time.process_time() - start
    request = ChatRequest(messages=(*messages, Message("user", "心远明天几点到？")))
    start = time.process_time()
    try:
        analysis = analyse(request, detector)
    except PolicyDenied as exc:
        return (f"history {count} x {size:,} chars  refused  analyse {time.process_time() - start:6.1f} s  "
                f"(priming {primed:.1f} s; {exc})")
    return (f"history {count} x {size:,} chars  checked  analyse {time.process_time() - start:6.1f} s  "
            f"(priming {primed:.1f} s; {len(analysis.findings):,} findings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50000,90000,200000,1000000")
    parser.add_argument("--shapes", default="table,names,en,zh")
    parser.add_argument("--history", type=int, help="messages of a remembered Chinese conversation (see above)")
    parser.add_argument("--turn", type=int, default=1000, help="characters of each message of --history")
    parser.add_argument("--whole", action="store_true", help="--history's turns each sent the whole conversation")
    args = parser.parse_args()
    if args.history:
        print(history(args.history, args.turn, args.whole), flush=True)
        return
    for size in (int(s) for s in args.sizes.split(",")):
        for shape in args.shapes.split(","):
            print(measure(shape, size), flush=True)


if __name__ == "__main__":
    main()
