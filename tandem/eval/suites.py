"""Suite name -> runner and the default data folder under the evaluation data root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tandem.errors import NotFound
from tandem.eval import bfcl, pii, routing, sgd, tau2, xsid
from tandem.eval.base import EvalRun, data_root
from tandem.eval.report import Report

__all__ = ["SUITES", "Suite", "get_suite"]


@dataclass(frozen=True)
class Suite:
    """A runnable evaluation suite."""

    name: str
    folder: str  # default data, relative to the evaluation data root
    needs_model: bool  # False for suites that score Tandem's own detectors and routers
    runner: Callable[[EvalRun], Report]
    summary: str  # one line for ``tandem eval --help``

    def default_data(self) -> Path:
        return data_root() / self.folder


SUITES: dict[str, Suite] = {s.name: s for s in (
    Suite("bfcl", "bfcl", True, bfcl.run, "AST accuracy per category, constrained tool calls on and off"),
    Suite("xsid", "xsid", True, xsid.run, "intent accuracy, slot span F1, exact match per language"),
    Suite("pii", "pii", False, pii.run, "PII span P/R/F2 per type, any-PII recall per language"),
    Suite("routing", "routellm", False, routing.run, "APGR and CPT of the difficulty router on RouteLLM labels"),
    Suite("sgd", "sgd/dev", True, sgd.run, "active intent, requested slots, joint goal, service calls; seen/unseen"),
    Suite("tau2", "tau2/retail", True, tau2.run, "pass^k of the model as a retail agent with a scripted customer"),
)}


def get_suite(name: str) -> Suite:
    try:
        return SUITES[name]
    except KeyError:
        raise NotFound(f"unknown suite {name!r}", hint=f"one of: {', '.join(SUITES)}") from None
