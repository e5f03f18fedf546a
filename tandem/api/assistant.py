"""The assistant wiring now lives in the application layer (``tandem.app.assistant``), shared with the CLI;
these names stay importable from here for the API's modules."""

from __future__ import annotations

from tandem.app.assistant import HubToolset, LazyModel, journal_path, open_assistant

__all__ = ["HubToolset", "LazyModel", "journal_path", "open_assistant"]
