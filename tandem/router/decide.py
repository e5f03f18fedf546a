"""``decide(route_input) -> Decision``: device or cloud for one request. Pure and fast (no I/O, no model).

Everything slow — PII detection, the policy verdict, the difficulty estimate — is computed before and
passed in, so the decision itself is a handful of comparisons that can be tested exhaustively and
explained: every decision carries the reasons that produced it.

Modes, per request:

- ``device-only``: never the cloud.
- ``auto``: the device unless the request is hard (difficulty estimate) or the device cannot serve it
  (context, vision, tools); requests touching health or finance stay on the device.
- ``cloud-allowed``: the cloud whenever policy, consent and budget allow; the device otherwise.

The cloud is only ever permitted if detection ran, the policy allows the endpoint, it is reachable and
the budget covers it (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tandem.privacy.policy import Verdict
from tandem.types import Capabilities

__all__ = ["MODES", "Decision", "Mode", "RouteInput", "Target", "decide"]

Mode = Literal["device-only", "auto", "cloud-allowed"]
Target = Literal["device", "cloud", "refuse"]
MODES: tuple[Mode, ...] = ("device-only", "auto", "cloud-allowed")


@dataclass(frozen=True)
class RouteInput:
    """Facts about one request, gathered before deciding."""

    mode: Mode = "auto"
    categories: frozenset[str] = frozenset()  # PII categories found (identifiers and topics)
    detection_ok: bool = True  # False when the detector could not run: nothing may leave the device
    not_checked: str = "detector-error"  # why, when it could not: "detector-error", or "too-large" to check
    verdict: Verdict | None = None  # the policy on the cloud endpoint; None when no cloud is configured
    cloud_reachable: bool = True  # connectivity and the endpoint's recent health
    device: Capabilities | None = None  # None when no device model is available
    cloud: Capabilities | None = None
    prompt_tokens: int = 0  # estimated size of the prompt plus the answer budget
    needs_vision: bool = False
    needs_tools: bool = False
    difficulty: float = 0.0  # 0..1 estimate that the device model would answer badly
    threshold: float = 0.5  # difficulty at and above which `auto` prefers the cloud
    budget_left: float | None = None  # remaining cloud budget; None: unlimited
    cost: float = 0.0  # estimated cost of this request in the cloud


@dataclass(frozen=True)
class Decision:
    """Where a request goes and why."""

    target: Target  # device, cloud, or refuse (neither may serve it)
    reasons: tuple[str, ...]  # machine-readable reasons, most decisive first
    fallback: Literal["device", "cloud"] | None = None  # where to go if the target fails

    def header(self) -> str:
        """The ``X-Tandem-Route`` header value, e.g. ``cloud; difficulty=0.81>=0.50; fallback=device``."""
        parts = [self.target, *self.reasons] + ([f"fallback={self.fallback}"] if self.fallback else [])
        return "; ".join(parts)


_SENSITIVE = frozenset({"HEALTH", "FINANCE"})


def _misfit(caps: Capabilities | None, route: RouteInput, where: str) -> str | None:
    if caps is None:
        return f"{where}:none"
    if route.prompt_tokens > caps.context_length:
        return f"{where}:context<{route.prompt_tokens}"
    if route.needs_vision and not caps.vision:
        return f"{where}:no-vision"
    if route.needs_tools and not caps.tools:
        return f"{where}:no-tools"
    return None


def _cloud_blocked(route: RouteInput) -> str | None:
    if route.mode == "device-only":
        return "mode=device-only"
    if route.verdict is None or route.cloud is None:
        return "cloud:not-configured"
    if not route.detection_ok:
        return f"fail-closed:{route.not_checked}"
    if not route.verdict.allowed:  # a verdict naming no reason still blocks (an empty string would not)
        return ",".join(route.verdict.reasons) or "policy:denied"
    if not route.cloud_reachable:
        return "cloud:unreachable"
    if route.budget_left is not None and route.cost > route.budget_left:
        return "budget:exhausted"
    return None


def decide(route: RouteInput) -> Decision:
    """Device or cloud for one request; see the module docstring for the rules."""
    blocked = _cloud_blocked(route)
    device_misfit = _misfit(route.device, route, "device")
    if blocked:
        if device_misfit:
            return Decision("refuse", (blocked, device_misfit))
        return Decision("device", (blocked,))
    cloud_misfit = _misfit(route.cloud, route, "cloud")
    if device_misfit:
        if cloud_misfit:
            return Decision("refuse", (device_misfit, cloud_misfit))
        return Decision("cloud", (device_misfit,))
    if cloud_misfit:
        return Decision("device", (cloud_misfit,))
    if route.mode == "cloud-allowed":
        return Decision("cloud", ("mode=cloud-allowed",), fallback="device")
    sensitive = sorted(route.categories & _SENSITIVE)
    if sensitive:
        return Decision("device", (f"sensitive:{'+'.join(sensitive).lower()}",))
    score = f"difficulty={route.difficulty:.2f}"
    if route.difficulty >= route.threshold:
        return Decision("cloud", (f"{score}>={route.threshold:.2f}",), fallback="device")
    return Decision("device", (f"{score}<{route.threshold:.2f}",), fallback="cloud")
