"""Vision models, loaded on first use and kept warm (OCR takes ~1.5 s to load and ~900 MB: load it once)."""

from __future__ import annotations

import threading
import time

from PIL import Image

from tandem.config import Settings
from tandem.models.catalog import Progress
from tandem.vision.analyze import analyze
from tandem.vision.base import Classifier, ImageAnalysis, TextReader

__all__ = ["VisionRegistry"]


def _silent(stage: str, done: int, total: int) -> None:
    pass


class VisionRegistry:
    def __init__(self, settings: Settings, *, progress: Progress = _silent,
                 classifiers: tuple[Classifier, ...] | None = None) -> None:
        """``classifiers`` None: the built-in ones (content safety, faces), loaded with the first analysis."""
        self.settings = settings
        self._classifiers = classifiers
        self._progress = progress
        self._reader: TextReader | None = None
        self._lock = threading.Lock()

    def loaded(self) -> list[str]:
        return (["ocr:rapidocr"] if self._reader is not None else []) + (
            ["classifiers"] if self._classifiers else [])

    def classifiers(self) -> tuple[Classifier, ...]:
        with self._lock:
            if self._classifiers is None:
                from tandem.vision.faces import HaarFaceDetector
                from tandem.vision.safety import OpenNsfwClassifier

                self._progress("loading classifiers:opennsfw,faces", 0, 1)
                self._classifiers = (OpenNsfwClassifier(), HaarFaceDetector())
                self._progress("loaded classifiers:opennsfw,faces", 1, 1)
            return self._classifiers

    def reader(self) -> TextReader:
        with self._lock:
            if self._reader is None:
                from tandem.vision.ocr import RapidOcrReader

                started = time.monotonic()
                self._progress("loading ocr:rapidocr", 0, 1)
                self._reader = RapidOcrReader()
                self._progress(f"loaded ocr:rapidocr in {time.monotonic() - started:.1f}s", 1, 1)
            return self._reader

    def analyze(self, image: Image.Image) -> ImageAnalysis:
        return analyze(image, self.reader(), self.classifiers())
