"""Whether the check before a cloud call stays linear on one sentence said again and again (review32 R32-15: a code's
check read the whole text before it, so 136,000 characters of codes took 98 s).

    nice .venv/bin/python bench/pii_repeats.py [--chars 100000] [--shapes secret,phrase,...] [--against TREE]

Each shape is one sentence repeated to about ``--chars`` characters: secrets said after their name (a plain word
before more words, a passphrase, a PIN number), first names listed or said with "I'm", numbers whose groups the
writer spaced in odd ways. It runs what ``PrivateCloud.prepare`` runs (``analyse`` with the egress detector) and
prints the CPU seconds and the findings of each. ``--against TREE`` runs the same in another checkout (a ``git
archive`` of the base, say) in a second process and prints its seconds beside these. Synthetic text, no evaluation
set: no split to name.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

SHAPES = {"secret": "my password is sunflower in case you need it. ",
          "unknown": "my password is zxcvbnm in case you forget. ",
          "phrase": "my password is correct horse battery staple. ",
          "pin": "my PIN number is 4711. ",
          "listed": "Will, Can and May are coming. ",
          "list": "Will, Can, ",
          "introduced": "I'm May. ",
          "contracted": "Sorry Can I'm late. ",
          "spaced": "call 0151, 2345 ,6789 ",
          "packed": "0151 : 2345:6789 : ",
          "equals": "0151 += 2345 += ",
          "codes": "the code is 4471, the error code is 404. ",
          "listed_signs": "Can & Mark "}


def measure(root: Path, shapes: list[str], chars: int) -> dict[str, tuple[float, int]]:
    """CPU seconds and findings of the egress check on each shape, with the tandem package of ``root``."""
    sys.path.insert(0, str(root))
    from tandem.privacy.pseudonymize import analyse
    from tandem.router.wiring import egress_detector, fast_detector
    from tandem.types import ChatRequest, Message

    egress = egress_detector(fast_detector("DE"))
    analyse(ChatRequest(messages=(Message("user", "Anna Meier called 0171 2345678."),)), egress)  # load the models
    out = {}
    for shape in shapes:
        sentence = SHAPES[shape]
        request = ChatRequest(messages=(Message("user", sentence * (chars // len(sentence) + 1)),))
        start = time.process_time()
        found = analyse(request, egress).findings
        out[shape] = (time.process_time() - start, len(found))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--against", type=Path, default=None, help="another checkout, measured in a second process")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    shapes = [s for s in args.shapes.split(",") if s]
    if unknown := [s for s in shapes if s not in SHAPES]:
        parser.error(f"unknown shapes {unknown}; known: {', '.join(SHAPES)}")
    if args.json:
        print(json.dumps(measure(args.root, shapes, args.chars)))
        return
    other: dict[str, list[float]] = {}
    if args.against is not None:
        done = subprocess.run([sys.executable, __file__, "--root", str(args.against), "--json", "--chars",
                               str(args.chars), "--shapes", ",".join(shapes)], capture_output=True, text=True,
                              check=True)
        other = json.loads(done.stdout.splitlines()[-1])
    here = measure(args.root, shapes, args.chars)
    print(f"{'shape':<14}{'chars':>8}{'seconds':>9}{'findings':>9}" + ("  against: seconds findings" if other else ""))
    for shape, (seconds, found) in here.items():
        beside = f"  {other[shape][0]:>16.2f} {int(other[shape][1]):>8}" if shape in other else ""
        print(f"{shape:<14}{args.chars:>8}{seconds:>9.2f}{found:>9}{beside}")


if __name__ == "__main__":
    main()
