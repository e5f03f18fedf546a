"""A partner that does not start is logged on ``tandem.services`` and counted as a partner error (for
``/metrics``), not only marked down."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from tandem.config import load_settings
from tandem.observe import counts
from tandem.services.hub import ServiceHub
from tandem.services.registry import ServiceRegistry
from tests.services.test_resilience import cinema_manifest

pytestmark = pytest.mark.anyio


async def test_a_partner_that_does_not_start_is_logged_and_counted(home: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    registry = ServiceRegistry(load_settings(), builtins=False)
    registry.add_manifest(cinema_manifest({"type": "stdio", "timeout_s": 10, "command": [
        sys.executable, "-c", "import sys; sys.exit(3)"]}, "broken.cinema"), "test")
    before = counts().get(("partner_errors", "unavailable"), 0)
    with caplog.at_level(logging.WARNING, logger="tandem.services"):
        async with ServiceHub(registry, region="DE") as hub:
            health = await hub.check()
    registry.close()
    assert health["broken.cinema"].healthy is False
    assert counts()[("partner_errors", "unavailable")] == before + 1
    assert any(r.name == "tandem.services" and "broken.cinema is down" in r.getMessage() for r in caplog.records)
