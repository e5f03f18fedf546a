"""The device check (tandem/agent/understand_check.py): where the learned tier is unsure, the device model picks
among its likeliest capabilities or none; where it is sure, the model is not asked. One test loads the real
Qwen2.5-0.5B (the other tests need no model)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import Understander
from tandem.agent.understand_check import Band, lead_over_none, unsure
from tandem.models.registry import ModelRegistry
from tandem.types import TokenLogprob

NOW = dt.datetime(2026, 11, 29, 15, 0)
BAND = Band(low=0.1, high=0.5, close=0.15, k=2, tie=0.5)


def test_only_an_unsure_learned_tier_asks_the_device_model() -> None:
    threshold = 0.31
    assert unsure({"chat": 0.95, "order_food": 0.03, "take_note": 0.02}, threshold, BAND) == ()  # clearly chat
    assert unsure({"chat": 0.05, "order_food": 0.9, "take_note": 0.05}, threshold, BAND) == ()  # clearly food
    assert unsure({"chat": 0.6, "order_food": 0.3, "take_note": 0.1}, threshold, BAND) == ("order_food", "take_note")
    assert unsure({"chat": 0.1, "order_food": 0.45, "take_note": 0.45}, threshold, BAND) == ("order_food",
                                                                                             "take_note")
    # short of the tier's lead over "chat" is its "none": unsure when the best capability is in the band
    assert unsure({"chat": 0.35, "order_food": 0.65}, threshold, Band(0.2, 0.6, 0.0, 3, 0)) == ()
    assert unsure({"chat": 0.35, "order_food": 0.65}, threshold, Band(0.2, 0.6, 0.0, 3, 0), 2.0) == ("order_food",)
    assert unsure({"chat": 0.3, "order_food": 0.65, "take_note": 0.05}, threshold, Band(0.1, 0.7, 0.1, 3, 0)) == (
        "order_food", "take_note")


def _entry(token: str, logprob: float, *top: tuple[str, float]) -> TokenLogprob:
    return TokenLogprob(token=token, logprob=logprob, bytes=tuple(token.encode()),
                        top=tuple(TokenLogprob(token=t, logprob=p, bytes=tuple(t.encode())) for t, p in top))


def test_none_wins_a_tie() -> None:
    quote = _entry('"', 0.0, ('"', 0.0))
    clear = [quote, _entry("order", math.log(0.8), ("order", math.log(0.8)), ("none", math.log(0.1)))]
    close = [quote, _entry("order", math.log(0.45), ("order", math.log(0.45)), ("no", math.log(0.3)),
                           ("none", math.log(0.15)))]
    forced = [quote, _entry("order", math.log(0.01), ("hello", math.log(0.5)), ("yes", math.log(0.2)))]
    assert lead_over_none(clear) == pytest.approx(math.log(8))
    assert lead_over_none(close) == pytest.approx(0.0, abs=1e-6)  # "no" + "none" together are as likely
    assert lead_over_none(forced) < 0  # the grammar forced a name the model did not want: none
    assert lead_over_none([quote]) == -math.inf


@pytest.mark.xfail(strict=True, reason=(
    "since session 12's six follow-up capabilities the check's system prompt lists 16 capabilities and the real 0.5B's "
    "'none' leads: '2x Dune 20 Uhr' leads 'none' by 0.0 nats (1.23 with the 10 earlier capabilities listed; the band "
    "asks 1.0), 'Buy two cinema tickets for Dune tonight' by 0.24 (1.83). The learned tier is unchanged (unsure). "
    "The check is off by default (BAND.low 1.01). Session 13, und4; /tmp/und4/check2.py"))
def test_the_real_small_model_turns_an_unsure_request_into_its_task_and_a_question_into_none(
        small_registry: ModelRegistry, tmp_path: Path) -> None:
    from tandem.models.embeddings import E5Embedder

    tier = LearnedTier(E5Embedder(), shipped(), cache=tmp_path / "vectors.npz")
    # The shipped band was chosen for the default 1.5B and only lets it confirm or veto an unsure capability; this
    # band also lets the model turn an unsure "none" into a task, when it leads "none" by 1 nat.
    band = Band(low=0.2, high=0.6, close=0.0, k=3, tie=1.0)
    understander = Understander(learned=tier, device=small_registry.get("device:qwen2.5-0.5b"), check=band)
    alone = Understander(learned=tier)
    request = "2x Dune 20 Uhr"  # terse: the learned tier alone says none
    question = "is the new Bond film any good"
    for text in (request, question):  # both lie in the unsure band: the learned tier says none to both
        assert not alone.understand(text, NOW).matched and unsure(tier.scores(text), tier.threshold, band)
    found = understander.understand(request, NOW)
    assert [i.name for i in found.intents] == ["buy_movie_tickets"] and "check" in found.tried
    asked = understander.understand(question, NOW)
    assert not asked.matched and "check" in asked.tried
    hello = understander.understand("hi", NOW)  # the learned tier is sure: the model is not asked
    assert not hello.matched and "check" not in hello.tried
