"""A stand-in cloud: a real OpenAI-compatible server on loopback that records every byte it receives.

Its answers are scripted (echo the last user message, call a tool with it, fail in a chosen way) because
the tests check what crosses the wire, not the model's words. ``proxy`` mode forwards to a real Tandem
app (llama.cpp on the tiny GGUF) for an end-to-end run.
"""

from __future__ import annotations

from tandem.testing import CloudScript, Received, RecordingCloud, wait_until

__all__ = ["CloudScript", "Received", "RecordingCloud", "wait_until"]
