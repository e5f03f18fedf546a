"""The egress detector's models load when the server starts (``pseudonymize.warm``), not on a user's first message:
a first Chinese message with Latin words waited seconds for spaCy, jieba, LAC, Jiagu and the transliteration table."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tandem.models.registry import ModelRegistry
from tandem.privacy.chinese import ChineseDetector
from tandem.privacy.detect import CompositeDetector
from tandem.privacy.ner import SpacyDetector
from tandem.privacy.pseudonymize import analyse, warm
from tandem.privacy.transliteration import Transliterations
from tandem.router.wiring import egress_detector, fast_detector, register_routing
from tandem.types import ChatRequest, Message
from tests.conftest import TINY


def _cold(detector: CompositeDetector) -> list[str]:
    """The parts of ``detector`` whose models are not loaded yet."""
    cold = []
    for part in detector.detectors:
        if isinstance(part, SpacyDetector) and part._nlp is None:
            cold.append("spaCy")
        if isinstance(part, ChineseDetector):
            cold += [name for name, loaded in [
                ("jieba", part._jieba), ("LAC", part.lac._lac), ("Jiagu", part.jiagu._jiagu),
                ("transliterations", part.transliterations._models), ("names", part.tagger._loaded)] if not loaded]
    return cold


def test_warming_loads_every_model_the_egress_detector_would_load_on_first_use() -> None:
    fast = fast_detector("DE")
    assert {"spaCy", "jieba", "LAC", "Jiagu", "transliterations", "names"} <= set(_cold(fast))  # a fresh one is cold
    warm(egress_detector(fast))
    assert _cold(fast) == []


def test_the_routing_a_server_registers_warms_its_own_detector_for_its_region(tiny_registry: ModelRegistry) -> None:
    fast = fast_detector("DE")
    routing = register_routing(tiny_registry, TINY, detector=fast)
    assert tiny_registry.settings.region == "DE"
    assert _cold(fast)  # registering loads nothing: `tandem serve` warms in a background thread
    routing.warm()
    # a German user's server loads spaCy's pipelines, not the Chinese models (hundreds of MB; review30 R30-1)
    assert set(_cold(fast)) == {"jieba", "LAC", "Jiagu", "transliterations", "names"}
    warm(egress_detector(fast), "CN")  # a Chinese user's server loads them all
    assert _cold(fast) == []


def test_a_region_warms_english_and_its_own_languages_and_the_rest_loads_on_first_use() -> None:
    fast = fast_detector("AT")
    warm(egress_detector(fast), "at")
    assert "spaCy" not in _cold(fast) and "jieba" in _cold(fast)
    request = ChatRequest(messages=(Message("user", "请给张伟打电话，邮箱 anna.schmidt@example.com。"),))
    found = analyse(request, egress_detector(fast)).findings
    assert _cold(fast) == [] and {"PERSON", "EMAIL"} <= {f.category for f in found}


def test_a_detector_that_cannot_load_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = ChineseDetector(transliterations=Transliterations(tmp_path / "missing.tsv.gz"))
    with caplog.at_level(logging.WARNING, logger="tandem.privacy"):
        warm(CompositeDetector([missing]))
    assert "not warmed" in caplog.text and "missing.tsv.gz" in caplog.text
