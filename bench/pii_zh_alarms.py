"""What the Chinese name finders cost: their false alarms on EVERY sentence of MSRA's tune half.

    .venv/bin/python bench/pii_zh_alarms.py [--without lac] [--half tune]

``bench/privacy.py`` scores only sentences that name a person (its MSRA set); a name finder's false alarms
on the others (most news sentences name nobody) are a cost all the same: each is a placeholder the cloud
sees instead of a word. This runs ``ChineseDetector`` on every sentence of MSRA's test file in one half
(the tune half unless told) and counts, per source (crf, lac, jieba, zh-list, zh-ends, zh-annotated, zh-referred),
the PERSON findings that touch no gold person, those of them on a gold place or organisation, and the
gold persons with no character covered by any finding. ``--without lac`` runs without the LAC tagger,
``--without NAME`` drops a rule's findings (sources as above), to see what each one adds.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_sets import half
from pii_train_zh import _spans, sentences

from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.chinese_ner import person_spans
from tandem.privacy.lac_names import LacNames


class _NoLac(LacNames):
    def persons(self, text: str) -> list[tuple[int, int]]:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "report"), default="tune")
    parser.add_argument("--without", action="append", default=[], help="lac, or a finding source to drop")
    args = parser.parse_args()
    detector = ChineseDetector(lac=_NoLac() if "lac" in args.without else None)
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
