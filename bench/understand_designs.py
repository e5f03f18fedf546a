"""Design choices of the learned tier, measured on sets kept apart for TUNING only (session 9, issue 14).

Each design changes how the learned tier is built (the training sentences spelled out of the manifests' examples,
the judge's recipe, the "none" decision, the tier combination) and is scored, without listing any item, on:

    fresh A / fresh B   bench/data/understand_fresh.tsv (a blind set written for tuning), cut by a second hash byte:
                        a design is chosen on both, never on one item
    old tune            the tune half of bench/understand.py (bench/data/understand.tsv + xSID validation); overfit:
                        its misses were used to write examples in sessions 4-6, so it mostly says what a design costs

Per set and language: fast+learned intent accuracy, the learned tier's own in-scope hits, and the tasks made from
out-of-scope items (fast+learned / learned alone). The report half of bench/understand.py is never read here.

    nice .venv/bin/python bench/understand_designs.py baseline spell24 descriptions ...
    nice .venv/bin/python bench/understand_designs.py natural+bar0.8 --threshold 0.31 0.5 0.6 --misread
    nice .venv/bin/python bench/understand_designs.py --list

"baseline" is session 8's design (examples spelled out, threshold 0.31, no lead, any clause split) over today's data
files; "shipped" is session 9's first design (the manifests' phrasings, lead 2 for every capability, clauses sure at
0.8); "shipped+plain1.5" is what tandem/agent/learned.py does now: lead 2 for capabilities that declare phrasings,
1.5 (PLAIN_LEAD) for those learned from templates alone. "examples-only+..." drop the phrasings: every capability is
then a template-only partner's (the row that shows what a third-party partner without phrasings gets).
Session 10 (why English requests fall to "none": the Snips out-of-scope groups are English only): "shipped+en1.5" and
the like set a lead per language, "shipped+english-groups1.0" lowers the Snips groups for English sentences,
"shipped+max3" measures the lead against the likeliest "none" label alone, "shipped-snips" leaves groups out.
Session 11: "now" is learned.py's knobs as they are (LEAD, PLAIN_LEAD), "leadR" the same with LEAD = R (the lead of
capabilities with phrasings chosen again after more phrasings), all through the Understander as it is (loose templates).
Vectors are cached in /tmp/understand-designs-vectors.npz; every judge is trained here (a few seconds each).
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import understand as bench

from tandem.agent import learned
from tandem.agent.capabilities import shipped
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import CHAT, Judge, LearnedTier, unlearned_key, unlearned_keys
from tandem.agent.slots import detect_language
from tandem.agent.templates import spell_out
from tandem.agent.understand import LearnedParser, Understander, _Asked
from tandem.partners import builtin_manifest_paths

FRESH = bench.ROOT / "bench" / "data" / "understand_fresh.tsv"
CACHE = Path("/tmp/understand-designs-vectors.npz")


class Cached:
    """e5 query vectors kept on disk between runs (the sets are embedded once)."""

    def __init__(self) -> None:
        from tandem.models.embeddings import E5Embedder

        self.e5, self.known, self.added = E5Embedder(), {}, 0
        if CACHE.exists():
            with np.load(CACHE) as data:
                self.known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def embed_query(self, texts: Any) -> list[Any]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        for start in range(0, len(todo), 64):
            batch = todo[start:start + 64]
            for text, vector in zip(batch, self.e5.embed_query(batch), strict=True):
                self.known[text] = np.asarray(vector, dtype="float32")
        self.added += len(todo)
        return [self.known[t] for t in texts]

    def save(self) -> None:
        if self.added:
            np.savez(CACHE, texts=np.array(list(self.known)), vectors=np.stack(list(self.known.values())))


@dataclass(frozen=True)
class Design:
    """How the learned tier is built and used."""

    spellings: int = 6  # sentences spelled out of each example
    values: str = "script"  # "script": a parameter's samples in the language's script; "all": any sample
    descriptions: bool = False  # each tool's description per language as one more example
    asking: bool = False  # each description also said inside ASKING (request frames any capability fits)
    steps: int = 100
    decay: float = 1e-3
    scale: float = 10.0
    threshold: float = learned.THRESHOLD
    rule: str = "best"  # "best": best capability vs all of none; "sum": all capabilities vs none, then the best
    veto: float = 2.0  # a strong template match is dropped when the learned tier's "none" is at least this (2: never)
    natural: bool = False  # the manifests' phrasings (whole requests as users say them) as more examples
    frames: bool = False  # every training sentence (capabilities and chat alike) also said inside FRAMES
    split_bar: float = 0.0  # a sentence cut into clauses is several tasks only if every clause is at least this sure
    split_same: bool = False  # clauses that all ask for one capability are one request (the whole sentence)
    near: float = 0.0  # a capability counts only when one of its examples is at least this similar (cosine)
    ratio: float = 1.0  # a capability counts only when at least this many times as likely as "none" (the tier's lead)
    plain: float | None = None  # the lead of a capability without phrasings (None: ``ratio``, as for every other)
    per_group: int = 60  # Snips training sentences per out-of-scope group (the shipped none_vectors.npz: 60)
    # session 10: why English requests fall to "none"
    leads: tuple[tuple[str, float], ...] = ()  # a lead per language of the sentence (every capability's), else ratio
    english_groups: float = 0.0  # the English-only out-of-scope groups (Snips) lowered by this (logit), English only
    none_rule: str = "sum"  # "sum": the lead is over chat + every group; "max": over the likeliest of them alone
    drop: tuple[str, ...] = ()  # out-of-scope groups left out of training (name prefixes)


DESIGNS: dict[str, Design] = {
    "baseline": Design(),
    "shipped": Design(natural=True, split_bar=0.8, ratio=2.0),
    "examples-only+lead2": Design(split_bar=0.8, ratio=2.0),
    "shipped+plain1.5": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5),
    "now": Design(natural=True, split_bar=0.8, ratio=learned.LEAD, plain=learned.PLAIN_LEAD),  # learned.py's knobs
    **{f"lead{r}": Design(natural=True, split_bar=0.8, ratio=r, plain=learned.PLAIN_LEAD)  # session 11: LEAD again
       for r in (2, 2.5, 3, 3.5, 4, 5, 6, 8)},
    "shipped+plain1": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.0),
    "examples-only+lead2+plain1": Design(split_bar=0.8, ratio=2.0, plain=1.0),
    "examples-only+lead2+plain1.5": Design(split_bar=0.8, ratio=2.0, plain=1.5),
    "shipped+snips150": Design(natural=True, split_bar=0.8, ratio=2.0, per_group=150),
    "shipped+snips400": Design(natural=True, split_bar=0.8, ratio=2.0, per_group=400),
    "natural+bar0.8+snips150": Design(natural=True, split_bar=0.8, per_group=150),
    "spell12": Design(spellings=12),
    "spell24": Design(spellings=24),
    "values-all": Design(values="all"),
    "spell24-all": Design(spellings=24, values="all"),
    "descriptions": Design(descriptions=True),
    "decay1e-2": Design(decay=1e-2),
    "decay3e-2": Design(decay=3e-2),
    "steps50": Design(steps=50),
    "steps300": Design(steps=300),
    "scale5": Design(scale=5.0),
    "scale20": Design(scale=20.0),
    "sum": Design(rule="sum"),
    "veto0.98": Design(veto=0.98),
    "veto0.9": Design(veto=0.9),
    "natural": Design(natural=True),
    "frames": Design(frames=True),
    "natural+descriptions": Design(natural=True, descriptions=True),
    "natural+frames": Design(natural=True, frames=True),
    "natural+same": Design(natural=True, split_same=True),
    "natural+bar0.6": Design(natural=True, split_bar=0.6),
    "natural+bar0.8": Design(natural=True, split_bar=0.8),
    "natural+same+bar0.6": Design(natural=True, split_same=True, split_bar=0.6),
    "natural+ratio2": Design(natural=True, split_bar=0.8, ratio=2.0),
    "natural+ratio1.5": Design(natural=True, split_bar=0.8, ratio=1.5),
    "natural+ratio2.5": Design(natural=True, split_bar=0.8, ratio=2.5),
    "natural+ratio3": Design(natural=True, split_bar=0.8, ratio=3.0),
    "natural+ratio3-nobar": Design(natural=True, ratio=3.0),
    "natural+ratio3-bar0.6": Design(natural=True, split_bar=0.6, ratio=3.0),
    "natural+ratio3+descriptions": Design(natural=True, split_bar=0.8, ratio=3.0, descriptions=True),
    "natural+ratio5": Design(natural=True, split_bar=0.8, ratio=5.0),
    "natural+ratio10": Design(natural=True, split_bar=0.8, ratio=10.0),
    "natural+near0.8": Design(natural=True, near=0.8),
    "natural+near0.82": Design(natural=True, near=0.82),
    "natural+near0.84": Design(natural=True, near=0.84),
    "natural+near0.86": Design(natural=True, near=0.86),
    "asking": Design(descriptions=True, asking=True),
    "natural+asking": Design(natural=True, descriptions=True, asking=True),
    "natural+spell3": Design(natural=True, spellings=3),
    "natural+spell12": Design(natural=True, spellings=12),
    "natural+decay1e-2": Design(natural=True, decay=1e-2),
    "natural+steps300": Design(natural=True, steps=300),
    "natural+scale5": Design(natural=True, scale=5.0),
    "natural+sum": Design(natural=True, rule="sum"),
    "natural+values-all": Design(natural=True, values="all"),
    "natural+veto0.9": Design(natural=True, veto=0.9),
    "natural+veto0.95": Design(natural=True, veto=0.95),
    "natural+veto0.98": Design(natural=True, veto=0.98),
    "shipped+en1.5": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, leads=(("en", 1.5),)),
    "shipped+en1.25": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, leads=(("en", 1.25),)),
    "shipped+en1": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, leads=(("en", 1.0),)),
    "shipped+en1.5+de1.5": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, leads=(("en", 1.5), ("de", 1.5))),
    "shipped+all1.5": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5,
                             leads=(("en", 1.5), ("de", 1.5), ("zh", 1.5))),
    **{f"shipped+english-groups{b}": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, english_groups=b)
       for b in (0.5, 1.0, 1.5, 2.5)},
    **{f"shipped+max{r}": Design(natural=True, split_bar=0.8, ratio=r, plain=r, none_rule="max") for r in (2, 3, 4, 6)},
    **{f"shipped+snips{n}": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, per_group=n)
       for n in (10, 20, 30)},
    "shipped-snips": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, drop=(
        "AddToPlaylist", "BookRestaurant", "PlayMusic", "RateBook", "SearchCreativeWork", "weather", "SearchScreen")),
    "shipped-BookRestaurant": Design(natural=True, split_bar=0.8, ratio=2.0, plain=1.5, drop=("BookRestaurant",)),
}
# Words around a request that say nothing of what it asks for, per language, written for this design: said around
# capability and chat sentences alike, so they cannot tell the two apart.
# How a request for any capability may be put, per language, around the capability's description (a verb phrase in
# en/de/zh manifests): written for this design from general phrasing knowledge, capability-independent.
ASKING = {"en": ("please {}", "can you {}", "could you {} for me", "I want to {}", "I'd like to {}", "I need to {}"),
          "de": ("bitte {}", "kannst du {}", "könntest du mir {}", "ich möchte {}", "ich will {}", "ich muss {}"),
          "zh": ("请{}", "能不能帮我{}", "帮我{}", "我想{}", "我要{}", "我需要{}")}
FRAMES = {"en": ("hey, {}", "{}, please", "ok so {}", "{}, thanks"),
          "de": ("hey, {}", "{}, bitte", "also, {}", "{}, danke"),
          "zh": ("嗯，{}", "{}，谢谢", "那个，{}", "请{}")}


def _descriptions() -> dict[str, dict[str, str]]:
    """intent -> language -> the tool's description, from the shipped manifests."""
    found: dict[str, dict[str, str]] = {}
    for path in builtin_manifest_paths():
        for tool in tomllib.loads(path.read_text(encoding="utf-8")).get("tools", ()):
            if tool.get("intent") and isinstance(tool.get("description"), dict):
                found.setdefault(tool["intent"], {}).update(tool["description"])
    return found


