"""The learned tier's judge on fixed small data: a capability a partner declares with a handful of examples
is chosen, a request next to a capability but declared by nobody is "none of these", out-of-scope groups a
capability covers are left out, and the judge is trained again exactly when the manifests change.

The sentences are embedded as bags of words (each word a fixed random vector), so what is tested is the
judge, not e5; the real e5 tier is exercised by tests/agent/test_open_partner.py and bench/understand.py."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tandem.agent import learned
from tandem.agent.capabilities import capabilities
from tandem.agent.learned import LearnedTier


class BagOfWords:
    """Each word (each character in Chinese) a fixed random vector; a sentence their normalised sum."""

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            total = np.zeros(64)
            for word in re.findall(r"[\u4e00-\u9fff]|\w+", text.lower()):
                seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "little")
                total += np.random.default_rng(seed).standard_normal(64)
            out.append(list(total / (np.linalg.norm(total) or 1.0)))
        return out


def _tool(name: str, intent: str, examples: list[str], parameter: str | None = None) -> dict[str, object]:
    tool: dict[str, object] = {"name": name, "intent": intent, "description": {"en": intent.replace("_", " ")},
                               "examples": {"en": examples}}
    if parameter:
        tool["parameters"] = {parameter: {"kind": "text", "required": True, "samples": ["the airport", "milk"]}}
    return tool


REMINDERS = {"id": "test.reminders", "categories": ["office"], "tools": [
    _tool("add", "set_reminder", ["remind me to {text}", "set a reminder to {text}", "don't let me forget {text}"],
          "text"),
    _tool("list", "show_reminders", ["show my reminders", "what are my reminders", "list all my reminders"])]}
TAXI = {"id": "test.taxi", "categories": ["mobility"], "tools": [
    _tool("ride", "book_taxi", ["book a taxi to {place}", "get me a cab to {place}", "I need a ride to {place}"],
          "place")]}
CANCELLING = ["delete my reminder", "cancel all my reminders", "remove the reminder about milk", "delete them",
              "delete every reminder", "cancel the reminder for tomorrow", "get rid of my reminders",
              "delete the reminders for today", "remove my reminders", "delete that one", "cancel it"]


def _negatives(path: Path, groups: dict[str, list[str]]) -> Path:
    """An out-of-scope vector file shaped like tandem/agent/none_vectors.npz."""
    texts = [(group, text) for group, said in groups.items() for text in said]
    vectors = np.array(BagOfWords().embed_query([t for _, t in texts]), dtype="float16")
    np.savez_compressed(path, vectors=vectors, groups=np.array([g for g, _ in texts]))
    return path


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "_JUDGES", {})  # every test trains (or loads) its own judges
    monkeypatch.setattr(learned, "SHIPPED_VECTORS", Path("/nonexistent"))


def test_a_capability_declared_with_a_handful_of_examples_is_chosen(tmp_path: Path) -> None:
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=_negatives(
        tmp_path / "none.npz", {"cancel": CANCELLING}))
    assert tier.classify("please book me a taxi to the station").intent == "book_taxi"
    assert tier.classify("could you show me my reminders").intent == "show_reminders"
    assert tier.classify("hello").intent is None


def test_a_near_miss_no_capability_declares_is_none(tmp_path: Path) -> None:
    intents = capabilities([REMINDERS, TAXI])
    said = "delete all of my reminders"
    without = LearnedTier(BagOfWords(), intents, negatives=None)
    assert without.classify(said).intent == "show_reminders"  # the neighbours alone take it for a listing
    tier = LearnedTier(BagOfWords(), intents, negatives=_negatives(tmp_path / "none.npz", {"cancel": CANCELLING}))
    assert tier.classify(said).intent is None
    assert tier.classify("list my reminders please").intent == "show_reminders"


def test_out_of_scope_groups_a_capability_covers_are_left_out(tmp_path: Path) -> None:
    rides = ["book a taxi to the airport", "get me a cab to the station", "I need a ride to the airport"]
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING, "rides": rides})
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=negatives)
    vectors, groups = learned.none_vectors(negatives)
    assert tier.covered(vectors, groups) == {"rides"}
    assert tier.classify("book a taxi to the airport please").intent == "book_taxi"
    assert LearnedTier(BagOfWords(), capabilities([REMINDERS]), negatives=negatives).covered(vectors, groups) == set()


def test_the_judge_is_trained_again_exactly_when_the_manifests_change(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "home" / "cache" / "capability-vectors.npz"
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})

    def ready(docs: list[dict[str, object]]) -> LearnedTier:
        monkeypatch.setattr(learned, "_JUDGES", {})  # as a new process would start
        tier = LearnedTier(BagOfWords(), capabilities(docs), cache=cache, negatives=negatives)
        tier.classify("book a taxi to the airport")
        return tier

    assert ready([REMINDERS]).judge_source == "trained"
    assert ready([REMINDERS]).judge_source == "cache"  # the next start loads it
    added = ready([REMINDERS, TAXI])  # a partner was added: its capability must be learned
    assert added.judge_source == "trained" and "book_taxi" in added.judge.labels
    assert added.classify("book a taxi to the airport").intent == "book_taxi"
    assert ready([REMINDERS, TAXI]).judge_source == "cache"
    assert ready([TAXI, REMINDERS]).judge_source == "cache"  # the same manifests in another order
    assert ready([REMINDERS]).judge_source == "trained"  # removed again: not the judge that knew the taxi


def test_a_torn_cache_is_trained_again_and_replaced_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "home" / "cache" / "capability-vectors.npz"
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})
    monkeypatch.setattr(learned, "_VECTORS", {})  # nothing embedded yet, so the vector cache is written
    LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives).classify("hi")
    judge = cache.with_name("judge.npz")
    for path in (cache, judge):  # a crash or another process cut the files mid-write
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setattr(learned, "_JUDGES", {})
    monkeypatch.setattr(learned, "_VECTORS", {})
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives)
    assert tier.classify("book a taxi to the airport").intent == "book_taxi" and tier.judge_source == "trained"
    assert learned.Judge.load(judge, tier.judge.key) is not None  # written again, whole
    assert not list(cache.parent.glob("*.part"))  # no temporary file left behind
