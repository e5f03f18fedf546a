"""What the Chinese name finders cost: their false alarms on EVERY sentence of MSRA's tune half.

    .venv/bin/python bench/pii_zh_alarms.py [--without lac] [--half tune]

``bench/privacy.py`` scores only sentences that name a person (its MSRA set); a name finder's false alarms
on the others (most news sentences name nobody) are a cost all the same: each is a placeholder the cloud
sees instead of a word. This runs ``ChineseDetector`` on every sentence of MSRA's test file in one half
(the tune half unless told) and counts, per source (crf, lac, jieba, zh-list, zh-ends, zh-annotated, zh-referred),
the PERSON findings that touch no gold person, those of them on a gold place or organisation, and the
gold persons with no character covered by any finding. ``--without lac`` runs without the LAC tagger,
``--without NAME`` drops a rule's findings (sources as above), to see what each one adds.

``--lac-chances 0.5,0.2,...`` chooses ``lac_names.PERSON_CHANCE``: the tune half is split once more by
hash into A (choose) and B (check), and for each threshold it counts what LAC's runs of likely person
characters would add to the detector's findings: gold persons still uncovered, and new spans touching
no gold person.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_sets import half
from pii_train_zh import _spans, sentences

from tandem.privacy.chinese import _HAN_RUN, ChineseDetector
from tandem.privacy.chinese_ner import likely_spans, person_spans
from tandem.privacy.detect import Finding
from tandem.privacy.lac_names import LacNames


class _NoLac(LacNames):
    def doubts(self, text: str) -> tuple[list[tuple[int, int]], list[float]]:
        return [], [0.0] * len(text)


def _part(text: str) -> str:
    """A or B: a second split of one half, by another byte of the SHA-256 than ``half`` reads."""
    return "AB"[hashlib.sha256(text.encode("utf-8")).digest()[1] % 2]


def choose(detector: ChineseDetector, which: str, thresholds: list[float]) -> None:
    """See the module docstring (``--lac-chances``)."""
    lac = LacNames(chance=0.0)
    rows: dict[str, list[tuple[list[tuple[int, int]], list[Finding], list[float], str]]] = {"A": [], "B": []}
    for text, labels in sentences("msra_test.txt"):
        if half(text) == which:
            found = [f for f in detector.detect(text, "zh") if f.category == "PERSON"]
            rows[_part(text)].append((person_spans(labels), found, lac.read(text)[1], text))
    print(f"LAC marginal threshold, MSRA {which.upper()} half split in A (choose) / B (check)")
    print(f"  {'part':4} {'threshold':>9} {'sentences':>9} {'gold':>5} {'uncovered':>9} {'new false alarms':>16}")
    for part, read in rows.items():
        for threshold in [1.01, *thresholds]:
            uncovered = alarms = gold_count = 0
            for gold, found, chances, text in read:
                extra = [(m.start(), m.end()) for a, b in likely_spans(chances, threshold)
                         for m in _HAN_RUN.finditer(text, a, b)]
                covered = {i for f in found for i in range(f.start, f.end)} | {i for a, b in extra for i in range(a, b)}
                gold_count += len(gold)
                uncovered += sum(not any(i in covered for i in range(a, b)) for a, b in gold)
                old = {(f.start, f.end) for f in found}
                alarms += sum(1 for a, b in set(extra) - old if not any(a < gb and ga < b for ga, gb in gold))
            label = "best only" if threshold > 1 else f"{threshold:.2f}"
            print(f"  {part:4} {label:>9} {len(read):>9} {gold_count:>5} {uncovered:>9} {alarms:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "report"), default="tune")
    parser.add_argument("--without", action="append", default=[], help="lac, or a finding source to drop")
    parser.add_argument("--lac-chances", default="", help="comma-separated LAC marginal thresholds to compare")
    args = parser.parse_args()
    detector = ChineseDetector(lac=_NoLac() if "lac" in args.without else None)
    if args.lac_chances:
        choose(detector, args.half, [float(t) for t in args.lac_chances.split(",")])
        return
    alarms, on_other, sentences_with_alarm = Counter[str](), Counter[str](), 0
    missed = gold_names = texts = 0
    for text, labels in sentences("msra_test.txt"):
        if half(text) != args.half:
            continue
        texts += 1
        gold = person_spans(labels)
        others = _spans(labels, "-LOC") + _spans(labels, "-ORG")
        found = [f for f in detector.detect(text, "zh") if f.category == "PERSON" and f.source not in args.without]
        covered = {i for f in found for i in range(f.start, f.end)}
        gold_names += len(gold)
        missed += sum(not any(i in covered for i in range(a, b)) for a, b in gold)
        spans: dict[tuple[int, int], set[str]] = {}
        for f in found:
            spans.setdefault((f.start, f.end), set()).add(f.source)
        alarm = False
        for (a, b), sources in spans.items():
            if not any(a < gb and ga < b for ga, gb in gold):
                alarm = True
                for source in sources:
                    alarms[source] += 1
                    on_other[source] += any(a < ob and oa < b for oa, ob in others)
                alarms["(any)"] += 1
                on_other["(any)"] += any(a < ob and oa < b for oa, ob in others)
        sentences_with_alarm += alarm
    print(f"MSRA test, {args.half.upper()} half, all {texts} sentences; without: {args.without or 'nothing'}")
    print(f"  gold persons {gold_names}, no character covered {missed}")
    print(f"  sentences with a false alarm: {sentences_with_alarm}")
    print(f"  {'source':14} {'false alarms':>12} {'on LOC/ORG':>10}")
    for source, count in sorted(alarms.items(), key=lambda kv: -kv[1]):
        print(f"  {source:14} {count:>12} {on_other[source]:>10}")


if __name__ == "__main__":
    main()