def _samples(spec: IntentSpec, lang: str, values: str) -> dict[str, list[str]]:
    found = learned.sample_values(spec, lang)
    if values == "all":
        for slot in found:
            found[slot] = list(dict.fromkeys([*spec.samples.get(slot, ()), *found[slot]]))
    return found


def training(design: Design, intents: tuple[IntentSpec, ...]) -> tuple[list[str], list[str], list[str]]:
    """Texts, labels and languages the tier trains on (chat examples included), as ``design`` spells them."""
    texts, labels, langs = [], [], []
    skipped = unlearned_keys()
    described = _descriptions() if design.descriptions else {}
    for spec in intents:
        for lang in dict.fromkeys((*spec.examples, *spec.phrasings)):
            examples = spec.examples.get(lang, ())
            samples = _samples(spec, lang, design.values)
            said = [s for e in examples for s in spell_out(e, design.spellings, samples)]
            if lang in described.get(spec.name, {}):
                phrase = described[spec.name][lang].rstrip("。.")
                said.append(phrase)
                if design.asking:
                    lowered = phrase[0].lower() + phrase[1:] if lang == "en" else phrase
                    said.extend(frame.format(lowered) for frame in ASKING[lang])
            if design.natural:
                said.extend(spec.phrasings.get(lang, ()))
            for text in said:
                if unlearned_key(text) not in skipped:
                    texts.append(text)
                    labels.append(spec.name)
                    langs.append(lang)
    for lang, examples in learned.chat_examples().items():
        texts.extend(examples)
        labels.extend([CHAT] * len(examples))
        langs.extend([lang] * len(examples))
    if design.frames:
        for i in range(len(texts)):
            frame = FRAMES[langs[i]][i % len(FRAMES[langs[i]])]
            texts.append(frame.format(texts[i]))
            labels.append(labels[i])
            langs.append(langs[i])
    return texts, labels, langs


