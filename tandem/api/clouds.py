"""Which model requests need no turn of the device: those naming a cloud model, read from the body before admission.

A chat completion, completion or response naming a cloud model (``cloud:<name>``, or a fallback chain of cloud models
only) is answered by the cloud: the device's model has no part in it, so it does not wait in the device's line
(``admission``, kind ``model``). It waits in a line of its own instead, kind ``cloud``, with the same bounds
(``max_running`` at once, ``max_waiting`` in line, ``line_bytes`` of bodies), its turn held for the whole answer: a
page on another origin cannot start more cloud calls, or more egress checks (they run on the device's cores), than
that. It stays in the device's line when any part of it still asks the device's model: the egress guard with the
on-device NER model (``llm_ner``), images (read by OCR first), a routed model (``tandem:auto``: its router decides per
request; it gives its turn back at the cloud's first chunk, ``streaming.CloudGivesBack``).

The name is read only when the body names a cloud model's id at all (a byte search); any other body waits in the
device's line, as before. A small body (at most 1 MiB and 10,000 values: a few ms of the loop, spent even when the
request is then refused) is parsed as the route will (``json.loads``), and the parse is handed on to the route when the
request runs at once: a request waiting in line keeps its raw body only (``line_bytes`` counts that). A larger one is
read without parsing it (``tandem.api.named``: its top-level ``model`` and any part typed as an image, at most
``named.QUOTES`` quotes, else it waits in the device's line); the route parses it, off the loop."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tandem.api.bodies import values
from tandem.api.named import named
from tandem.models.base import Model
from tandem.models.fallback import FallbackModel
from tandem.models.registry import ModelRegistry
from tandem.privacy.ner import LlmDetector

__all__ = ["NAMED", "cloud_reader", "device_free"]

# The routes whose body names the model that answers
NAMED = frozenset({"/v1/chat/completions", "/v1/completions", "/v1/responses"})
_DEPTH = 8  # detectors wrapped deeper than this are taken to ask the device (none is)
# The bodies read before admission, at most: parsed on the event loop even when the request is then refused (a line
# full), so a few ms at most (json.loads of 10,000 values or 1 MiB of text: ~1-7 ms on the 2-core box). A chat of
# long messages and a few tools holds far fewer values; a larger body waits in the device's line (reread26 M3).
_READ_BYTES = 1 << 20
_READ_VALUES = 10_000


def device_free(model: Model) -> bool:
    """Whether no part of ``model`` runs on the device's model: a cloud model whose egress check asks no device model,
    or a fallback chain of such models only."""
    if isinstance(model, FallbackModel):
        return all(device_free(part) for part in model.models)
    return model.info.location == "cloud" and not _asks_the_device(getattr(model, "detector", None), 0)


def _asks_the_device(detector: Any, depth: int) -> bool:
    """Whether ``detector`` (an egress guard's, with the wrappers it is built of) asks the device's model."""
    if detector is None:
        return False
    if isinstance(detector, LlmDetector) or depth > _DEPTH:
        return True
    parts = [getattr(detector, "inner", None), *getattr(detector, "detectors", ())]
    return any(_asks_the_device(part, depth + 1) for part in parts)


def cloud_reader(registry: ModelRegistry) -> Callable[[str, bytes], tuple[bool, Any]]:
    """``read(path, body)``: whether the request names a cloud model needing no device turn (``device_free``), and the
    parsed body when it was parsed (else ``None``: the route parses it). Which models those are is found when it is
    made (after the routing is registered) and again only when other models are registered: ``registry.get`` waits
    for a device model that is loading, which would hold the event loop."""
    found: dict[frozenset[str], set[str]] = {}

    def clouds() -> set[str]:
        names = frozenset(registry.loaded()) - frozenset(registry.catalog)  # registered ones: none of them loads
        if names not in found:
            found.clear()
            found[names] = {name for name in names if device_free(registry.get(name))}
        return found[names]

    def read(path: str, body: bytes) -> tuple[bool, Any]:
        if path not in NAMED:
            return False, None
        names = clouds()
        if not any(name.encode() in body for name in names):
            return False, None
        if len(body) > _READ_BYTES or values(body) > _READ_VALUES:  # too large to parse here: read, the route parses
            found = named(body)
            return found is not None and found.model in names and not found.images, None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return False, None  # the route answers 400
        model = data.get("model") if isinstance(data, dict) else None
        if not isinstance(model, str) or model not in names:  # a list or object is no name (the route answers 400)
            return False, data
        return not _images(data), data
    clouds()
    return read


def _images(data: Any) -> bool:
    """Whether any object in ``data`` has a ``type`` naming an image (a chat's ``image_url`` part, read by OCR on the
    device first; a response's ``input_image``, refused by its route): as ``named.named`` reads a body."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            kind = value.get("type")
            if isinstance(kind, str) and "image" in kind:
                return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
