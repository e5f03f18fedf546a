"""Weights: joined from carrier packages (located, never imported), pinned by sha256, re-checked on change."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tandem.errors import ConfigError, ModelUnavailable, NotFound
from tandem.models.catalog import (
    ALIASES,
    CarrierParts,
    LocalFile,
    ModelSpec,
    builtin_catalog,
    ensure_weights,
    find_spec,
    load_catalog,
    weights_status,
)
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer


def carrier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> CarrierParts:
    names = []
    for i, chunk in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fake_weights_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("raise RuntimeError('carrier code must never run')\n")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(chunk)
        names.append(pkg.name)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return CarrierParts(tuple(names), extra="models")


def spec_for(source: object, data: bytes) -> ModelSpec:
    return ModelSpec(id="device:fake", source=source, sha256=hashlib.sha256(data).hexdigest(),  # type: ignore[arg-type]
                     context_length=512)


def test_parts_are_joined_in_order_and_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 10, b"c" * 5]
    spec = spec_for(carrier(tmp_path, monkeypatch, chunks), b"".join(chunks))
    stages: list[str] = []
    path = ensure_weights(spec, tmp_path / "models", lambda stage, done, total: stages.append(stage))
    assert path.read_bytes() == b"".join(chunks)
    assert "joining weights" in stages and "verifying sha256" in stages
    assert weights_status(spec, tmp_path / "models") == "verified"
    stages.clear()
    ensure_weights(spec, tmp_path / "models", lambda stage, done, total: stages.append(stage))
    assert stages == [], "a verified, unchanged file is not hashed again"


def test_changed_file_is_hashed_again_and_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"x" * 100]
    spec = spec_for(carrier(tmp_path, monkeypatch, chunks), chunks[0])
    path = ensure_weights(spec, tmp_path / "models")
    path.write_bytes(b"y" * 100)
    with pytest.raises(ModelUnavailable, match="sha256 mismatch"):
        ensure_weights(spec, tmp_path / "models")
    assert not path.exists(), "a tampered joined file is removed"


def test_missing_carrier_names_the_extra(tmp_path: Path) -> None:
    spec = spec_for(CarrierParts(("no_such_weights_pkg",), extra="models"), b"")
    with pytest.raises(ModelUnavailable, match=r"tandem\[models\]"):
        ensure_weights(spec, tmp_path)
    assert weights_status(spec, tmp_path) == "missing"


def test_local_file_is_used_in_place(tmp_path: Path) -> None:
    f = tmp_path / "m.gguf"
    f.write_bytes(b"GGUF local")
    assert ensure_weights(spec_for(LocalFile(f), b"GGUF local"), tmp_path / "models") == f
    with pytest.raises(ModelUnavailable, match="does not exist"):
        ensure_weights(spec_for(LocalFile(tmp_path / "gone.gguf"), b""), tmp_path / "models")


def test_builtin_catalog_pins_both_qwen_models() -> None:
    catalog = builtin_catalog()
    assert set(catalog) == {"device:qwen2.5-coder-1.5b", "device:qwen2.5-coder-0.5b"}
    assert all(len(s.sha256) == 64 for s in catalog.values())


def test_old_ids_are_aliases_of_the_coder_models(tmp_path: Path) -> None:
    catalog = builtin_catalog()
    assert find_spec(catalog, "device:qwen2.5-0.5b") is catalog["device:qwen2.5-coder-0.5b"]
    assert find_spec(catalog, "device:qwen2.5-1.5b").id == "device:qwen2.5-coder-1.5b"
    # the joined file keeps its name, so weights joined by an earlier release are found again
    assert catalog["device:qwen2.5-coder-0.5b"].file_name == "qwen2.5-0.5b.gguf"
    with pytest.raises(NotFound, match="unknown model 'device:nope'"):
        find_spec(catalog, "device:nope")


def test_an_alias_and_its_id_load_one_model(tiny_registry: ModelRegistry) -> None:
    from tandem.models.catalog import ALIASES

    saved = dict(ALIASES)
    ALIASES["device:tiny-old"] = "device:tiny"
    try:
        assert tiny_registry.get("device:tiny-old") is tiny_registry.get("device:tiny")
        assert tiny_registry.loaded().count("device:tiny") == 1 and "device:tiny-old" not in tiny_registry.loaded()
    finally:
        ALIASES.clear()
        ALIASES.update(saved)


def test_old_ids_resolve_over_http(tiny_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from tandem.models.catalog import ALIASES

    card = httpx.get(tiny_server.url + "/v1/models/device:qwen2.5-1.5b").json()
    assert card["id"] == "device:qwen2.5-coder-1.5b", "an old id answers with its model's card"
    assert "device:qwen2.5-1.5b" not in {m["id"] for m in httpx.get(tiny_server.url + "/v1/models").json()["data"]}
    assert httpx.get(tiny_server.url + "/v1/models/device:nope").status_code == 404
    monkeypatch.setitem(ALIASES, "device:tiny-old", "device:tiny")
    reply = httpx.post(tiny_server.url + "/v1/chat/completions", timeout=60, json={
        "model": "device:tiny-old", "max_tokens": 2, "messages": [{"role": "user", "content": "hi"}]})
    assert reply.status_code == 200 and reply.json()["choices"][0]["message"]["role"] == "assistant"


def test_the_default_model_is_named_by_its_canonical_id(home: Path) -> None:
    from tandem.config import load_settings

    default = load_settings().default_model
    assert default in builtin_catalog() and default not in ALIASES


def test_user_catalog(home: Path) -> None:
    home.mkdir()
    (home / "models.toml").write_text('[[model]]\nid = "device:mine"\npath = "/x.gguf"\nsha256 = "ab"\n')
    assert load_catalog(home)["device:mine"].context_length == 4096
    (home / "models.toml").write_text('[[model]]\nid = "mine"\npath = "/x.gguf"\nsha256 = "ab"\n')
    with pytest.raises(ConfigError, match="must start with 'device:'"):
        load_catalog(home)
    (home / "models.toml").write_text('[[model]]\nid = "device:m"\npath = "/x.gguf"\n')
    with pytest.raises(ConfigError, match="sha256"):
        load_catalog(home)
