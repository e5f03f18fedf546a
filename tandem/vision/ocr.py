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
        with self._lock:
            result: Any = self._engine(image.convert("RGB"))  # a RapidOCROutput when all three stages run
        if result.txts is None or result.boxes is None:
            return []
        lines = [TextLine(text, _box(box), round(float(score), 4))  # type: ignore[arg-type]
                 for text, box, score in zip(result.txts, result.boxes, result.scores, strict=True)
                 if score >= self._min and text.strip()]
        return sorted(lines, key=lambda line: (line.box[0][1] // 10, line.box[0][0]))
