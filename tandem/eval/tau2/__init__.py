"""tau2-bench (sierra-research/tau2-bench) on a local model: ``tandem eval tau2``.

``data`` reads a domain (tasks, ``db.json``, ``policy.md``); ``tools`` are the retail domain's tools over
an in-memory database and ``schemas`` their definitions for the agent; ``user`` is the scripted customer
used where no simulator model is available; ``reward`` scores a finished conversation as tau2 does;
``run`` holds the conversation loop and the suite runner (pass^k).
"""

from __future__ import annotations

from tandem.eval.tau2.run import run

__all__ = ["run"]
