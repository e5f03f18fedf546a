"""The learned tier's judge on fixed small data: a capability a partner declares with a handful of examples
is chosen, a request next to a capability but declared by nobody is "none of these", out-of-scope groups a
capability covers are left out, and the judge is trained again exactly when the manifests change.

The sentences are embedded as bags of words (each word a fixed random vector), so what is tested is the
judge, not e5; the real e5 tier is exercised by tests/agent/test_open_partner.py and bench/understand.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from tandem.agent import learned
from tandem.agent.capabilities import capabilities
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import LearnedParser, SlotFiller, TemplateParser
from tandem.agent.understand_check import Band, CapabilityCheck, unsure
from tandem.forget import Recent, erasures
from tandem.models.base import ModelInfo
from tandem.types import Capabilities, ChatChunk, ChatRequest, Usage


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
NOW = dt.datetime(2026, 11, 29, 15, 0)
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


def test_a_cached_judge_is_used_without_embedding_or_comparing_the_examples(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "home" / "cache" / "capability-vectors.npz"
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})
    LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives).classify("hi")
    monkeypatch.setattr(learned, "_JUDGES", {})  # a new process
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives)
    monkeypatch.setattr(tier, "_training_data", lambda: pytest.fail("training data computed for a cached judge"))
    assert tier.classify("book a taxi to the airport").intent == "book_taxi" and tier.judge_source == "cache"
    assert tier._matrix is None and tier._examples is None  # the example vectors were not even read


def test_a_judge_another_tier_of_the_process_trained_is_kept_in_its_cache(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A tier that finds its judge in the process (another tier with the same examples trained it, e.g. the assistant
    beside the partner guard, or a trust level's tier) keeps it in its own cache too: its next start reads it instead
    of training again."""
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})
    first, second = tmp_path / "a" / "capability-vectors.npz", tmp_path / "b" / "capability-vectors.npz"
    LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=first, negatives=negatives).classify("hi")
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=second, negatives=negatives)
    assert tier.classify("book a taxi to the airport").intent == "book_taxi" and tier.judge_source == "process"
    monkeypatch.setattr(learned, "_JUDGES", {})  # a new process
    again = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=second, negatives=negatives)
    monkeypatch.setattr(again, "_training_data", lambda: pytest.fail("trained again: the judge was never kept"))
    assert again.classify("book a taxi to the airport").intent == "book_taxi" and again.judge_source == "cache"


def test_the_process_keeps_only_the_most_recent_sentence_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    recent: Recent[tuple[str, str], Any] = Recent(3)
    monkeypatch.setattr(learned, "_VECTORS", recent)
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=None)
    tier.classify("first")
    for said in ("second", "third", "fourth", "first"):  # "first" was used again: it stays, "second" goes
        tier._embed([said])
    tier._embed(["fifth"])
    assert len(recent) == 3
    assert recent.get(("BagOfWords", "second")) is None and recent.get(("BagOfWords", "first")) is not None
    assert recent.get(("BagOfWords", "fifth")) is not None
    assert not any(recent.get(("BagOfWords", t)) is not None for t in tier.texts)  # examples live in the tier


def test_a_torn_cache_is_trained_again_and_replaced_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "home" / "cache" / "capability-vectors.npz"
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})
    LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives).classify("hi")
    judge = cache.with_name("judge.npz")
    for path in (cache, judge):  # a crash or another process cut the files mid-write
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setattr(learned, "_JUDGES", {})
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives)
    assert tier.classify("book a taxi to the airport").intent == "book_taxi" and tier.judge_source == "trained"
    assert learned.Judge.load(judge, tier.judge.key) is not None  # written again, whole
    assert not list(cache.parent.glob("*.part"))  # no temporary file left behind


class JsonModel:
    """A device model stand-in answering every request with one fixed JSON object: what is tested is which
    parameters the slot filler asks it for, not the model's words."""

    def __init__(self, answer: str) -> None:
        self.answer, self.requests = answer, list[ChatRequest]()
        self.info = ModelInfo(id="device:json", location="device", capabilities=Capabilities(context_length=2048))

    def stream(self, request: ChatRequest, cancel: object = None) -> Iterator[ChatChunk]:
        self.requests.append(request)
        yield ChatChunk(text=self.answer, finish_reason="stop", usage=Usage(40, 8))


