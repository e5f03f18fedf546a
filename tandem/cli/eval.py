"""``tandem eval SUITE``: run a public evaluation suite, print its table (or JSON with ``--json``) and
write the JSON + Markdown report under ``$TANDEM_HOME/eval``. This is where predictors from the upper
layers (the agent's fast parser) are built and handed to ``tandem.eval``, which may not import them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from tandem.config import load_settings
from tandem.eval.base import EvalRun, Progress
from tandem.eval.progress import ProgressBar
from tandem.eval.progress import quiet as quiet_progress
from tandem.eval.report import table, write_report
from tandem.eval.suites import SUITES, get_suite

__all__ = ["eval_command"]


# The agent's intents that xSID also labels, and their slots in xSID's names; its other intents (buying
# cinema tickets, ordering food) have no xSID counterpart, so an utterance parsed as one counts as unanswered.
_XSID_INTENTS = {"set_reminder": "reminder/set_reminder", "show_reminders": "reminder/show_reminders"}
_XSID_SLOTS = {"todo": "reminder/todo", "when": "datetime"}


def _fast_parser() -> Callable[[str, str], Any]:
    """The agent's template parser (its fast tier) as an xSID predictor."""
    from tandem.agent.understand import TemplateParser
    from tandem.eval.xsid import Parse

    parser, now = TemplateParser(), datetime.now()

    def parse(text: str, language: str) -> Parse:
        found = parser.parse(text, now, lang=language if language in ("en", "de", "zh") else None)
        if len(found.intents) != 1 or found.intents[0].name not in _XSID_INTENTS:
            return Parse(intent=None)
        intent = found.intents[0]
        slots = tuple((_XSID_SLOTS[k], v) for k, v in intent.spans.items() if k in _XSID_SLOTS)
        return Parse(intent=_XSID_INTENTS[intent.name], slots=slots)

    return parse


Understand = Callable[[str], tuple[Any, str | None]]
Build = Callable[[list[dict[str, Any]], list[str]], Understand]


