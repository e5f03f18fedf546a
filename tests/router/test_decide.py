"""``decide`` as a table: every rule, and the fail-closed cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tandem.privacy.policy import Verdict
from tandem.router.decide import RouteInput, decide
from tandem.types import Capabilities

DEVICE = Capabilities(context_length=4096, vision=False)
CLOUD = Capabilities(context_length=131072, vision=True)
OK = Verdict(True, ("policy:pseudonymised",), "GDPR Art. 6(1)(b)")
BASE = RouteInput(device=DEVICE, cloud=CLOUD, verdict=OK, prompt_tokens=300, difficulty=0.2)


@pytest.mark.parametrize(("change", "target", "first_reason", "fallback"), [
    ({}, "device", "difficulty=0.20<0.50", "cloud"),
    ({"difficulty": 0.8}, "cloud", "difficulty=0.80>=0.50", "device"),
    ({"difficulty": 0.8, "mode": "device-only"}, "device", "mode=device-only", None),
    ({"mode": "cloud-allowed"}, "cloud", "mode=cloud-allowed", "device"),
    ({"difficulty": 0.9, "categories": frozenset({"HEALTH"})}, "device", "sensitive:health", None),
    ({"difficulty": 0.9, "detection_ok": False}, "device", "fail-closed:detector-error", None),
    ({"difficulty": 0.9, "verdict": Verdict(False, ("policy:sg-outside-adequacy",))}, "device",
     "policy:sg-outside-adequacy", None),
    ({"difficulty": 0.9, "verdict": None}, "device", "cloud:not-configured", None),
    ({"difficulty": 0.9, "cloud_reachable": False}, "device", "cloud:unreachable", None),
    ({"difficulty": 0.9, "budget_left": 0.001, "cost": 0.01}, "device", "budget:exhausted", None),
    ({"prompt_tokens": 9000}, "cloud", "device:context<9000", None),
    ({"needs_vision": True}, "cloud", "device:no-vision", None),
    ({"prompt_tokens": 9000, "mode": "device-only"}, "refuse", "mode=device-only", None),
    ({"prompt_tokens": 9000, "detection_ok": False}, "refuse", "fail-closed:detector-error", None),
    ({"prompt_tokens": 200000}, "refuse", "device:context<200000", None),
    ({"difficulty": 0.9, "cloud": Capabilities(context_length=128, vision=True)}, "device", "cloud:context<300", None),
    ({"needs_tools": True, "cloud": Capabilities(context_length=131072, tools=False)}, "device", "cloud:no-tools",
     None),
    ({"device": None}, "cloud", "device:none", None),
    ({"device": None, "mode": "device-only"}, "refuse", "mode=device-only", None),
    ({"needs_vision": True, "cloud": Capabilities(context_length=131072, vision=False)}, "refuse",
     "device:no-vision", None),
])
def test_rules(change: dict[str, object], target: str, first_reason: str, fallback: str | None) -> None:
    decision = decide(replace(BASE, **change))  # type: ignore[arg-type]
    assert decision.target == target
    assert decision.reasons[0] == first_reason
    assert decision.fallback == fallback


def test_header_lists_target_reasons_and_fallback() -> None:
    header = decide(replace(BASE, difficulty=0.81)).header()
    assert header == "cloud; difficulty=0.81>=0.50; fallback=device"


def test_every_decision_says_why_and_names_what_it_chose() -> None:
    """Every path of ``decide`` gives a reason, and the reasons hold the decisive fact: the rule that chose the
    target, what made the other side impossible, and the fallback only where one is allowed."""
    cases = {
        "cloud": [{"difficulty": 0.8}, {"mode": "cloud-allowed"}, {"device": None}],
        "device": [{}, {"mode": "device-only"}, {"verdict": None}, {"categories": frozenset({"FINANCE"})}],
        "refuse": [{"device": None, "verdict": None}],
    }
    for target, changes in cases.items():
        for change in changes:
            decision = decide(replace(BASE, **change))  # type: ignore[arg-type]
            assert decision.target == target, change
            assert decision.reasons and all(decision.reasons), change
            assert decision.header().startswith(f"{target}; {decision.reasons[0]}")


def test_a_refusal_without_a_stated_reason_still_keeps_the_request_on_the_device() -> None:
    """A policy verdict that forbids the cloud but names no reason (a policy written elsewhere, a future rule) must
    not read as 'nothing blocks the cloud': the request stays on the device, and the reason says the policy."""
    for mode in ("auto", "cloud-allowed"):
        decision = decide(replace(BASE, mode=mode, difficulty=1.0, verdict=Verdict(False, ())))  # type: ignore[arg-type]
        assert decision.target == "device" and decision.fallback is None
        assert decision.reasons == ("policy:denied",)


def test_policy_block_wins_over_everything_that_prefers_the_cloud() -> None:
    blocked = Verdict(False, ("policy:cn-data-stays-in-cn",))
    for mode in ("auto", "cloud-allowed"):
        decision = decide(replace(BASE, mode=mode, difficulty=1.0, verdict=blocked))  # type: ignore[arg-type]
        assert decision.target == "device" and decision.fallback is None
