"""Evaluation on public suites nobody here wrote: ``tandem eval SUITE``.

One module per suite (``bfcl``, ``xsid``, ``sgd``, ``pii``, ``routing``) turns a data set in its published
format into predictions and metrics; ``metrics`` holds the scoring functions they share, ``report``
writes the JSON + Markdown report under ``$TANDEM_HOME/eval``, ``progress`` draws the bar on stderr and
``suites`` maps suite names to their runners. Models and predictors are injected (``EvalRun``), so the
CLI decides which tier is measured and this package never imports the agent or services layers.
"""

from __future__ import annotations

__all__: list[str] = []
