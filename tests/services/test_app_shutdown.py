"""The API server's partner processes end with the server (its lifespan), not with the Python process
that ran it: an app run in-process (tests, an embedding device maker) left six partners per app behind."""

from __future__ import annotations

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer
from tests.services.conftest import children


def test_partners_started_by_the_server_stop_with_it(tiny_registry: ModelRegistry) -> None:
    app = create_app(tiny_registry)
    before = set(children("tandem.partners."))  # a server another test keeps for the session has its own
    with LiveServer(app):
        listed = app.state.assistant.call(lambda assistant: assistant.toolset.tools())  # starts the partners
        assert listed, "no partner tools"
        started = set(children("tandem.partners.")) - before
        assert started, "the assistant started no partner processes"
    assert not started & set(children("tandem.partners."))
