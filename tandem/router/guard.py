"""``PrivateCloud``: a cloud Model behind the privacy engine. It is itself a Model, so it composes.

Every call: detect PII in everything the request would send → check the policy for this endpoint →
replace identifiers with placeholders → write the ledger row (hash and size of the exact bytes) → send →
restore placeholders in streamed text and tool-call arguments → complete the ledger row.

Fail closed: if detection, the policy, pseudonymisation or the ledger raises, the call is refused with
``PolicyDenied`` before a single byte is sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from tandem.errors import PolicyDenied, TandemError
from tandem.models.base import Model, ModelInfo
from tandem.observe import count
from tandem.privacy.detect import Detector
from tandem.privacy.ledger import EgressRecord, Ledger
from tandem.privacy.policy import Consent, Verdict, evaluate
from tandem.privacy.pseudonymize import Redaction, StreamRestorer, Vault, analyse, redact, restore_value
from tandem.privacy.structured import TooLarge
from tandem.types import ChatChunk, ChatRequest, ToolCall

__all__ = ["CloudSite", "PrivateCloud"]

log = logging.getLogger("tandem.router")


@dataclass(frozen=True)
class CloudSite:
    """Where a cloud model sends data, as the policy and the ledger need it."""

    url: str  # the endpoint URL, recorded in the ledger
    region: str  # ISO code of where it processes data
    model: str  # the model name at the endpoint
    cost_per_1k_tokens: float = 0.0  # price, for the ledger's spend and the budget


def _payload(model: Model, request: ChatRequest) -> bytes:
    encode: Callable[[ChatRequest], bytes] | None = getattr(model, "encode", None)
    if encode is not None:
        return encode(request)
    return json.dumps(asdict(request), ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


class PrivateCloud:
    """Wraps a cloud model; see the module docstring. ``consent`` is read per call, so a change the user
    makes takes effect on the next request."""

    def __init__(self, inner: Model, site: CloudSite, detector: Detector, ledger: Ledger, *, user_region: str,
                 consent: Callable[[], Consent] = Consent, purpose: str = "chat completion") -> None:
        self.inner, self.site, self.detector, self.ledger = inner, site, detector, ledger
        self.user_region, self.consent, self.purpose = user_region, consent, purpose
        self.info = ModelInfo(id=inner.info.id, location="cloud", capabilities=inner.info.capabilities,
                              owned_by=inner.info.owned_by)

    def prepare(self, request: ChatRequest) -> tuple[Redaction, Vault, Verdict]:
        """Everything that must succeed before sending; any failure here means nothing is sent."""
        try:
            analysis = analyse(request, self.detector)
            verdict = evaluate(self.user_region, self.site.region, analysis.categories, self.consent())
            vault = Vault()
            redaction = redact(request, analysis, vault) if verdict.allowed else None
        except TooLarge as exc:
            count("router_fallbacks", "egress-too-large")
            log.warning("egress check refused a record too large to read: nothing sent to %s", self.site.url,
                        extra={"event": "router_fail_closed", "reason": "egress-too-large", "detail": str(exc)})
            raise
        except PolicyDenied:
            raise
        except Exception as exc:  # includes a detector model's own errors (e.g. its context is too small)
            count("router_fallbacks", "egress-check-error")
            log.warning("egress check failed (%s): nothing sent to %s", type(exc).__name__, self.site.url,
                        exc_info=True, extra={"event": "router_fail_closed", "reason": "egress-check-error"})
            raise PolicyDenied(f"privacy check failed ({type(exc).__name__}); the request stays on the device",
                               hint="the cloud is used only when PII detection works") from exc
        if redaction is None:
            raise PolicyDenied(f"policy forbids sending this request to {self.site.url}: {', '.join(verdict.reasons)}")
        return redaction, vault, verdict

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self.send(request, cancel, reasons=f"model={self.info.id}")

    def routed(self, reasons: str) -> Model:
        """This model, with the router's reasons to record in the ledger."""
        return _Routed(self, reasons)

    def send(self, request: ChatRequest, cancel: threading.Event | None, reasons: str) -> Iterator[ChatChunk]:
        redaction, vault, verdict = self.prepare(request)
        payload = _payload(self.inner, redaction.request)
        row = self.ledger.record(EgressRecord(
            endpoint=self.site.url, region=self.site.region, model=self.site.model, purpose=self.purpose,
            legal_basis=verdict.legal_basis, payload_sha256=hashlib.sha256(payload).hexdigest(),
            payload_bytes=len(payload), categories=tuple(sorted(redaction.categories)), route_reasons=reasons))
        tokens = 0
        try:
            for chunk in _restored(self.inner.stream(redaction.request, cancel), vault):
                tokens = chunk.usage.total_tokens if chunk.usage else tokens
                yield chunk
        except TandemError as exc:
            self.ledger.finish(row, f"error:{type(exc).__name__}")
            raise
        except GeneratorExit:
            self.ledger.finish(row, "cancelled")
            raise
        self.ledger.finish(row, "ok", tokens / 1000 * self.site.cost_per_1k_tokens)


class _Routed:
    def __init__(self, cloud: PrivateCloud, reasons: str) -> None:
        self.cloud, self.reasons, self.info = cloud, reasons, cloud.info

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self.cloud.send(request, cancel, self.reasons)


def _restored(chunks: Iterator[ChatChunk], vault: Vault) -> Iterator[ChatChunk]:
    restorer = StreamRestorer(vault)
    for chunk in chunks:
        text = restorer.feed(chunk.text)
        if chunk.finish_reason is not None:
            text += restorer.flush()
        calls = tuple(ToolCall(c.id, c.name, restore_value(c.arguments, vault)) for c in chunk.tool_calls)
        if text or calls or chunk.finish_reason is not None or chunk.usage is not None:
            yield ChatChunk(text=text, tool_calls=calls, finish_reason=chunk.finish_reason, usage=chunk.usage)
