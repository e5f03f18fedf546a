"""Puts routing into a model registry: every configured cloud endpoint as a private ``cloud:<name>``
model, and ``tandem:auto`` / ``tandem:device-only`` / ``tandem:cloud-allowed`` over the device model.

There is no unguarded cloud model: the only way to a cloud endpoint from the API is through
``PrivateCloud`` (pseudonymisation, policy, ledger).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tandem.errors import ModelNotFound, NotFound
from tandem.models.base import Model, complete
from tandem.models.catalog import resolve_id
from tandem.models.endpoints import CloudEndpoint, load_endpoints
from tandem.models.openai_compat import OpenAICompatModel
from tandem.models.registry import ModelRegistry
from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.detect import CompositeDetector, Detector, Remembered
from tandem.privacy.failclosed import DigitRuns
from tandem.privacy.ledger import Ledger
from tandem.privacy.names import CaseBlind, NameDetector, NameNeighbours, ProperNounDetector
from tandem.privacy.ner import LlmDetector, SpacyDetector
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.pseudonymize import warm
from tandem.privacy.scripts import UnreadScripts
from tandem.privacy.settings import PrivacySettings, load_privacy
from tandem.privacy.things import ThingNames
from tandem.router.decide import MODES
from tandem.router.difficulty import load_estimator
from tandem.router.guard import CloudSite, PrivateCloud
from tandem.router.hybrid import CloudHealth, HybridModel
from tandem.types import ChatChunk, ChatRequest, Message, ResponseFormat

__all__ = ["DeferredModel", "Routing", "device_asker", "egress_detector", "fast_detector", "register_routing"]


def fast_detector(region: str, things: ThingNames | None = None) -> CompositeDetector:
    """Patterns, spaCy and the name lists: milliseconds, used for every routing decision. ``things``: what the
    user's partners offer, whose names are no one's ("Pizza Margherita"); the egress detector over it keeps them."""
    regions = tuple(dict.fromkeys((region, "DE", "CN", "US", "GB")))
    # CaseBlind returns the patterns' findings on the text itself too: a second PatternDetector beside it
    # ran every pattern twice on each text (a quarter of the egress check outside spaCy).
    return CompositeDetector([CaseBlind(PatternDetector(regions=regions), keep=frozenset({"ADDRESS"})),
                              SpacyDetector(), NameDetector(), ChineseDetector()], things)


def egress_detector(fast: Detector, llm: Detector | None = None) -> CompositeDetector:
    """What runs right before a cloud call: the fast detector, the unknown-proper-noun, unread-script and number
    safety nets, names grown over their neighbours and, if enabled, the on-device LLM."""
    return CompositeDetector([fast, CaseBlind(ProperNounDetector()), UnreadScripts(), DigitRuns(), NameNeighbours(),
                              *([llm] if llm else [])])


def device_asker(device: Model) -> Callable[[str, dict[str, Any]], str]:
    """``ask(prompt, schema)`` on the device model, for the LLM detector (JSON-schema constrained)."""
    def ask(prompt: str, schema: dict[str, Any]) -> str:
        request = ChatRequest(messages=(Message("user", prompt),), temperature=0.0, max_tokens=128,
                              response_format=ResponseFormat("json_schema", schema))
        return complete(device, request).message.content or ""

    return ask


@dataclass(frozen=True)
class Routing:
    """What ``register_routing`` added."""

    ledger: Ledger  # the egress ledger all cloud models write to
    cloud_ids: tuple[str, ...]  # cloud:<name> for each endpoint
    hybrid_ids: tuple[str, ...]  # tandem:auto and its siblings
    # reads a message of each language through the egress detector (without the LLM), so the models it loads on
    # first use are loaded; ``tandem serve`` runs it in a background thread at start (``pseudonymize.warm``)
    warm: Callable[[], None]


class DeferredModel:
    """A registry model that loads on first use, so registering routes does not load weights. Unknown ids
    fail here, at registration."""

    def __init__(self, registry: ModelRegistry, model_id: str) -> None:
        model_id = resolve_id(registry.catalog, model_id)  # an old alias names the same model
        infos = [i for i in registry.infos() if i.id == model_id]
        if not infos:
            raise ModelNotFound(f"unknown device model {model_id!r}", hint="see `tandem models`")
        self.registry, self.info = registry, infos[0]

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self.registry.get(self.info.id).stream(request, cancel)


def _device_id(registry: ModelRegistry, wanted: str | None) -> str:
    if wanted:
        return wanted
    default = registry.settings.default_model
    if default.startswith("device:"):
        return default
    devices = [i.id for i in registry.infos() if i.location == "device" and i.id.startswith("device:")]
    if not devices:
        raise NotFound("no on-device model is configured", hint="see `tandem models`")
    return devices[0]


def _primary(endpoints: list[CloudEndpoint], privacy: PrivacySettings) -> CloudEndpoint | None:
    wanted = privacy.router.endpoint
    chosen = [e for e in endpoints if e.name == wanted] if wanted else endpoints[:1]
    return chosen[0] if chosen else None


def _month_start() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def register_routing(registry: ModelRegistry, device_id: str | None = None, *, ledger: Ledger | None = None,
                     detector: Detector | None = None, things: ThingNames | None = None) -> Routing:
    """Register the private cloud models and the hybrid models. The device model loads on first use. ``things``:
    the names of what the user's partners offer (``fast_detector``)."""
    settings = registry.settings
    privacy = load_privacy(settings.home)
    ledger = ledger or Ledger.at_home(settings.home)
    device = DeferredModel(registry, _device_id(registry, device_id))
    fast = detector or fast_detector(settings.region, things)
    # Each turn sends the whole conversation: the earlier messages' findings are remembered, not redone.
    deep = Remembered(egress_detector(fast, LlmDetector(device_asker(device)) if privacy.router.llm_ner else None))

    def consent() -> Any:
        return load_privacy(settings.home).consent

    guards: dict[str, PrivateCloud] = {}
    endpoints = load_endpoints(settings.home, settings.region)
    for endpoint in endpoints:
        model = OpenAICompatModel(endpoint)
        site = CloudSite(model.url, endpoint.region, endpoint.model, endpoint.cost_per_1k_tokens)
        guards[endpoint.name] = PrivateCloud(model, site, deep, ledger, user_region=settings.region, consent=consent)
        registry.register(guards[endpoint.name])
    primary = _primary(endpoints, privacy)
    cloud = guards[primary.name] if primary else None
    budget = privacy.router.monthly_budget

    def budget_left() -> float | None:
        return budget - ledger.spent_since(_month_start()) if budget > 0 else None

    health = CloudHealth(privacy.router.cooldown)
    routing = Remembered(fast)
    for mode in MODES:
        registry.register(HybridModel(
            device, cloud, routing, estimator=load_estimator(), mode=mode, model_id=f"tandem:{mode}",
            user_region=settings.region, consent=consent, threshold=privacy.router.threshold, health=health,
            budget_left=budget_left))
    return Routing(ledger, tuple(e.id for e in endpoints), tuple(f"tandem:{m}" for m in MODES),
                   functools.partial(warm, egress_detector(fast), settings.region))