def _negatives(embedder: Any, per_group: int) -> Path:
    """The out-of-scope vectors with ``per_group`` Snips training sentences per group (60: the shipped file)."""
    if per_group == 60:
        return learned.NONE_VECTORS
    from tandem.eval.base import data_root
    from tandem.eval.heldout import evaluated, out_of_scope

    held = set().union(*evaluated(data_root(), bench=bench.DATA).values())
    chosen = out_of_scope(data_root() / "snips", held, per_group) + [
        (group, text) for group, texts in learned.near_misses().items() for text in texts]
    path = Path(f"/tmp/understand-designs-none-{per_group}.npz")
    vectors = np.stack(embedder.embed_query([text for _, text in chosen])).astype("float16")
    np.savez(path, vectors=vectors, groups=np.array([group for group, _ in chosen]))
    return path


class Tier(LearnedTier):
    """A learned tier built as ``design`` says."""

    def __init__(self, embedder: Any, intents: tuple[IntentSpec, ...], design: Design) -> None:
        plain = design.ratio if design.plain is None else design.plain
        super().__init__(embedder, intents, threshold=design.threshold, several=design.split_bar, lead=design.ratio,
                         plain_lead=plain, cache=None, negatives=_negatives(embedder, design.per_group))
        self.design = design
        self.texts, self.labels, self.langs = training(design, intents)
        self.natural = self.natural if design.natural else set()  # what it learned: templates alone
        self.groups = {label: np.array([i for i, x in enumerate(self.labels) if x == label])
                       for label in dict.fromkeys(self.labels)}

    def _training_data(self) -> tuple[Any, list[str]]:
        vectors, labels = super()._training_data()
        keep = [i for i, label in enumerate(labels) if not any(label.startswith("none:" + d) for d in self.design.drop)]
        return vectors[keep], [labels[i] for i in keep]

    def _key(self) -> str:
        return super()._key() + repr(self.design.drop)  # the same examples, other out-of-scope groups

    @property
    def judge(self) -> Judge:
        found = LearnedTier.judge.fget(self)  # type: ignore[attr-defined]
        if not self.design.english_groups:
            return found
        english = np.array([label.startswith("none:") and not label.startswith("none:near:") for label in found.labels])
        lowered = found.lift.get("en", 0.0) - self.design.english_groups * english.astype("float32")
        return Judge(found.labels, found.centre, found.weights, found.key, {**found.lift, "en": lowered})

    def lead_of(self, name: str) -> float:
        return dict(self.design.leads).get(getattr(self, "_lang", ""), super().lead_of(name))

    def classify(self, text: str) -> Any:
        self._lang = detect_language(text)
        if self.design.none_rule == "max":
            (query,) = self._embed([text])
            judge = self.judge
            p = dict(zip(judge.labels, judge._softmax(judge._logits(query, judge.lift.get(self._lang, 0.0))),
                         strict=True))
            offered = {k: float(v) for k, v in p.items() if not (k == CHAT or k.startswith("none:"))}
            best = max(offered, key=lambda k: offered[k])
            against = max(float(v) for k, v in p.items() if k not in offered)
            said = best if offered[best] >= self.threshold and offered[best] >= self.lead_of(best) * against else None
            return learned.Guess(said, offered[best], 0.0)
        guess = super().classify(text)
        if guess.intent is not None and self.design.near:
            (query,) = self._embed([text])
            if float((self.matrix[self.groups[guess.intent]] @ query).max()) < self.design.near:
                return learned.Guess(None, guess.score, guess.margin)
        return guess

    def scores(self, text: str) -> dict[str, float]:
        found = super().scores(text)
        if self.design.rule == "sum":  # the sentence is an action as likely as all capabilities together
            total = sum(v for k, v in found.items() if k != CHAT)
            best = max((k for k in found if k != CHAT), key=lambda k: found[k])
            return {**{k: 0.0 for k in found if k != CHAT}, best: total, CHAT: found[CHAT]}
        return found


