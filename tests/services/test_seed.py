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


def test_every_dish_a_menu_names_in_other_languages_is_read_from_data() -> None:
    """Session 17's re-read: the dishes' names in other languages were a table in _seed.py's code; they are data
    (tandem/partners/data/dish_names.json), and every menu line carries the names it gives."""
    import json

    names = json.loads((_seed.DATA / "dish_names.json").read_text(encoding="utf-8"))
    menus = json.loads((_seed.DATA / "restaurants.json").read_text(encoding="utf-8"))
    lines = [line for restaurant in menus for line in restaurant["dishes"] if line["name"] in names]
    assert lines and all(names[line["name"]].items() <= line["names"].items() for line in lines)
