"""Router and privacy-engine benchmark: decision latency, PII recall/precision, leaks on the wire, and how
much `auto` keeps on the device at what quality.

    .venv/bin/python bench/router.py [--eval-dir ../shared/eval] [--quick | --limit N] [--sets a,b] [--half tune]
                                     [--llm-ner N]

Sections:
1. Decision latency: ``decide`` alone, and the whole routing step without NER (patterns, policy,
   difficulty, decide); spaCy NER, the name lists and the egress safety net reported separately; the
   on-device LLM detector with --llm-ner.
2. PII detection per language and category on the public English sets (presidio-research synth,
   MultiPriv) and synthetic de/zh messages: span recall/precision, and side by side the values that
   still reach a real recording server on loopback after pseudonymisation, with the routing detector
   alone and with the egress detector (+ the unknown-proper-noun safety net) that really guards cloud
   calls; then the share of PII-free prompts in which something is replaced (the precision cost).
3. Difficulty router on RouteLLM's held-out prompts: AUC; share kept on the device in `auto` and the
   quality of each tier (from RouteLLM's labels: Mixtral-8x7B stands in for the device tier, GPT-4 for
   the cloud tier; the files hold no reference answers to score the real on-device Qwen against).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_sets import Sample, half, msra, multipriv, own, presidio, synthetic
from train_difficulty import auc, held_out, load_routellm

from tandem.models.base import Model
from tandem.privacy.detect import CompositeDetector, Detector, Finding
from tandem.privacy.names import CaseBlind, NameDetector, ProperNounDetector
from tandem.privacy.ner import SpacyDetector
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.policy import Consent, Verdict, evaluate
from tandem.privacy.pseudonymize import analyse
from tandem.router.decide import RouteInput, decide
from tandem.router.difficulty import load_estimator
from tandem.types import Capabilities, ChatRequest, Message

DEVICE = Capabilities(context_length=32768)
CLOUD = Capabilities(context_length=131072, vision=True)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50, p99 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50 * 1e3:.3f} ms   p99 {p99 * 1e3:.3f} ms   (n={len(ordered)})"


def timed(fn: Callable[[], Any], repeat: int = 5, clock: Callable[[], float] = time.perf_counter) -> float:
    """Best of ``repeat`` runs: other processes on a small VM preempt us at random, and the best run is the
    cost of the work itself. ``time.process_time`` as the clock counts this process's CPU time only, which
    the other processes on a shared machine barely move."""
    best = float("inf")
    for _ in range(repeat):
        started = clock()
        fn()
        best = min(best, clock() - started)
    return best


def egress_cost(detector: Detector, samples: list[Sample]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of one egress check per text (best of 3), sorted. The word split the name
    detectors share is forgotten before each run, so a repeat does not find it done."""
    from tandem.privacy.names import _split

    def check(s: Sample) -> None:
        _split.cache_clear()
        detector.detect(s.text, s.language)

    wall = sorted(timed(lambda s=s: check(s), 3) for s in samples)  # type: ignore[misc]
    cpu = sorted(timed(lambda s=s: check(s), 3, time.process_time) for s in samples)  # type: ignore[misc]
    return wall, cpu


def latency(prompts: list[str]) -> None:
    print("\n## 1. Decision latency")
    patterns, spacy, estimator = PatternDetector(), SpacyDetector(), load_estimator()
    names, net = NameDetector(), CaseBlind(ProperNounDetector())
    for warm in (spacy, names, net):
        warm.detect("warm up", "en")
    verdict = Verdict(True, ("policy:pseudonymised",), "x")
    with_lists = CompositeDetector([patterns, names])
    pure, route, route_lists, ner, lists, nets = [], [], [], [], [], []
    for text in prompts:
        request = ChatRequest(messages=(Message("user", text),))
        facts = RouteInput(device=DEVICE, cloud=CLOUD, verdict=verdict, difficulty=0.4)
        pure.append(timed(lambda facts=facts: decide(facts)))  # type: ignore[misc]

        def routing(request: ChatRequest = request, detector: Detector = patterns) -> None:
            categories = analyse(request, detector).categories
            v = evaluate("DE", "DE", categories, Consent())
            decide(RouteInput(device=DEVICE, cloud=CLOUD, verdict=v, categories=categories,
                              difficulty=estimator.score(request)))

        route.append(timed(routing))
        route_lists.append(timed(lambda request=request: routing(request, with_lists)))  # type: ignore[misc]
        ner.append(timed(lambda text=text: spacy.detect(text, "en"), 2))  # type: ignore[misc]
        lists.append(timed(lambda text=text: names.detect(text, "en"), 2))  # type: ignore[misc]
        nets.append(timed(lambda text=text: net.detect(text, "en"), 2))  # type: ignore[misc]
    print("best of 5 runs per prompt; prompts: 400 held-out RouteLLM + 200 presidio-synth texts")
    print(f"decide() alone:                              {percentiles(pure)}")
    print(f"routing without NER (patterns, policy, difficulty, decide): {percentiles(route)}")
    print(f"  the same + name lists (all but spaCy):     {percentiles(route_lists)}")
    print(f"spaCy NER (separately):                      {percentiles(ner)}")
    print(f"name lists (separately):                     {percentiles(lists)}")
    print(f"egress safety net (separately, cloud calls): {percentiles(nets)}")


