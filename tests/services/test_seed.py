"""The committed partner catalogs are exactly what the seed script derives from the public data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.partners import _seed

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


@pytest.mark.skipif(not (EVAL / "crosswoz").exists(), reason="needs ../shared/eval (the public seed data)")
def test_catalogs_are_reproducible(tmp_path: Path) -> None:
    _seed.main(EVAL, tmp_path)
    for name in ("restaurants.json", "places.json"):
        assert (tmp_path / name).read_bytes() == (_seed.DATA / name).read_bytes(), name


def test_catalogs_stay_small() -> None:
    total = sum(p.stat().st_size for p in _seed.DATA.iterdir())
    assert total < 300_000
