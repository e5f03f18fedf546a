"""Nothing the understanding learns from is a sentence it is measured on: the near misses, the chat examples, the
shipped partners' examples (as the learned tier spells them out for training) and the Snips training sentences
shipped as out-of-scope vectors, against bench/data/understand.tsv (both halves), xSID validation, SGD dev and Snips
validation, with case, spaces and punctuation ignored. The shipped out-of-scope vectors carry a fingerprint of
the sentences they were made from, so they cannot silently lag behind the sentences checked here.

The rule is about training, not about the product's grammar: a partner's template written for the product (not
from an evaluation item) may match an evaluated sentence ("what are my reminders"), since the fast tier reads the
template as written; its spellings that are evaluated sentences are listed in tandem/agent/unlearned.txt and the
learned tier does not train on them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.learned import (
    CHAT,
    NONE_VECTORS,
    UNLEARNED,
    LearnedTier,
    chat_examples,
    near_misses,
    unlearned_key,
    unlearned_keys,
)
from tandem.eval.base import data_root
from tandem.eval.heldout import digest, evaluated, normalise, out_of_scope

BENCH = Path(__file__).resolve().parents[2] / "bench" / "data" / "understand.tsv"
PUBLIC = data_root()
needs_public = pytest.mark.skipif(not (PUBLIC / "snips").is_dir(), reason="needs the public evaluation data")


class Unused:
    """The learned tier spells its examples out without embedding anything."""

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        raise AssertionError("nothing is embedded here")


def _held() -> dict[str, set[str]]:
    return evaluated(PUBLIC, bench=BENCH)


def _learned() -> dict[str, list[str]]:
    return {"tandem/agent/near_misses.toml": [t for texts in near_misses().values() for t in texts],
            "tandem/agent/chat_examples.toml": [t for texts in chat_examples().values() for t in texts],
            "shipped partner examples": _spelled_out()}


def _spelled_out(unlearned: Path | None = UNLEARNED) -> list[str]:
    """The sentences the learned tier trains on for the shipped capabilities (their examples spelled out, less
    those listed in ``unlearned``)."""
    tier = LearnedTier(Unused(), shipped(), negatives=None, unlearned=unlearned)
    return [text for label, text in zip(tier.labels, tier.texts, strict=True) if label != CHAT]


def _overlap(learned: dict[str, list[str]], held: dict[str, set[str]]) -> list[str]:
    return [f"{source}: {text!r} is in {name}" for source, texts in learned.items() for text in texts
            for name, found in held.items() if normalise(text) in found]


def test_sentences_compare_without_case_spaces_or_punctuation() -> None:
    assert normalise("Delete all  alarms.") == normalise("delete all alarms") == "deleteallalarms"
    assert normalise("删除所有闹钟。") == normalise("删除 所有闹钟")
    assert normalise("Lösche alle Wecker!") == "löscheallewecker"


def test_a_learned_sentence_that_is_evaluated_is_found(tmp_path: Path) -> None:
    bench = tmp_path / "understand.tsv"
    bench.write_text("# lang\tintent\ttext\nen\t-\tDelete all alarms.\n", encoding="utf-8")
    held = evaluated(tmp_path / "nothing here", bench=bench)
    assert _overlap({"near": ["delete all alarms", "wake me at six"]}, held) == [
        "near: 'delete all alarms' is in bench/data/understand.tsv"]


def test_the_bench_sentences_are_not_learned_from() -> None:
    found = _held()
    held = {name: found[name] for name in ("bench/data/understand.tsv", "bench/data/understand_fresh.tsv")}
    assert len(held["bench/data/understand.tsv"]) > 250 and len(held["bench/data/understand_fresh.tsv"]) > 450
    assert _overlap(_learned(), held) == []


@needs_public
def test_no_sentence_learned_from_is_in_a_public_evaluation_set() -> None:
    held = _held()
    assert set(held) == {"bench/data/understand.tsv", "bench/data/understand_fresh.tsv", "xSID validation",
                         "SGD dev (user turns)", "Snips validation"}
    chosen = out_of_scope(PUBLIC / "snips", set().union(*held.values()))
    negatives = {"Snips out-of-scope groups": [text for _, text in chosen]}
    assert _overlap({**_learned(), **negatives}, held) == []


@needs_public
def test_the_unlearned_spellings_are_exactly_the_evaluated_ones() -> None:
    """unlearned.txt is up to date: every spelling of a shipped template that is an evaluated sentence, and nothing
    else (rebuild: bench/understand.py --write-vectors). The reminder templates restored after the session-7
    review (R7) are among them: the fast tier matches "what are my reminders", the learned tier never saw it."""
    held = set().union(*_held().values())
    every = _spelled_out(unlearned=None)
    assert unlearned_keys() == {unlearned_key(t) for t in every if normalise(t) in held}
    assert normalise("what are my reminders") in {normalise(t) for t in every}
    assert normalise("what are my reminders") not in {normalise(t) for t in _spelled_out()}


@needs_public
def test_the_shipped_out_of_scope_vectors_are_made_from_the_checked_sentences() -> None:
    held = set().union(*_held().values())
    chosen = out_of_scope(PUBLIC / "snips", held) + [(g, t) for g, texts in near_misses().items() for t in texts]
    with np.load(NONE_VECTORS, allow_pickle=False) as data:
        assert str(data["digest"]) == digest(chosen), "rebuild: bench/understand.py --write-negatives --write-vectors"
        assert data["groups"].tolist() == [group for group, _ in chosen]