class Parser(LearnedParser):
    """The learned tier's parse (clauses are several requests only when each is at least ``split_bar`` sure: the
    tier's ``several``), and ``split_same``: clauses that all ask for one capability are one request."""

    tier: Tier

    def parse(self, text: str, now: Any, **kwargs: Any) -> Any:
        found = super().parse(text, now, **kwargs)
        design = self.tier.design
        if len(found.intents) < 2:
            return found
        if not (design.split_same and len({i.name for i in found.intents}) == 1):
            return found
        whole = self._clause(text, found.language, now, kwargs.get("live"), False, _Asked())
        return replace(found, intents=(whole,) if whole else (), tier="learned" if whole else "none")


class Both(Understander):
    """fast+learned, with the design's veto of strong template matches."""

    def __init__(self, intents: tuple[IntentSpec, ...], tier: Tier) -> None:
        super().__init__(intents=intents, learned=tier)
        self.tier = tier
        self.learned = Parser(tier, intents)

    def _checked(self, text: str, fast: Any, learned_: Any) -> Any:
        found = super()._checked(text, fast, learned_)
        if found is fast and fast.matched and self.tier.scores(text).get(CHAT, 0.0) >= self.tier.design.veto:
            return replace(fast, intents=(), tier="none", confidence=0.0)
        return found


