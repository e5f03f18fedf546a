"""OCR with RapidOCR (PaddleOCR PP-OCRv6 models on onnxruntime, shipped inside the wheel): English, German
and Chinese text with line boxes. Its default configuration is kept on purpose: other model choices would
make it download weights."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PIL import Image

from tandem.vision.base import TextLine

__all__ = ["RapidOcrReader"]


def _box(points: np.ndarray) -> tuple[tuple[int, int], ...]:
    return tuple((round(float(x)), round(float(y))) for x, y in points[:4])


class RapidOcrReader:
    """One loaded OCR pipeline (detector, angle classifier, recognizer)."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        from rapidocr import RapidOCR

        # Only the log level differs from the defaults: it logs every model path at INFO, and "no text" as a warning.
        self._engine = RapidOCR(params={"Global.log_level": "error"})
        self._min = min_confidence
        self._lock = threading.Lock()  # onnxruntime sessions are shared by all requests

    def read(self, image: Image.Image) -> list[TextLine]:
        """The lines read, and a line without text for each box of text found and not read: the recogniser drops
        what it cannot read (another script: Cyrillic, Arabic), so only a pass of the detector alone shows it."""
        rgb = image.convert("RGB")
        with self._lock:  # each stage is named: the engine keeps the last call's choice of stages
            result: Any = self._engine(rgb, use_det=True, use_cls=True, use_rec=True)  # a RapidOCROutput
            found: Any = self._engine(rgb, use_det=True, use_cls=False, use_rec=False)  # a TextDetOutput
        read = [] if result.txts is None or result.boxes is None else list(
            zip(result.txts, map(_box, result.boxes), result.scores, strict=True))
        lines = [TextLine(text, box, round(float(score), 4))  # type: ignore[arg-type]
                 for text, box, score in read if score >= self._min and text.strip()]
        boxes = {box for _, box, _ in read}
        lines += [TextLine("", box, 0.0) for box in map(_box, found.boxes if found.boxes is not None else ())  # type: ignore[arg-type]
                  if box not in boxes]
        return sorted(lines, key=lambda line: (line.box[0][1] // 10, line.box[0][0]))
