"""The transliteration rule on long and hostile text (review of session 9, R22): choosing among overlapping
candidate names compared each with every name kept so far, so one long run of single characters (a message of
rare characters, classical prose) held a core for minutes inside the egress check."""

from __future__ import annotations

import random
import threading
from itertools import pairwise

from tandem.privacy.transliteration import Transliterations, best_first


def _brute(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    taken: list[tuple[int, int]] = []
    for i, end in spans:
        if not any(i < b and a < end for a, b in taken):
            taken.append((i, end))
    return sorted(taken)


def test_the_best_spans_are_the_ones_a_pass_over_all_kept_spans_chooses() -> None:
    rng = random.Random(9)
    for _ in range(300):
        spans = [(start, start + rng.randint(2, 8)) for start in (rng.randrange(60) for _ in range(rng.randrange(40)))]
        assert best_first(spans) == _brute(spans)


def test_a_run_of_300_000_rare_characters_is_read_in_one_pass() -> None:
    rng = random.Random(2)
    text = "".join(chr(rng.randrange(0x3400, 0x4DB0)) if rng.random() < 0.5 else rng.choice("阿布尔斯基瓦猜亚娜拉特克")
                   for _ in range(300_000))
    tokens = [(i, c, "x") for i, c in enumerate(text)]  # each character its own word: one run of 300,000
    found: list[list[tuple[int, int]]] = []
    reading = threading.Thread(target=lambda: found.append(Transliterations().spans(text, tokens, {})), daemon=True)
    reading.start()
    reading.join(120)  # a hang guard, not a timing: seconds now; the pass over all kept spans took ~20 min
    assert found, "the rule did not finish a 300,000-character run"
    spans = found[0]
    assert spans and all(a < b <= c for (a, b), (c, _) in pairwise(spans))  # disjoint, ordered