def fresh_cases() -> list[bench.Case]:
    return bench.load_cases(None, FRESH) if FRESH.exists() else []


def sets() -> dict[str, list[bench.Case]]:
    fresh = fresh_cases()
    return {"fresh A": [c for c in fresh if c.part == "A"], "fresh B": [c for c in fresh if c.part == "B"],
            "old tune": [c for c in bench.load_cases() if c.half == "tune"]}


MISREAD: dict[tuple[str, str], int] = {}  # (expected, said) -> count, fast+learned, over the sets measured


def measure(tier: Tier, intents: tuple[IntentSpec, ...], cases: list[bench.Case]) -> dict[str, dict[str, int]]:
    both, alone = Both(intents, tier), Parser(tier, intents)
    rows: dict[str, dict[str, int]] = {}
    for case in cases:
        row = rows.setdefault(case.lang, dict.fromkeys(("n", "both", "alone", "oos", "tasks", "alone_tasks"), 0))
        names = [i.name for i in both.understand(case.text, bench.NOW).intents]
        if "+".join(names) != (case.intent or ""):
            key = (case.intent or "-", "+".join(names) or "-")
            MISREAD[key] = MISREAD.get(key, 0) + 1
        own = [i.name for i in alone.parse(case.text, bench.NOW).intents]
        if case.intent is None:
            row["oos"] += 1
            row["tasks"] += len(names)
            row["alone_tasks"] += len(own)
        else:
            row["n"] += 1
            row["both"] += names == [case.intent]
            row["alone"] += own == [case.intent]
    return rows


