"""Where the images of a routed chat request go: as pixels to the cloud, or as their OCR text (the device
path). The policy: pixels go to the cloud only when no image is personal (no face, no document, no PII in
its text; a check that could not run counts as personal), the router sends this request to the cloud, and
that cloud can see. Otherwise the OCR text stands in for them, as on the device.

The router does not read images itself: the caller gives what the vision models found (``signs`` such
as ``"face"`` or ``"document"``, and the images' text) and how to attach the pixels to a request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from tandem.errors import ContextOverflow, ModelError, PolicyDenied
from tandem.models.base import Model
from tandem.models.fallback import FallbackModel
from tandem.models.rewrite import Rewritten
from tandem.router.hybrid import HybridModel, count_fallback
from tandem.types import ChatRequest, Message

__all__ = ["ImageRoute", "route_images"]

log = logging.getLogger("tandem.router")


@dataclass(frozen=True)
class ImageRoute:
    """Where the images of one chat request go."""

    target: Literal["cloud", "device"]
    reasons: tuple[str, ...]  # why, most decisive first ("image:face", "difficulty=0.31<0.50", ...)
    model: Model | None = None  # cloud: the privacy-guarded cloud model, with the reasons for its ledger
    request: ChatRequest | None = None  # cloud: the request the model answers (images attached by the model)

    def headers(self) -> dict[str, str]:
        return {"X-Tandem-Image-Route": "; ".join((self.target, *self.reasons))}


def _personal(model: HybridModel, signs: Iterable[str], text: str) -> tuple[str, ...]:
    """Why the images are personal data: a face, a document, PII in their text (fail closed)."""
    found = sorted({f"image:{s}" for s in signs})
    if text:
        facts = model.facts(ChatRequest(messages=(Message("user", text),)))
        if not facts.detection_ok:
            found.append(f"fail-closed:{facts.not_checked}")
            count_fallback("image-detector-error")
            log.warning("image text could not be checked for PII: the images stay on the device")
        found += [f"image-text:{c.lower()}" for c in sorted(facts.categories)]
    return tuple(found)


def route_images(model: Model, chat: ChatRequest, *, images: int, signs: Iterable[str], text: str,
                 attach: Callable[[ChatRequest], ChatRequest]) -> ImageRoute | None:
    """The route of ``images`` images (their personal ``signs`` and OCR ``text``) for ``chat`` on a routed
    model (``tandem:auto`` ...); ``attach`` puts the pixels into a request. None when there are no images
    or the model does not route."""
    if not images or not isinstance(model, HybridModel):
        return None
    if model.cloud is None or model.mode == "device-only":
        return ImageRoute("device", ("cloud:not-configured" if model.cloud is None else "mode=device-only",))
    personal = _personal(model, signs, text)
    if personal:
        return ImageRoute("device", personal)
    decision = model.route(chat)
    if decision.target != "cloud":
        return ImageRoute("device", decision.reasons)
    if not model.cloud.info.capabilities.vision:
        return ImageRoute("device", ("cloud:no-vision",))
    reasons = (*decision.reasons, f"images={images}")
    # The cloud sees the pixels; should it fail, the device answers from the OCR text, as if it never went.
    seeing = Rewritten(model.cloud.routed("; ".join(("cloud", *reasons))), attach)
    return ImageRoute("cloud", reasons, FallbackModel([seeing, model.device], model_id=model.info.id,
                                                             catch=(ModelError, ContextOverflow, PolicyDenied)), chat)
