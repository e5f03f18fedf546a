"""What every suite gets: the data to read, how many items, the model (loaded lazily) and a progress
callback. Predictors from higher layers (the agent's fast parser) arrive here too, injected by the CLI."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from tandem.errors import ConfigError
from tandem.eval.progress import quiet
from tandem.models.base import Model
from tandem.privacy.detect import Detector

__all__ = ["EvalRun", "Progress", "data_root", "require", "take"]

Progress = Callable[[str, int, int], None]  # (stage, done, total) -> None
T = TypeVar("T")


@dataclass
class EvalRun:
    """One invocation of a suite."""

    data: Path  # a file or directory in the suite's published format
    limit: int | None = None  # at most this many items (per language / category, as the suite documents)
    model_id: str | None = None  # recorded in the report; None for suites without a model
    load_model: Callable[[], Model] | None = None  # builds (or fetches) the model on first use
    progress: Progress = quiet
    tier: str = "device"  # which predictor understands utterances: "device" (LLM) or "fast" (parser)
    fast_parser: Callable[[str, str], Any] | None = None  # (text, language) -> a parse; from the agent layer
    detector: Detector | None = None  # pii: the PII detector under test (the router's, built by the CLI)
    difficulty: Callable[[str], float] | None = None  # routing: prompt -> P(the device model fails)
    options: dict[str, Any] = field(default_factory=dict)  # suite-specific switches, recorded in the report
    _model: Model | None = field(default=None, repr=False)

    def model(self) -> Model:
        """The model under test, loaded once."""
        if self._model is None:
            if self.load_model is None:
                raise ConfigError("this suite needs a model", hint="pass --model")
            self._model = self.load_model()
        return self._model


def data_root() -> Path:
    """Where the public evaluation sets live: ``$TANDEM_EVAL_DATA``, else ``shared/eval`` beside the
    checkout (the layout the issue describes), else ``/work/shared/eval``."""
    env = os.environ.get("TANDEM_EVAL_DATA")
    if env:
        return Path(env).expanduser()
    beside = Path(__file__).resolve().parents[3] / "shared" / "eval"
    return beside if beside.is_dir() else Path("/work/shared/eval")


def require(path: Path, what: str) -> Path:
    """``path`` if it exists; a ConfigError naming the fix otherwise."""
    if not path.exists():
        raise ConfigError(f"{what} not found at {path}", hint="pass --data PATH or set TANDEM_EVAL_DATA")
    return path


def take(items: Iterable[T], limit: int | None) -> Iterator[T]:
    """The first ``limit`` items (all when ``limit`` is None)."""
    return iter(items) if limit is None else islice(items, limit)