def line(name: str, where: str, rows: dict[str, dict[str, int]]) -> str:
    acc = " ".join(f"{lang} {100 * r['both'] / max(1, r['n']):5.1f}" for lang, r in sorted(rows.items()))
    alone = "/".join(str(r["alone"]) for _, r in sorted(rows.items()))
    tasks = "/".join(f"{r['tasks']}" for _, r in sorted(rows.items()))
    alone_tasks = "/".join(f"{r['alone_tasks']}" for _, r in sorted(rows.items()))
    right = sum(r["both"] + r["oos"] - r["tasks"] for r in rows.values())
    return (f"{name:18} {where:9} fast+learned {acc} | tasks {tasks} | learned in-scope {alone} tasks {alone_tasks}"
            f" | right {right}/{sum(r['n'] + r['oos'] for r in rows.values())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("designs", nargs="*", default=["baseline"])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--threshold", type=float, nargs="+", default=None, help="score each design at these")
    parser.add_argument("--misread", action="store_true", help="counts of expected -> said (no items)")
    parser.add_argument("--sets", nargs="+", default=None, help="only these sets (fresh A, fresh B, old tune)")
    args = parser.parse_args()
    if args.list:
        for name, design in DESIGNS.items():
            print(name, design)
        return
    embedder, intents = Cached(), shipped()
    chosen = {k: v for k, v in sets().items() if args.sets is None or k in args.sets}
    embedder.embed_query([c.text for cases in chosen.values() for c in cases])
    for name in args.designs:
        design = DESIGNS[name]
        started = time.perf_counter()
        tier = Tier(embedder, intents, design)
        Judge._STEPS, Judge._DECAY, Judge._SCALE = design.steps, design.decay, design.scale
        tier.judge  # noqa: B018 -- trained now
        trained = time.perf_counter() - started
        for threshold in args.threshold or [design.threshold]:
            tier.threshold = threshold
            MISREAD.clear()
            label = name if args.threshold is None else f"{name}@{threshold}"
            for where, cases in chosen.items():
                if cases:
                    print(line(label, where, measure(tier, intents, cases)), flush=True)
            if args.misread:
                print(" ".join(f"{a}->{b}:{n}" for (a, b), n in sorted(MISREAD.items(), key=lambda x: -x[1])))
        print(f"{name:18} trained on {len(tier.labels)} sentences in {trained:.1f} s "
              f"({tier.judge_source})", flush=True)
        embedder.save()


if __name__ == "__main__":
    main()
