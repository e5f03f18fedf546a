"""``HybridModel``: the Model behind ``tandem:auto`` (and ``tandem:device-only`` / ``tandem:cloud-allowed``).

Per request it gathers the facts (PII categories, the policy verdict for the cloud endpoint, the
difficulty estimate, the endpoint's recent health), lets the pure ``decide`` choose, and streams from a
fallback chain built for that decision: cloud → device, or device → cloud when policy allows. The cloud
is always reached through ``PrivateCloud``, so a fallback can never skip pseudonymisation or the ledger.

The stream it returns carries the decision (``.decision``) and which model served (``.served_by``) so
the API can put them in the ``X-Tandem-Route`` header.

Every fail-closed decision (a detector or policy that could not run) and every fallback to another model
is logged on ``tandem.router`` and counted as ``router_fallbacks`` with its reason (``/metrics``:
``tandem_router_fallbacks_total{reason="detector-error"}``; a request too large to check is
``reason="egress-too-large"``, as ``PrivateCloud`` counts it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace

from tandem.errors import ContextOverflow, ModelError, PolicyDenied, TandemError
from tandem.models.base import Model, ModelInfo
from tandem.models.fallback import FallbackModel
from tandem.observe import count
from tandem.privacy.detect import Detector
from tandem.privacy.policy import Consent, Verdict, evaluate
from tandem.privacy.pseudonymize import analyse
from tandem.privacy.structured import TooLarge
from tandem.router.decide import Decision, Mode, RouteInput, decide
from tandem.router.difficulty import DifficultyEstimator
from tandem.router.guard import PrivateCloud
from tandem.types import ChatChunk, ChatRequest

__all__ = ["CloudHealth", "HybridModel", "RouteCapture", "RoutedStream", "count_fallback", "estimate_tokens"]

log = logging.getLogger("tandem.router")


def count_fallback(reason: str) -> None:
    """Count a fallback or fail-closed decision (``reason``: a fixed word, never request text)."""
    count("router_fallbacks", reason)


class CloudHealth:
    """A circuit breaker: after a cloud failure the cloud counts as unreachable for ``cooldown`` seconds,
    so the next requests go straight to the device instead of waiting for another timeout."""

    def __init__(self, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown, self._clock = cooldown, clock
        self._down_until = 0.0

    def reachable(self) -> bool:
        return self._clock() >= self._down_until

    def failed(self) -> None:
        self._down_until = self._clock() + self.cooldown

    def recovered(self) -> None:
        self._down_until = 0.0


def estimate_tokens(request: ChatRequest) -> int:
    """Prompt plus answer budget, roughly (3 characters a token errs on the large side)."""
    chars = sum(len(m.content or "") for m in request.messages)
    return chars // 3 + (request.max_tokens or 256)


class RoutedStream:
    """The chunks of one routed request, plus how it was routed."""

    def __init__(self, model: HybridModel, request: ChatRequest, cancel: threading.Event | None) -> None:
        self.decision: Decision | None = None
        self.served_by: str | None = None
        self.switches: list[str] = []
        self._inner = self._run(model, request, cancel)

    def __iter__(self) -> RoutedStream:
        return self

    def __next__(self) -> ChatChunk:
        return next(self._inner)

    def close(self) -> None:
        self._inner.close()

    def header(self) -> str:
        """``X-Tandem-Route``: the decision, its reasons, and any fallback that happened."""
        if self.decision is None:
            return ""
        extra = [f"served-by={self.served_by}"] + [f"switched:{s}" for s in self.switches]
        return "; ".join([self.decision.header(), *extra])

    def _run(self, model: HybridModel, request: ChatRequest,
             cancel: threading.Event | None) -> Generator[ChatChunk, None, None]:
        self.decision = model.route(request)
        chain = model.chain(self.decision)
        self.served_by = chain[0].info.id

        def switched(failed: Model, to: Model, error: TandemError) -> None:
            if failed.info.location == "cloud" and isinstance(error, ModelError):
                model.health.failed()
            reason = f"{failed.info.location}-{type(error).__name__}"
            count_fallback(reason)
            log.warning("%s failed (%s); %s continues", failed.info.id, type(error).__name__, to.info.id,
                        extra={"event": "router_fallback", "reason": reason})
            self.served_by = to.info.id
            self.switches.append(f"{failed.info.id}->{to.info.id}({type(error).__name__})")

        runner = chain[0] if len(chain) == 1 else FallbackModel(
            chain, catch=(ModelError, ContextOverflow, PolicyDenied), on_switch=switched)
        yield from runner.stream(request, cancel)


def _fail_closed(reason: str) -> None:
    count_fallback(reason)
    log.warning("routing: %s, nothing goes to the cloud for this request", reason, exc_info=True,
                extra={"event": "router_fail_closed", "reason": reason})


class HybridModel:
    """Routes each request to the device or the (private) cloud; see the module docstring."""

    def __init__(self, device: Model, cloud: PrivateCloud | None, detector: Detector, *,
                 estimator: DifficultyEstimator | None, mode: Mode = "auto", model_id: str = "tandem:auto",
                 user_region: str = "DE", consent: Callable[[], Consent] = Consent, threshold: float = 0.5,
                 health: CloudHealth | None = None, budget_left: Callable[[], float | None] = lambda: None) -> None:
        self.device, self.cloud, self.detector, self.estimator = device, cloud, detector, estimator
        self.mode, self.user_region, self.consent, self.threshold = mode, user_region, consent, threshold
        self.health, self.budget_left = health or CloudHealth(), budget_left
        caps = device.info.capabilities
        if cloud is not None and mode != "device-only":
            caps = replace(caps, context_length=max(caps.context_length, cloud.info.capabilities.context_length))
        self.info = ModelInfo(id=model_id, location="device", capabilities=caps)

    def facts(self, request: ChatRequest) -> RouteInput:
        """Everything ``decide`` needs. Any failure to detect or judge counts as "not for the cloud"."""
        detection_ok, categories, verdict, not_checked = True, frozenset[str](), None, "detector-error"
        if self.cloud is not None and self.mode != "device-only":
            # Fail closed: whatever breaks here, nothing goes to the cloud.
            try:
                categories = analyse(request, self.detector).categories
            except TooLarge:  # one event, one counter: as PrivateCloud counts it
                detection_ok, not_checked = False, "too-large"
                _fail_closed("egress-too-large")
            except Exception:
                detection_ok = False
                _fail_closed("detector-error")
            try:
                verdict = evaluate(self.user_region, self.cloud.site.region, categories, self.consent())
            except Exception:
                verdict = Verdict(False, ("fail-closed:policy-error",))
                _fail_closed("policy-error")
        difficulty = self.estimator.score(request) if self.estimator and self.mode == "auto" else 0.0
        tokens = estimate_tokens(request)
        price = self.cloud.site.cost_per_1k_tokens if self.cloud else 0.0
        return RouteInput(
            mode=self.mode, categories=categories, detection_ok=detection_ok, not_checked=not_checked, verdict=verdict,
            cloud_reachable=self.health.reachable(), device=self.device.info.capabilities,
            cloud=self.cloud.info.capabilities if self.cloud else None, prompt_tokens=tokens,
            needs_tools=bool(request.tools) and request.tool_choice != "none", difficulty=difficulty,
            threshold=self.threshold, budget_left=self.budget_left(), cost=tokens / 1000 * price)

    def route(self, request: ChatRequest) -> Decision:
        return decide(self.facts(request))

    def chain(self, decision: Decision) -> list[Model]:
        """The models to try, in order, for ``decision``."""
        if decision.target == "refuse":
            raise PolicyDenied(f"no permitted model can serve this request: {'; '.join(decision.reasons)}")
        cloud = self.cloud.routed(decision.header()) if self.cloud is not None else None
        first = cloud if decision.target == "cloud" else self.device
        chain: list[Model] = [first] if first is not None else []
        if decision.fallback == "device":
            chain.append(self.device)
        elif decision.fallback == "cloud" and cloud is not None:
            chain.append(cloud)
        return chain

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> RoutedStream:
        return RoutedStream(self, request, cancel)


class RouteCapture:
    """Wraps any model for one request and remembers the stream it returned, so a caller that only sees
    chunks (the API, ``complete``) can still report the route. For models that do not route, no header."""

    def __init__(self, model: Model) -> None:
        self.model, self.info = model, model.info
        self.last: Iterator[ChatChunk] | None = None

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        self.last = self.model.stream(request, cancel)
        return self.last

    def headers(self) -> dict[str, str]:
        """``X-Tandem-Route`` for a routed request (after its first chunk), else nothing."""
        header = self.last.header() if isinstance(self.last, RoutedStream) else ""
        return {"X-Tandem-Route": header} if header else {}
