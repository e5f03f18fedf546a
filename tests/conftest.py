"""Shared fixtures: every test gets its own TANDEM_HOME; models are real GGUF files loaded by the real loader."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.config import Settings, load_settings
from tandem.models.catalog import builtin_catalog, ensure_weights
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer, free_port  # noqa: F401 (tests import them from here)
from tandem.testing.tiny_gguf import write_tiny_qwen2

TINY = "device:tiny"


@pytest.fixture(scope="session", autouse=True)
def _children_keep_bytecode() -> Iterator[None]:
    """The processes tests start (``tandem`` commands, benches, servers) read and write compiled modules as an
    install does: under PYTHONDONTWRITEBYTECODE each recompiled Tandem's ~100 modules (0.2 s of CPU per process,
    measured; the suite starts hundreds). This pytest process keeps the setting it started with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        yield


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TANDEM_HOME", str(home))
    for var in ("TANDEM_REGION", "TANDEM_PORT", "TANDEM_HOST", "TANDEM_DEFAULT_MODEL"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def default_judge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The understanding judge of a default home (its region's shipped partners, read as ``tandem ask`` reads them),
    trained once per session: ``judge.npz`` as a home's first request leaves it in ``cache/``."""
    from tandem.agent.capabilities import capabilities
    from tandem.agent.learned import on_device
    from tandem.agent.overreach import vetted, vetted_cache
    from tandem.services.registry import ServiceRegistry

    home = tmp_path_factory.mktemp("judged")
    services = ServiceRegistry(load_settings(home=home))
    try:
        docs = [r.manifest.raw for r in services.available()]
    finally:
        services.close()
    tier = on_device(capabilities(vetted(docs, cache=vetted_cache(home))), home)
    assert tier is not None, "the learned tier needs the e5 model"
    tier.judge  # noqa: B018 (trains it, or finds it in this process, and writes cache/judge.npz)
    return home / "cache" / "judge.npz"  # absent when the package holds this judge: then no home trains it


@pytest.fixture
def judged_home(home: Path, default_judge: Path) -> Path:
    """``home`` with the judge a first request would train already in its cache, as after the user's first run: for
    tests of later turns (each process of a ``tandem`` command in a fresh home trains it, ~2.3 s of CPU). A home whose
    partners differ has another key: ``Judge.load`` ignores the file and the judge is trained as before."""
    if default_judge.exists():
        (home / "cache").mkdir(parents=True, mode=0o700)
        home.chmod(0o700)
        shutil.copyfile(default_judge, home / "cache" / "judge.npz")
        (home / "cache" / "judge.npz").chmod(0o600)
    return home


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_qwen2(tmp_path_factory.mktemp("tiny") / "tiny-qwen2.gguf")


def register_tiny(home: Path, gguf_path: Path) -> None:
    """Add the tiny model to the user catalog (models.toml), as a user would add their own GGUF."""
    home.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256(gguf_path.read_bytes()).hexdigest()
    (home / "models.toml").write_text(
        f'[[model]]\nid = "{TINY}"\npath = "{gguf_path}"\nsha256 = "{sha}"\ncontext_length = 512\n')


@pytest.fixture
def tiny_settings(home: Path, tiny_gguf: Path) -> Settings:
    register_tiny(home, tiny_gguf)
    return load_settings(default_model=TINY)


@pytest.fixture
def tiny_registry(tiny_settings: Settings) -> ModelRegistry:
    return ModelRegistry(tiny_settings)


@pytest.fixture(scope="session")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> ModelRegistry:
    """The real Qwen2.5-Coder-0.5B, joined from its carrier packages once per test session."""
    home = tmp_path_factory.mktemp("small-home")
    settings = load_settings(home=home, default_model="device:qwen2.5-0.5b")
    ensure_weights(builtin_catalog()["device:qwen2.5-coder-0.5b"], settings.models_dir)
    return ModelRegistry(settings)


@pytest.fixture
def tiny_server(tiny_registry: ModelRegistry) -> Iterator[LiveServer]:
    from tandem.api.app import create_app

    with LiveServer(create_app(tiny_registry)) as server:
        yield server


@pytest.fixture(scope="session")
def small_server(small_registry: ModelRegistry) -> Iterator[LiveServer]:
    from tandem.api.app import create_app

    with LiveServer(create_app(small_registry, preload=["device:qwen2.5-0.5b"])) as server:
        yield server