def test_the_device_model_is_asked_only_for_missing_required_parameters(tmp_path: Path) -> None:
    ride = _tool("ride", "book_taxi", ["book a taxi to {place}", "get me a cab to {place}", "I need a taxi to {place}"],
                 "place")
    ride["parameters"] = {"place": {"kind": "text", "required": True, "samples": ["the airport", "the station"]},
                          "vehicle": {"kind": "text", "samples": ["van", "limousine"]}}
    intents = capabilities([{"id": "test.taxi", "categories": ["mobility"], "tools": [ride]}])
    tier = LearnedTier(BagOfWords(), intents, negatives=_negatives(tmp_path / "none.npz", {"cancel": CANCELLING}))
    model = JsonModel('{"place": "the airport", "vehicle": "van"}')
    parser = LearnedParser(tier, intents, SlotFiller(model))  # type: ignore[arg-type]
    (asked,) = parser.parse("taxi please, the airport", NOW).intents
    (request,) = model.requests
    assert set((request.response_format.schema or {})["properties"]) == {"place"}  # the optional vehicle is not asked
    assert asked.name == "book_taxi" and asked.slots == {"place": "the airport"}
    model.requests.clear()
    parser.parse("book a taxi to the station", NOW)  # every required parameter said: no device call at all
    assert model.requests == []


def _taxi_parser(tmp_path: Path, model: Any, band: Band | None = None) -> LearnedParser:
    ride = _tool("ride", "book_taxi", ["book a taxi to {place}", "get me a cab to {place}", "I need a taxi to {place}"],
                 "place")
    intents = capabilities([{"id": "test.taxi", "categories": ["mobility"], "tools": [ride]}])
    tier = LearnedTier(BagOfWords(), intents, negatives=_negatives(tmp_path / "none.npz", {"cancel": CANCELLING}))
    return LearnedParser(tier, intents, SlotFiller(model), CapabilityCheck(model, intents, band) if band else None)


def test_a_parse_reports_only_the_device_calls_it_made(tmp_path: Path) -> None:
    parser = _taxi_parser(tmp_path, JsonModel('{"place": "the airport"}'))
    filled = parser.parse("taxi please, the airport", NOW)
    assert filled.usage == Usage(40, 8) and filled.model == "device:json"
    said = parser.parse("book a taxi to the station", NOW)  # every required parameter said: no device call
    assert said.usage is None and said.model is None


class HeldModel(JsonModel):
    """Answers a slot-filling request only when ``release`` is set (the device check's at once, "none"), so two
    parses overlap in a known order."""

    def __init__(self) -> None:
        super().__init__('{"place": "the airport"}')
        self.filling, self.release = threading.Event(), threading.Event()

    def stream(self, request: ChatRequest, cancel: object = None) -> Iterator[ChatChunk]:
        if "enum" in (request.response_format.schema or {}):
            yield ChatChunk(text='"none"', finish_reason="stop", usage=Usage(300, 2))
            return
        self.filling.set()
        assert self.release.wait(30)
        yield from super().stream(request, cancel)


def test_parses_at_once_do_not_report_each_others_device_check(tmp_path: Path) -> None:
    """Review of session 8, R17: the check's usage and a counter of checked clauses lived on the shared parser, so a
    parse that overlapped another's check reported that check (its tier and tokens) as its own."""
    model = HeldModel()
    unsure = Band(low=0.0, high=1.01, close=0.0, k=2, tie=0.0)  # every clause is unsure
    parser = _taxi_parser(tmp_path, model, unsure)
    parser.tier.classify("warm up")  # the judge is trained before the parses overlap
    found: list[Any] = []
    filling = threading.Thread(target=lambda: found.append(parser.parse("taxi please, the airport", NOW,
                                                                        check=False)))
    filling.start()
    try:
        assert model.filling.wait(30)  # the first parse waits for its device fill ...
        checked = parser.parse("hello there", NOW)  # ... while another is checked by the device model
    finally:
        model.release.set()
        filling.join(30)
    assert "check" in checked.tried and checked.usage == Usage(300, 2)
    (first,) = found
    assert first.tried == ("learned",) and first.usage == Usage(40, 8)


