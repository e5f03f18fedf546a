"""What Tandem's understanding learns from, kept apart from what it is measured on.

The learned tier trains on sentences (partner examples, chat examples, Tandem's near misses, Snips training
sentences as out-of-scope groups); the benches and ``tandem eval`` measure on others (bench/data/understand.tsv,
xSID validation, SGD dev dialogues, Snips validation). A sentence in both would be scored as generalisation
while the classifier had seen it. ``evaluated`` gathers every sentence of the evaluation sets, normalised
(case, spaces and punctuation do not count); ``out_of_scope`` chooses the Snips training sentences the learned
tier ships as "none of these", never one that is evaluated. tests/eval/test_heldout.py checks the rest.

    held = evaluated(data_root(), bench=Path("bench/data/understand.tsv"))
    chosen = out_of_scope(data_root() / "snips", set().union(*held.values()))
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from tandem.eval.xsid_train import snips_examples

__all__ = ["digest", "evaluated", "normalise", "out_of_scope"]

_NOT_WORDS = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """``text`` as compared across sets: case-folded, without spaces or punctuation ("Delete all alarms." is
    "deleteallalarms")."""
    return _NOT_WORDS.sub("", text.casefold())


def _bench(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")[2]


def _xsid(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("*.conll")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                yield line.removeprefix("# text = ")


def _sgd(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("dialogues_*.json")):
        for dialogue in json.loads(path.read_text(encoding="utf-8")):
            yield from (turn["utterance"] for turn in dialogue["turns"] if turn["speaker"] == "USER")


def _snips_validation(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("**/validate_*.json")):
        for utterances in json.loads(path.read_bytes().decode("utf-8", errors="replace")).values():
            yield from ("".join(part["text"] for part in u["data"]) for u in utterances)


def evaluated(root: Path, bench: Path | None = None) -> dict[str, set[str]]:
    """Every evaluation set found below ``root`` (the public evaluation data), ``bench`` and the other held-apart
    sets beside it (``understand*.tsv``: bench/data/understand_fresh.tsv), by name, as normalised sentences. A set
    whose folder is missing is left out (named by the caller's check)."""
    sources = {"xSID validation": (root / "xsid", _xsid), "SGD dev (user turns)": (root / "sgd" / "dev", _sgd),
               "Snips validation": (root / "snips", _snips_validation)}
    found = {name: {normalise(text) for text in read(where)} for name, (where, read) in sources.items()
             if where.is_dir()}
    for path in sorted({bench, *bench.parent.glob("understand*.tsv")}) if bench is not None else ():
        found[f"bench/data/{path.name}"] = {normalise(text) for text in _bench(path)}
    return found


def out_of_scope(snips: Path, held: set[str], per_group: int = 60) -> list[tuple[str, str]]:
    """(group, sentence): ``per_group`` Snips 2017 *training* sentences of every Snips intent (CC0; no shipped
    capability offers one), evenly spread over the file, never a sentence in ``held`` (normalised): Snips'
    training files hold half of xSID's English validation sentences."""
    grouped: dict[str, list[str]] = {}
    for example in snips_examples(snips):
        if normalise(example.text) not in held:
            grouped.setdefault(example.intent, []).append(example.text)
    return [(group, text) for group, texts in sorted(grouped.items())
            for text in list(dict.fromkeys(texts))[::max(1, len(texts) // per_group)][:per_group]]


def digest(chosen: Iterable[tuple[str, str]]) -> str:
    """A fingerprint of (group, sentence) pairs: stored beside the shipped vectors, so a test can tell that the
    vectors were made from the sentences it checked."""
    return hashlib.sha256("".join(f"{group}\t{text}\n" for group, text in chosen).encode()).hexdigest()