class _Batched:
    """The e5 embedder, with the texts an evaluation will ask about embedded ahead in batches (one call
    per text costs several times more on a busy machine). Vectors are the model's either way."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.ready: dict[str, list[float]] = {}

    def prefetch(self, texts: list[str], progress: Progress, stage: str) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self.ready))
        for start in range(0, len(todo), 32):
            batch = todo[start:start + 32]
            self.ready.update(zip(batch, self.embedder.embed_query(batch), strict=True))
            progress(stage, min(start + 32, len(todo)), len(todo))

    def embed_query(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.ready]
        self.ready.update(zip(missing, self.embedder.embed_query(missing), strict=True) if missing else ())
        return [self.ready[t] for t in texts]


def _understander(device: Callable[[], Any] | None, progress: Progress) -> Build:
    """Tandem's understanding tiers over the capabilities that manifest documents declare: templates, the
    learned e5 tier, and, when ``device`` is given, the device model filling a chosen capability's
    parameters. ``build(documents, upcoming)`` embeds the examples and the upcoming texts first and returns
    ``text -> (Understanding, forced)``, where ``forced`` is the capability the learned tier ranks first
    when it may not answer "none of these" (a diagnostic: which capability, apart from whether it is one)."""
    embedder: list[_Batched] = []  # one e5 per process: SGD builds a tier per service

    def build(documents: list[dict[str, Any]], upcoming: list[str]) -> Understand:
        from tandem.agent.capabilities import capabilities
        from tandem.agent.learned import CHAT, LearnedTier
        from tandem.agent.understand import Understander
        from tandem.models.embeddings import E5Embedder

        if not embedder:
            embedder.append(_Batched(E5Embedder()))
        specs = capabilities(documents)
        learned = LearnedTier(embedder[0], specs)
        embedder[0].prefetch([*learned.texts, *upcoming], progress, "embedding examples and utterances")
        understander = Understander(intents=specs, learned=learned, device=device() if device else None)

        def understand(text: str) -> tuple[Any, str | None]:
            result = understander.understand(text)
            scores = {k: v for k, v in learned.scores(text).items() if k != CHAT}
            return result, max(scores, key=lambda k: scores[k]) if scores else None

        return understand

    return build


@click.command("eval")
@click.argument("suite", type=click.Choice(list(SUITES)))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most N items (per language or category, as the suite says).")
@click.option("--data", type=click.Path(exists=True, path_type=Path), default=None,
              help="Another split in the suite's format (file or directory); default: the public one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of a table.")
@click.option("--model", "model_id", default=None, help="Model id under test (default: the configured one).")
@click.option("--tier", type=click.Choice(["understand", "device", "fast"]), default=None,
              help="xsid/sgd: 'understand' (default): Tandem's understanding tiers over the suite's intents declared "
                   "as capabilities; 'device': the on-device model alone (sgd: full state tracking and calls); "
                   "xsid 'fast': the agent's shipped templates (its reminder intents only).")
@click.option("--llm", is_flag=True, help="understand tier: let the device model fill missing parameters (slow).")
@click.option("--examples", type=click.IntRange(min=1), default=10, show_default=True,
              help="xsid: training sentences declared as examples per intent (evenly spread, deterministic).")
@click.option("--half", type=click.Choice(["report", "tune", "all"]), default=None,
              help="xsid/sgd understand tier: which half of a stable-hash split to score (default: report; "
                   "the learned tier's threshold was tuned on xSID's tune half).")
@click.option("--services", type=click.Choice(["unseen", "all"]), default="unseen", show_default=True,
              help="sgd understand tier: score only services absent from the training schema, or every service.")
@click.option("--constrained", type=click.Choice(["both", "on", "off"]), default="both", show_default=True,
              help="bfcl: grammar-constrained tool calls, plain prompt + parse, or both.")
@click.option("--category", "categories", multiple=True,
              help="bfcl: only these categories (repeatable); default: simple, multiple, parallel, "
                   "parallel_multiple, irrelevance.")
@click.option("--trials", type=click.IntRange(min=1), default=1, show_default=True,
              help="tau2: conversations per task; pass^1..pass^k (more than one samples at temperature 0.7).")
@click.option("--db", "tau2_db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="tau2: the database (default: db.json beside the tasks file).")
@click.option("--policy", "tau2_policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="tau2: the agent policy (default: policy.md beside the tasks file).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def eval_command(suite: str, limit: int | None, data: Path | None, as_json: bool, model_id: str | None,
                 tier: str | None, llm: bool, examples: int, half: str | None, services: str, constrained: str,
                 categories: tuple[str, ...], trials: int, tau2_db: Path | None, tau2_policy: Path | None,
                 quiet: bool) -> None:
    """Evaluate Tandem on public SUITE data and write a report under TANDEM_HOME/eval."""
    from tandem.models.registry import ModelRegistry

    chosen = get_suite(suite)
    tier = tier or ("understand" if suite in ("xsid", "sgd") else "device")
    if (tier == "fast" and suite != "xsid") or (tier == "understand" and suite not in ("xsid", "sgd")):
        raise click.UsageError(f"--tier {tier} does not apply to {suite}")
    settings = load_settings(default_model=model_id)
    registry = ModelRegistry(settings, progress=quiet_progress if quiet else ProgressBar())
    uses_model = chosen.needs_model and (tier == "device" or llm)
    run = EvalRun(data=data or chosen.default_data(), limit=limit,
                  model_id=settings.default_model if uses_model else None,
                  load_model=lambda: registry.get(settings.default_model),
                  progress=quiet_progress if quiet else ProgressBar(), tier=tier,
                  fast_parser=_fast_parser() if tier == "fast" else None,
                  options={"constrained": constrained, "categories": list(categories), "trials": trials,
                           "db": tau2_db, "policy": tau2_policy, "examples": examples, "llm": llm,
                           "services": services, "half": half})
    if tier == "understand":
        run.options["understander"] = _understander(run.model if llm else None, run.progress)
    if suite == "pii":
        from tandem.router.wiring import fast_detector

        run.detector = fast_detector(settings.region)
    if suite == "routing":
        from tandem.router.difficulty import load_estimator

        run.difficulty = load_estimator().score_text
        run.options["held_out_only"] = data is None  # the public data trained the router, except this fifth
    begun, started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), time.monotonic()
    report = chosen.runner(run)
    report.started, report.seconds = begun, time.monotonic() - started
    json_path, md_path = write_report(report, settings.home)
    click.echo(f"report: {json_path} and {md_path.name}", err=True)
    report.options.pop("understander", None)
    metrics = {k: v for k, v in report.to_dict().items() if k != "items"}  # per-item detail stays in the file
    click.echo(json.dumps(metrics, ensure_ascii=False) if as_json else table(report.rows))