def test_a_near_miss_group_needs_a_closer_cover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tandem's near-miss groups (near_misses.toml) lie next to shipped capabilities on purpose: listing reminders
    must not cover cancelling them, a partner that declares cancelling does."""
    monkeypatch.setattr(learned, "COVERED", 0.5)  # a loose bar for public groups, so only the near bar decides
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING, learned.NEAR + "cancel": CANCELLING})
    vectors, groups = learned.none_vectors(negatives)
    listing = LearnedTier(BagOfWords(), capabilities([REMINDERS]), negatives=negatives)
    assert listing.covered(vectors, groups) == {"cancel"}  # the public group is left out, the near one is not
    assert listing.classify("delete all of my reminders").intent is None
    cancel = {"id": "test.cancel", "categories": ["office"], "tools": [
        _tool("cancel", "cancel_reminders", ["delete my reminder", "cancel all my reminders", "remove my reminders"])]}
    offered = LearnedTier(BagOfWords(), capabilities([REMINDERS, cancel]), negatives=negatives)
    assert offered.covered(vectors, groups) == {"cancel", learned.NEAR + "cancel"}
    assert offered.classify("cancel all my reminders please").intent == "cancel_reminders"


def test_near_misses_are_grouped_in_every_language() -> None:
    found = learned.near_misses()
    assert found and all(name.startswith((learned.NEAR, learned.OTHER)) and len(said) >= 9
                         for name, said in found.items())
    assert any(name.startswith(learned.OTHER) for name in found)  # the services no shipped partner offers
    _, groups = learned.none_vectors()
    assert set(found) <= set(groups)  # the shipped vectors were rebuilt with them


def test_the_vectors_of_past_requests_can_be_forgotten() -> None:
    """An erasure of the user's data empties the process's cache of request vectors (they are vectors of what the
    user said); the cache fills again from new requests."""
    recent: Recent[tuple[str, str], Any] = Recent(4)
    recent.put(("BagOfWords", "remind me to call Anna"), np.ones(3), erasures())
    recent.forget()
    assert len(recent) == 0 and recent.get(("BagOfWords", "remind me to call Anna")) is None
    recent.put(("BagOfWords", "hello"), np.ones(3), erasures())
    assert len(recent) == 1


def test_an_erasure_empties_the_request_vectors() -> None:
    from tandem.forget import forget_all

    learned._VECTORS.put(("BagOfWords", "remind me to call Anna"), np.ones(3), erasures())
    forget_all()
    assert learned._VECTORS.get(("BagOfWords", "remind me to call Anna")) is None


class Accented(BagOfWords):
    """Like e5, a sentence's language weighs in its vector as much as its words: German words are embedded as
    the English words they translate (a small dictionary), plus one fixed direction per language."""

    WORDS: ClassVar[dict[str, str]] = {
        "bestell": "book", "mir": "me", "ein": "a", "taxi": "taxi", "zum": "to", "flughafen": "airport",
        "bahnhof": "station", "ich": "i", "brauche": "need", "fahrt": "ride", "zur": "to", "arbeit": "work"}

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text, words in zip(texts, super().embed_query(
                [" ".join(self.WORDS.get(w, w) for w in re.findall(r"\w+", t.lower())) for t in texts]), strict=True):
            lang = "de" if re.search(r"[äöüß]|\b(?:ich|mir|ein|zum|zur|der|die|das|ist|es|wie)\b", text.lower()) \
                else "en"
            seed = int.from_bytes(hashlib.sha256(lang.encode()).digest()[:4], "little")
            total = np.array(words) + 2.0 * np.random.default_rng(seed).standard_normal(64) / 8
            out.append(list(total / np.linalg.norm(total)))
        return out


def test_a_request_in_a_language_the_examples_lack_is_not_taken_for_chat(tmp_path: Path) -> None:
    # The taxi partner writes English examples only; German sentences the judge saw are all chat. Each language's
    # held-out chat examples calibrate its "none of these", so a German request reaches the capability, and German
    # small talk that is no chat example stays chat.
    tier = LearnedTier(Accented(), capabilities([REMINDERS, TAXI]), negatives=None)
    assert tier.classify("bestell mir ein taxi zum flughafen").intent == "book_taxi"
    assert tier.classify("ich brauche eine fahrt zum bahnhof").intent == "book_taxi"
    for chat in ("wie geht es deiner familie", "was ist die hauptstadt von peru", "danke dir vielmals"):
        assert tier.classify(chat).intent is None, chat
    assert "de" in tier.judge.lift and "en" not in tier.judge.lift  # the examples are written in English
    path = tmp_path / "judge.npz"
    tier.judge.save(path)  # the lift is kept with the judge
    loaded = learned.Judge.load(path, tier.judge.key)
    assert loaded is not None and loaded.lift.keys() == tier.judge.lift.keys()
    assert all(np.array_equal(loaded.lift[lang], tier.judge.lift[lang]) for lang in loaded.lift)
    said = {"en": ["book a taxi to {place}"], "de": ["bestell mir ein taxi zum {place}"]}
    both = {**TAXI, "tools": [{**TAXI["tools"][0], "examples": said}]}  # type: ignore[index]
    lifted = LearnedTier(Accented(), capabilities([both]), negatives=None).judge.lift
    assert not lifted.get("de", np.zeros(1)).any()  # a capability with German examples is not lifted for German


def test_phrasings_are_learned_from_and_never_read_as_templates(tmp_path: Path) -> None:
    # A partner's phrasings are whole requests as users say them (values and all): the learned tier trains on them,
    # the fast tier never matches them (a template would read no parameter out of a literal sentence).
    said = "my flight lands at noon so I need a ride into town"
    taxi = {**TAXI, "tools": [{**TAXI["tools"][0], "phrasings": {"en": [said]}}]}  # type: ignore[index]
    intents = capabilities([REMINDERS, taxi])
    assert intents[-1].phrasings == {"en": (said,)}
    tier = LearnedTier(BagOfWords(), intents, negatives=None)
    assert tier.texts.count(said) == 1 and tier.labels[tier.texts.index(said)] == "book_taxi"
    assert not TemplateParser(intents).parse(said, NOW).matched
    merged = capabilities([taxi, {**taxi, "id": "other.taxi", "tools": [
        {**TAXI["tools"][0], "phrasings": {"en": ["get me into town"], "de": ["ich muss in die Stadt"]}}]}])  # type: ignore[index]
    assert merged[0].phrasings == {"en": (said, "get me into town"), "de": ("ich muss in die Stadt",)}


def test_a_sentence_is_several_requests_only_when_the_judge_is_sure_of_each_clause(tmp_path: Path) -> None:
    text = "remind me to buy milk and book a taxi to the airport"
    intents = capabilities([REMINDERS, TAXI])
    tier = LearnedTier(BagOfWords(), intents, negatives=None, several=0.0, lead=1.0)
    tier.threshold = 0.0  # the bag-of-words judge is not calibrated: every capability guess counts here
    assert [i.name for i in LearnedParser(tier, intents).parse(text, NOW).intents] == ["set_reminder", "book_taxi"]
    tier.several = 1.01  # no clause is that sure: one request, read from the whole sentence
    assert len(LearnedParser(tier, intents).parse(text, NOW).intents) == 1


def test_a_capability_counts_only_when_it_leads_none_of_these_by_the_tier_lead() -> None:
    # A ratio, not a higher threshold: 0.45 against 0.3 for "none" is a guess, not a request.
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=None, lead=2.0, plain_lead=2.0)
    tier.scores = lambda text: {"book_taxi": 0.45, "show_reminders": 0.25, learned.CHAT: 0.3}  # type: ignore[method-assign]
    assert tier.classify("a ride maybe").intent is None
    tier.lead = tier.plain_lead = 1.0
    assert tier.classify("a ride maybe").intent == "book_taxi"


def test_only_a_capability_with_phrasings_must_lead_none_of_these_by_the_tier_lead() -> None:
    # The lead was chosen for capabilities that carry whole requests as users say them; a partner learned from
    # templates alone keeps the old rule (more probable than "none"), one with phrasings still needs the lead.
    taxi = {**TAXI, "tools": [{**TAXI["tools"][0], "phrasings": {"en": ["I need a ride into town"]}}]}  # type: ignore[index]
    plain = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=None)
    natural = LearnedTier(BagOfWords(), capabilities([REMINDERS, taxi]), negatives=None)
    for tier in (plain, natural):
        tier.scores = lambda text: {"book_taxi": 0.5, "show_reminders": 0.2, learned.CHAT: 0.3}  # type: ignore[method-assign]
    assert plain.lead == natural.lead == learned.LEAD > 0.5 / 0.3 >= learned.PLAIN_LEAD
    assert plain.classify("a ride maybe").intent == "book_taxi"
    assert natural.classify("a ride maybe").intent is None
    # the device check reads the same rule: 0.5 is sure above a band up to 0.4, unless it is the lead's "none"
    scores, band = plain.scores("a ride maybe"), Band(0.2, 0.4, 0.0, 3, 0)
    assert unsure(scores, plain.threshold, band, plain.lead_of) == ()
    assert unsure(scores, natural.threshold, band, natural.lead_of) == ("book_taxi", "show_reminders")


def test_the_tier_and_the_device_check_say_none_by_one_rule() -> None:
    # Review Q1 (session 9): the rule lived in LearnedTier.classify and in understand_check.unsure, and they parted
    # where a capability ties "none" at a lead of 1: the tier took the task, the check saw "none". A band that doubts
    # every "none" and no capability shows the check's reading; the tier's is classify's.
    doubt_none = Band(low=0.0, high=0.0, close=0.0, k=3, tie=0.0)
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), negatives=None, lead=2.0, plain_lead=1.0)
    said = [{"book_taxi": 0.5, learned.CHAT: 0.5},  # a tie: "none", for both
            {"book_taxi": 0.45, "show_reminders": 0.25, learned.CHAT: 0.3},
            {"book_taxi": 0.3, "show_reminders": 0.3, learned.CHAT: 0.4},
            {"book_taxi": 0.25, "show_reminders": 0.05, learned.CHAT: 0.05},  # below the threshold
            {"book_taxi": 0.6, learned.CHAT: 0.35}]
    for scores in said:
        tier.scores = lambda text, scores=scores: scores  # type: ignore[method-assign]
        name = tier.classify("a ride maybe").intent
        assert name == tier.decide(scores) == learned.decided(scores, tier.threshold, tier.lead_of)
        assert (name is None) == bool(unsure(scores, tier.threshold, doubt_none, tier.lead_of)), scores
    assert [tier.decide(s) for s in said] == [None, "book_taxi", None, None, "book_taxi"]


def test_a_new_lead_reads_the_same_judge_and_a_new_threshold_trains_it_again(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The leads only read the judge's probabilities (review Q3, session 9: they were in its key, so trying a lead
    # retrained it); the threshold stays in the key, ``Judge.calibrate`` reads it.
    cache = tmp_path / "home" / "cache" / "capability-vectors.npz"
    negatives = _negatives(tmp_path / "none.npz", {"cancel": CANCELLING})

    def ready(**knobs: float) -> LearnedTier:
        monkeypatch.setattr(learned, "_JUDGES", {})  # as a new process would start
        tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, TAXI]), cache=cache, negatives=negatives, **knobs)
        tier.classify("book a taxi to the airport")
        return tier

    assert ready(lead=2.0).judge_source == "trained"
    assert ready(lead=3.0, plain_lead=1.0).judge_source == "cache"
    assert ready(lead=2.0, threshold=0.5).judge_source == "trained"


def test_sentences_held_out_are_not_learned_from() -> None:
    # The partner guard judges a sentence with a judge that never learned it (overreach_learned's folds).
    intents = capabilities([REMINDERS, TAXI])
    whole = LearnedTier(BagOfWords(), intents, negatives=None)
    chat = learned.chat_examples()["en"][0]
    ride = next(text for label, text in zip(whole.labels, whole.texts, strict=True) if label == "book_taxi")
    held = LearnedTier(BagOfWords(), intents, negatives=None,
                       held_out={(learned.CHAT, chat), ("book_taxi", ride), ("show_reminders", ride)})
    pairs = set(zip(held.labels, held.texts, strict=True))
    assert (learned.CHAT, chat) not in pairs and ("book_taxi", ride) not in pairs
    assert len(held.texts) == len(whole.texts) - 1 - whole.texts.count(chat)  # a pair no one learns changes nothing
    assert held._key() != whole._key()  # another judge, trained (and cached) on its own


class Counting(BagOfWords):
    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        return super().embed_query(texts)


def test_many_sentences_are_classified_as_one_by_one_with_their_vectors_found_at_once() -> None:
    embedder = Counting()
    tier = LearnedTier(embedder, capabilities([REMINDERS, TAXI]), negatives=None)
    tier.judge  # noqa: B018 -- trained first: it embeds the examples
    texts = [f"book a taxi to gate {i}" for i in range(100)] + tier.texts[:5] + ["book a taxi to gate 7"]
    before = embedder.calls
    many = tier.classify_many(texts)
    assert embedder.calls - before == 2  # 100 new sentences in two batches; the examples' vectors were known
    assert many == [tier.classify(text) for text in texts]


def test_a_parameter_is_spelled_with_the_samples_of_the_sentences_language() -> None:
    """A German example was spelled out with the English sample too ("erinner mich an das feed the cat"): the samples
    of one script are split by language where they can be told apart; a language without a sample of its own keeps
    them all."""
    tool = _tool("add", "set_reminder", ["remind me to {todo}"], "todo")
    tool["examples"] = {"en": ["remind me to {todo}"], "de": ["erinnere mich an {todo}"], "zh": ["提醒我{todo}"]}
    tool["parameters"] = {"todo": {"kind": "text", "required": True,
                                   "samples": ["feed the cat", "die Katze füttern", "喂猫"]}}
    (spec,) = capabilities([{"id": "test.own", "categories": ["office"], "tools": [tool]}])
    assert learned.spelled(spec, "de") == ["erinnere mich an die Katze füttern"]
    assert learned.spelled(spec, "en") == ["remind me to feed the cat"]
    assert learned.spelled(spec, "zh") == ["提醒我喂猫"]
    tool["parameters"]["todo"]["samples"] = ["Paddington", "Nosferatu"]  # type: ignore[index]
    (spec,) = capabilities([{"id": "test.own", "categories": ["office"], "tools": [tool]}])
    assert set(learned.spelled(spec, "de", limit=1)) <= {"erinnere mich an Paddington", "erinnere mich an Nosferatu"}


def test_a_long_turn_is_read_up_to_its_first_characters_and_an_example_whole() -> None:
    """A pasted 4,000-character turn took e5 8-10 s (walkthrough, session 13): the tier reads a request's first
    ``READ`` characters; what it learns from (an example) is never cut."""
    seen: list[str] = []

    class Recording(BagOfWords):
        def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
            seen.extend(texts)
            return super().embed_query(texts)

    long_example = "remind me to " + "buy milk and eggs " * 30
    docs = [{"id": "test.reminders", "categories": ["office"], "tools": [
        _tool("add", "set_reminder", ["remind me to {text}", long_example], "text")]}]
    tier = LearnedTier(Recording(), capabilities(docs), negatives=None)
    tier.classify("remind me to call Anna. " + "The weather was lovely today and we walked for hours. " * 80)
    assert any(len(text) > learned.READ for text in seen)  # the example, whole
    asked = [text for text in seen if text.startswith("remind me to call Anna")]
    assert asked and all(len(text) <= learned.READ for text in asked)


def test_an_english_request_needs_only_the_english_lead_over_none_of_these() -> None:
    # Snips, the public out-of-scope material, is English only: "none" draws English requests more than German ones
    # as close to the examples, so an English sentence's capability needs only LEADS["en"] (session 14).
    taxi = {**TAXI, "tools": [{**TAXI["tools"][0], "phrasings": {"en": ["I need a ride into town"]}}]}  # type: ignore[index]
    tier = LearnedTier(BagOfWords(), capabilities([REMINDERS, taxi]), negatives=None)
    tier.scores = lambda text: {"book_taxi": 0.75, "show_reminders": 0.1, learned.CHAT: 0.15}  # type: ignore[method-assign]
    assert learned.LEADS["en"] * 0.15 <= 0.75 < learned.LEAD * 0.15
    assert tier.classify("I need a cab to the station please").intent == "book_taxi"
    assert tier.classify("Ich brauche bitte ein Taxi zum Bahnhof").intent is None
