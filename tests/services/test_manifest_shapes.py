"""A parameter's ``shape`` (what an order id of the partner looks like): the shipped partners declare the ids they
issue; a shape that is no pattern, or one a hostile partner could make slow to match (lengths varying in two places,
repeats, alternatives, groups), is refused naming the field."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tandem.errors import InvalidRequest
from tandem.partners import builtin_manifest_paths
from tandem.services.manifest import parse_manifest

_DIR = Path(builtin_manifest_paths()[0]).parent
FOOD = tomllib.loads((_DIR / "gabelpost.food.toml").read_text(encoding="utf-8"))


def _with_shape(shape: str) -> dict[str, Any]:
    doc = copy.deepcopy(FOOD)
    track = next(t for t in doc["tools"] if t["name"] == "track_order")
    track["parameters"]["order_id"]["shape"] = shape
    return doc


def test_the_shipped_partners_declare_the_ids_they_issue() -> None:
    prefixes = {"food": "FD", "shopping": "SH", "tickets": "TIX", "cinema": "CIN"}  # as tandem.partners writes them
    for path in builtin_manifest_paths():
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for tool in doc["tools"]:
            shape = tool.get("parameters", {}).get("order_id", {}).get("shape")
            if tool.get("intent") and "order_id" in tool.get("parameters", {}):
                prefix = prefixes[doc["categories"][0]]
                assert shape is not None and re.fullmatch(shape, f"{prefix}-1A2B3C4D5E"), (path, tool["name"])


@pytest.mark.parametrize("shape", ["FD-[0-9A-F]{10}", "FD-[0-9A-F]{1,10}", "ZT#\\d{6}", "AB12-[a-z0-9]{4}"])
def test_a_shape_of_the_safe_kind_is_taken(shape: str) -> None:
    parse_manifest(_with_shape(shape))


@pytest.mark.parametrize(("shape", "says"), [
    ("FD-[Z-A]{3}", "no pattern"),  # a bad range
    ("FD-[0-9]{5,2}", "no pattern"),
    ("FD-[0-9]{1,30}[A-F]{1,30}", "varies in length in more than one place"),  # backtracking over two ranges
    ("FD-(a|b)", "does not match"),
    ("FD-[0-9]+", "does not match"),
    ("FD-.*", "does not match"),
    ("[0-9]{8}", "does not match"),  # no prefix that says whose it is
])
def test_a_bad_or_slow_shape_is_refused_naming_the_field(shape: str, says: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_manifest(_with_shape(shape))
    track = next(i for i, t in enumerate(FOOD["tools"]) if t["name"] == "track_order")
    assert refused.value.param == f"tools[{track}].parameters.order_id.shape"
    assert says in str(refused.value)

