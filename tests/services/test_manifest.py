"""Manifests: the published schema accepts every reference manifest and names the bad field otherwise."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tandem.errors import InvalidRequest
from tandem.partners import builtin_manifest_paths
from tandem.services.manifest import SCHEMA_PATH, load_manifest, manifest_schema, parse_manifest

CINEMA = tomllib.loads((Path(builtin_manifest_paths()[0]).parent / "lichtspiel.cinema.toml").read_text())


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(manifest_schema())
    assert SCHEMA_PATH.exists()


def test_every_reference_partner_ships_a_valid_manifest() -> None:
    manifests = [load_manifest(p) for p in builtin_manifest_paths()]
    categories = {c for m in manifests for c in m.categories}
    assert categories == {"food", "tickets", "cinema", "navigation", "shopping", "office"}
    assert len({m.id for m in manifests}) == len(manifests) == 11
    for m in manifests:
        assert all(t.idempotency == "key" for t in m.tools if t.transactional), m.id
    cinema = next(m for m in manifests if m.id == "lichtspiel.cinema")
    buy = cinema.tool("buy_tickets")
    assert buy is not None and buy.transactional and "payment_token" in buy.personal_data
    assert cinema.currency == "EUR" and cinema.display_name("de") == "Lichtspiel Kinos"


def _broken(change: Any) -> InvalidRequest:
    doc = copy.deepcopy(CINEMA)
    change(doc)
    with pytest.raises(InvalidRequest) as caught:
        parse_manifest(doc, source="m.toml")
    return caught.value


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda d: d.update(regions=["Germany"]), "regions[0]", "'Germany' does not match"),
    (lambda d: d["data"].update(processing_regions=["de"]), "data.processing_regions[0]", "'de'"),
    (lambda d: d.update(categories=["gambling"]), "categories[0]", "'gambling' is not one of"),
    (lambda d: d.pop("partner"), "(top level)", "'partner' is a required property"),
    (lambda d: d["tools"][3].update(idempotency="none"), "tools[3].idempotency", "'key' was expected"),
    (lambda d: d["tools"][0].update(personal_data=["shoe_size"]), "tools[0].personal_data[0]", "shoe_size"),
    (lambda d: d.update(transport={"type": "http"}), "transport", "'url' is a required property"),
    (lambda d: d.update(transport={"type": "stdio", "command": []}), "transport.command", "non-empty"),
    (lambda d: d.update(auth={"type": "bearer"}), "auth", "'token_env' is a required property"),
    (lambda d: d.update(surprise=1), "(top level)", "'surprise' was unexpected"),
    (lambda d: d["tools"].append({"name": "seat_map"}), "tools[6].name", "declared twice"),
])
def test_bad_field_is_named(change: Any, field: str, words: str) -> None:
    error = _broken(change)
    assert error.param == field
    assert f"manifest field {field!r}" in str(error) and words in str(error)


def test_json_manifest_file_and_syntax_errors(tmp_path: Path) -> None:
    doc = copy.deepcopy(CINEMA)
    doc["id"] = "example.cinema"
    (tmp_path / "m.json").write_text(json.dumps(doc))
    assert load_manifest(tmp_path / "m.json").id == "example.cinema"
    (tmp_path / "bad.toml").write_text("id = \n")
    with pytest.raises(InvalidRequest, match="not valid TOML"):
        load_manifest(tmp_path / "bad.toml")
    with pytest.raises(InvalidRequest, match="cannot read manifest"):
        load_manifest(tmp_path / "missing.toml")


def test_stdio_command_runs_on_this_interpreter() -> None:
    import sys

    manifest = parse_manifest(CINEMA)
    assert manifest.transport.argv()[:3] == [sys.executable, "-m", "tandem.partners.cinema"]


def test_a_partner_declares_the_names_of_its_things() -> None:
    """``things``: the names of a partner's dishes and products, for the privacy detectors (tandem.app.things)."""
    assert parse_manifest({**CINEMA, "things": ["Penne Arrabbiata", "Caffè Latte"]}).things == (
        "Penne Arrabbiata", "Caffè Latte")
    assert parse_manifest(CINEMA).things == ()


@pytest.mark.parametrize(("things", "field", "words"), [
    (["<img src=x onerror=alert(1)>"], "things[0]", "does not match"),  # markup
    (["Penne\u2028Arrabbiata", "Caffè\x00Latte"], "things[1]", "does not match"),  # a control character
    ([f"Torte Nummer {i}" for i in range(2001)], "things", "too long"),  # a huge list
    (["Torte " * 20], "things[0]", "too long"),
    (["Caffè Latte", "Caffè Latte"], "things", "non-unique"),
    ("Caffè Latte", "things", "not of type 'array'"),
])
def test_a_things_declaration_that_is_no_list_of_names_is_refused(things: Any, field: str, words: str) -> None:
    error = _broken(lambda d: d.update(things=things))
    assert error.param == field and words in str(error), str(error)[:300]


@pytest.mark.parametrize("change", [
    lambda d: d.update(things=[f"Torte Nummer {i}" for i in range(20_000)]),
    lambda d: d.update(partner="x" * 1_000_000),
    lambda d: d.update(things=["Torte " * 100_000]),
])
def test_an_error_quotes_a_huge_value_cut_short(change: Any) -> None:
    """The message quoted the whole value: 429 KB for 20,000 names, 1 MB for a long partner name."""
    error = _broken(change)
    assert len(str(error)) < 400 and "…" in str(error), len(str(error))
