"""Numbers on the command line, checked as the HTTP API checks them."""

from __future__ import annotations

import math
from typing import Any

import click

__all__ = ["FiniteRange"]


class FiniteRange(click.FloatRange):
    """A ``FloatRange`` that refuses "nan" and "inf" (Python reads both as floats): NaN passes every bound, so
    ``--budget nan`` was a budget and ``--temperature nan`` reached the sampler."""

    name = "finite float range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number
