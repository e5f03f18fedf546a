"""Order flows against a real ``tandem serve`` process that gets killed with SIGKILL at random moments
and started again (``test_serve_crash.py``; ``bench/agent.py --crash N`` for the 200-flow run).

The client is an ordinary HTTP client that retries what failed: it sends each request with an
``Idempotency-Key``, confirms what waits for confirmation, and waits while the server resumes the rest.
"""

from __future__ import annotations

from tandem.testing.agent import ROOT, SENTENCES, Serve, flows_with_kills, run_flow

__all__ = ["ROOT", "SENTENCES", "Serve", "flows_with_kills", "run_flow"]