def _overlap(a: Finding, start: int, end: int) -> int:
    return min(a.end, end) - max(a.start, start)


def _score(samples: Iterable[Sample], detector: Detector) -> dict[tuple[str, str], list[int]]:
    """(language, category) → [tp, fn, fp]; a finding of the same category covering ≥ half a gold span is a
    hit; a finding inside a gold value (a first name alone) or on an unscored labelled span (an
    organisation, a city) is not a false positive. PROPER_NOUN (the egress safety net) has no gold: only
    its findings outside any PII are counted, as false positives."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in samples:
        found = [f for f in detector.detect(s.text, s.language) if f.replaceable]
        for g in (g for g in s.gold if g.category):
            hit = any(f.category == g.category and _overlap(f, g.start, g.end) >= (g.end - g.start) / 2 for f in found)
            counts[s.language, g.category][0 if hit else 1] += 1
        for f in found:
            if not any(_overlap(f, g.start, g.end) > 0 or f.text in g.value for g in s.gold):
                counts[s.language, f.category][2] += 1
    return counts


def _leaks(samples: list[Sample], send: Callable[[str], bytes]) -> tuple[int, int, int, int]:
    """(values leaked, values, messages with any leak, messages) on the wire."""
    leaked = total = bad = 0
    for s in samples:
        wire = send(s.text).decode("utf-8")
        values = {g.value for g in s.gold if g.category}
        hits = [v for v in values if v in wire or json.dumps(v)[1:-1] in wire]
        leaked, total, bad = leaked + len(hits), total + len(values), bad + bool(hits)
    return leaked, total, bad, len(samples)


def _wire(detector: Detector) -> tuple[Callable[[str], bytes], Any]:
    from tandem.models.endpoints import CloudEndpoint
    from tandem.models.openai_compat import OpenAICompatModel
    from tandem.privacy.ledger import Ledger
    from tandem.router.guard import CloudSite, PrivateCloud
    from tandem.testing import LiveServer, RecordingCloud

    recording = RecordingCloud()
    server = LiveServer(recording.app()).__enter__()
    model = OpenAICompatModel(CloudEndpoint("bench", server.url + "/v1", "m", "DE", timeout=30))
    import tempfile

    ledger = Ledger(Path(tempfile.mkdtemp()) / "ledger.db")
    # Consent to health data so that every sample is sent: the bench measures what leaks, not the policy.
    guard = PrivateCloud(model, CloudSite(model.url, "DE", "m"), detector, ledger, user_region="DE",
                         consent=lambda: Consent(health=True))

    def send(text: str) -> bytes:
        for _ in guard.stream(ChatRequest(messages=(Message("user", text),), max_tokens=1)):
            pass
        return recording.received[-1].body

    return send, server


_GROUPS = {"names": ("PERSON",), "addresses": ("ADDRESS",)}


def _cell(counts: dict[tuple[str, str], list[int]], language: str, categories: Iterable[str]) -> str:
    tp, fn, fp = (sum(counts.get((language, c), [0, 0, 0])[i] for c in categories) for i in range(3))
    recall = f"{tp / (tp + fn):.3f}" if tp + fn else "  -  "
    precision = f"{tp / (tp + fp):.3f}" if tp + fp else "  -  "
    return f"{recall}/{precision} ({tp + fn})"


def _summary(rows: list[tuple[str, str, dict[tuple[str, str], list[int]], str, str]]) -> None:
    patterns = sorted({c for _, _, counts, _, _ in rows for _, c in counts} - {"PERSON", "ADDRESS", "PROPER_NOUN"})
    print(f"\n  {'set':22} {'lang':4} {'names R/P (gold)':>20} {'addresses R/P (gold)':>22} "
          f"{'pattern types R/P (gold)':>25} {'leaked, routing detector':>25} {'leaked, egress (+net)':>22}")
    for name, language, counts, leaked_fast, leaked_egress in rows:
        print(f"  {name:22} {language:4} {_cell(counts, language, _GROUPS['names']):>20} "
              f"{_cell(counts, language, _GROUPS['addresses']):>22} {_cell(counts, language, patterns):>25} "
              f"{leaked_fast:>25} {leaked_egress:>22}")


def _detail(name: str, counts: dict[tuple[str, str], list[int]]) -> None:
    print(f"\n  {name}: per category (egress detector; PROPER_NOUN = safety-net words outside any PII)")
    print(f"  {'lang':4} {'category':14} {'recall':>7} {'precision':>9} {'gold':>6} {'false pos':>9}")
    for (language, category), (tp, fn, fp) in sorted(counts.items()):
        recall = f"{tp / (tp + fn):.3f}" if tp + fn else "   -"
        precision = f"{tp / (tp + fp):.3f}" if tp + fp else "   -"
        print(f"  {language:4} {category:14} {recall:>7} {precision:>9} {tp + fn:>6} {fp:>9}")


def _clean_prompts(eval_dir: Path, n: int) -> list[str]:
    return [r[1] for r in load_routellm(eval_dir) if held_out(r[1])][-n:]


def false_alarms(eval_dir: Path, fast: Detector, egress: Detector) -> None:
    """The precision cost on text without personal data: RouteLLM's held-out questions (MMLU, GSM8K,
    MT-Bench) hold names of historical people and places, which count here as false alarms too."""
    prompts = _clean_prompts(eval_dir, 400)
    for label, detector in (("routing detector", fast), ("egress (+ safety net)", egress)):
        flagged: dict[str, int] = defaultdict(int)
        words = 0
        for text in prompts:
            found = [f for f in detector.detect(text, "en") if f.replaceable]
            words += len(text.split())
            for category in {f.category for f in found}:
                flagged[category] += 1
            flagged["any"] += bool(found)
        cells = ", ".join(f"{c} {n / len(prompts):.1%}" for c, n in sorted(flagged.items()))
        print(f"  {label:24} share of {len(prompts)} PII-free prompts with a replaced span: {cells}")


SETS = ("presidio-synth", "multipriv", "synthetic", "hand-written", "msra")


def _sets(eval_dir: Path, names: tuple[str, ...], limit: int, which: str) -> dict[str, list[Sample]]:
    from tandem.eval.pii_samples import SAMPLES

    loaders: dict[str, Callable[[], list[Sample]]] = {
        "presidio-synth": lambda: presidio(eval_dir), "multipriv": lambda: multipriv(eval_dir),
        "synthetic": lambda: synthetic("de", 200) + synthetic("zh", 200), "hand-written": lambda: own(SAMPLES),
        "msra": msra}  # Chinese news sentences: all three name taggers read each of them
    # One half only (split by SHA-256 of each text): rules are tuned on the tune half, figures come from the report one.
    return {name: [s for s in loaders[name]() if half(s.text) == which][:limit or None] for name in names}


def pii(eval_dir: Path, names: tuple[str, ...], limit: int, which: str = "report") -> None:
    print(f"\n## 2. PII detection (span recall / precision per language) and leaks on the wire, on the {which.upper()} "
          "half of each set (split by SHA-256 of the text; rules are tuned on the tune half). Held-out sets with "
          "partial leaks: bench/privacy.py")
    from tandem.router.wiring import egress_detector, fast_detector

    fast = fast_detector("DE")
    egress = egress_detector(fast)
    sets = _sets(eval_dir, names, limit, which)
    send_fast, server_fast = _wire(fast)
    send_egress, server_egress = _wire(egress)
    rows = []
    try:
        for name, samples in sets.items():
            started = time.perf_counter()
            counts = _score(samples, egress)
            ms = (time.perf_counter() - started) / len(samples) * 1e3
            wall, cpu = egress_cost(egress, samples)
            if not samples:
                print(f"\n{name}: not installed or empty, skipped")
                continue
            print(f"\n{name}: {len(samples)} texts ({which} half), egress detection {ms:.1f} ms/text, "
                  f"p95 {wall[int(len(wall) * 0.95)] * 1e3:.1f} ms, CPU p95 {cpu[int(len(cpu) * 0.95)] * 1e3:.1f} ms "
                  f"(best of 3 per text; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
            _detail(name, counts)
            for language in sorted({s.language for s in samples}):
                chosen = [s for s in samples if s.language == language]
                cells = []
                for send in (send_fast, send_egress):
                    leaked, values, bad, _ = _leaks(chosen, send)
                    cells.append(f"{leaked}/{values} ({bad} msgs)")
                rows.append((name, language, counts, cells[0], cells[1]))
    finally:
        server_fast.__exit__(None, None, None)
        server_egress.__exit__(None, None, None)
    print("\n  Summary: recall/precision (gold spans) of the egress detector; values found verbatim in what the "
          "recording cloud received")
    _summary(rows)
    print()
    false_alarms(eval_dir, fast, egress)


def _device_model(model_id: str) -> Model:
    import tempfile

    from tandem.config import load_settings
    from tandem.models.registry import ModelRegistry

    return ModelRegistry(load_settings(home=Path(tempfile.mkdtemp()))).get(model_id)


def llm_ner(n: int, model_id: str) -> None:
    """The on-device LLM as an extra detector (run only before cloud calls): what it adds, what it costs."""
    from tandem.privacy.ner import LlmDetector
    from tandem.router.wiring import device_asker

    print(f"\n## 2b. On-device LLM detector ({model_id}) on {n} synthetic de/zh texts")
    samples = synthetic("de", n // 2, seed=21) + synthetic("zh", n - n // 2, seed=22)
    from tandem.router.wiring import fast_detector

    base = fast_detector("DE")
    llm = LlmDetector(device_asker(_device_model(model_id)), languages=frozenset({"en", "de", "zh"}))
    cost = [timed(lambda s=s: llm.detect(s.text, s.language), 1) for s in samples]  # type: ignore[misc]
    print(f"LLM detector latency: {percentiles(cost)}")
    for name, detector in (("patterns+spaCy", base), ("patterns+spaCy+LLM", CompositeDetector([base, llm]))):
        counts = _score(samples, detector)
        cells = [f"{lang} {c} recall {tp / max(1, tp + fn):.3f} precision {tp / max(1, tp + fp):.3f}"
                 for (lang, c), (tp, fn, fp) in sorted(counts.items()) if c in ("PERSON", "ADDRESS")]
        print(f"  {name:20} " + "; ".join(cells))


def difficulty(eval_dir: Path) -> None:
    print("\n## 3. Difficulty router on RouteLLM held-out prompts (never trained on)")
    import csv

    estimator = load_estimator()
    rows = [r for r in load_routellm(eval_dir) if held_out(r[1]) and r[0] != "assistant"]
    strong: dict[str, int] = {}
    csv.field_size_limit(1 << 30)
    for path in [*sorted((eval_dir / "routellm" / "mmlu" / "responses").glob("*.csv")),
                 eval_dir / "routellm" / "gsm8k" / "gsm8k_responses.csv"]:
        with path.open(encoding="utf-8") as f:
            strong.update((r["prompt"], int(r["gpt-4-1106-preview"] == "True")) for r in csv.DictReader(f))
    scores = [estimator.score_text(r[1]) for r in rows]
    print(f"AUC (hard = weak model wrong): {auc(scores, [r[2] for r in rows]):.3f} on {len(rows)} prompts")
    weak_acc = [1 - r[2] for r in rows]
    strong_acc = [strong.get(r[1], 0) for r in rows]
    print(f"all on weak tier: {statistics.mean(weak_acc):.3f}   all on strong tier: {statistics.mean(strong_acc):.3f}")
    print(f"\n  {'threshold':>9} {'on device':>9} {'device-tier acc':>15} {'cloud-tier acc':>14} {'mixed acc':>9} "
          f"{'PGR':>6}")
    gap = statistics.mean(strong_acc) - statistics.mean(weak_acc)
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        device = [i for i, s in enumerate(scores) if s < threshold]
        cloud = [i for i, s in enumerate(scores) if s >= threshold]
        mixed = statistics.mean([weak_acc[i] if s < threshold else strong_acc[i] for i, s in enumerate(scores)])
        dev = statistics.mean([weak_acc[i] for i in device]) if device else float("nan")
        clo = statistics.mean([strong_acc[i] for i in cloud]) if cloud else float("nan")
        pgr = (mixed - statistics.mean(weak_acc)) / gap if gap else float("nan")
        print(f"  {threshold:>9.1f} {len(device) / len(rows):>9.1%} {dev:>15.3f} {clo:>14.3f} {mixed:>9.3f} "
              f"{pgr:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    parser.add_argument("--quick", action="store_true", help="150 texts per PII set (--limit 150)")
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="the first N texts of each PII set (0: all)")
    parser.add_argument("--sets", default=",".join(SETS), help=f"PII sets to score, comma-separated: {','.join(SETS)}")
    parser.add_argument("--half", choices=("report", "tune"), default="report",
                        help="which half of each PII set (tune while rules change; the report half once, at the end)")
    parser.add_argument("--llm-ner", type=int, default=0, metavar="N", help="also measure the LLM detector on N texts")
    parser.add_argument("--device-model", default="device:qwen2.5-0.5b")
    args = parser.parse_args()
    names = tuple(n.strip() for n in args.sets.split(",") if n.strip())
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown PII set {unknown[0]!r}; choose from {', '.join(SETS)}")
    prompts = [r[1] for r in load_routellm(args.eval_dir) if held_out(r[1])][:400]
    prompts += [s.text for s in presidio(args.eval_dir)[:200]]
    latency(prompts)
    pii(args.eval_dir, names, 150 if args.quick else args.limit, args.half)
    if args.llm_ner:
        llm_ner(args.llm_ner, args.device_model)
    difficulty(args.eval_dir)


if __name__ == "__main__":
    main()
