"""OCR with RapidOCR (PaddleOCR PP-OCRv6 models on onnxruntime, shipped inside the wheel): English, German
and Chinese text with line boxes. Its default configuration is kept on purpose: other model choices would
make it download weights.

The recogniser reads Latin and Chinese. Text of another script it half-reads (a comma of "Москва,", "ιγ" of
"Γιώργος", "0000" of an Arabic street), and such a line must count as text not read, since the privacy check cannot
see the name or address it is. So a line is read only on the OCR's own evidence (``_read``): its mean confidence,
the share of its characters recognised with little confidence, how many characters it read for the length of its
box, and whether its letters are of a script the privacy detectors read. Everything else is a line without text.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PIL import Image

from tandem.privacy.scripts import unread_letter
from tandem.vision.base import TextLine

__all__ = ["RapidOcrReader"]

# Chosen on rendered lines of 12 scripts in three fonts (session 24, walk14's notes): Latin lines read right keep
# a weak-character share of 0.21 or less and 1.36 characters or more per box length unit (a box's width over its
# height); half-read Cyrillic, Greek, Arabic, Armenian and Georgian lines had 0.30 or more, or 1.10 or fewer.
_WEAK = 0.7  # a character recognised with less confidence than this is a weak one
_WEAK_SHARE = 0.3  # a line with this share of weak characters or more is not read
_MIN_FILL = 1.2  # characters read per unit of the box's length (width / height), fewer: the rest was not read
_LONG_BOX = 2.0  # the fill is judged on boxes at least this long (a lone digit's box is short and square)


def _box(points: np.ndarray) -> tuple[tuple[int, int], ...]:
    return tuple((round(float(x)), round(float(y))) for x, y in points[:4])


def _letter_read(char: str) -> bool:
    """A letter of a script the privacy detectors read (Latin, Han; "º" of "3º B"), or no letter: others the
    recogniser can only half-read, so a line holding one was not read."""
    return not unread_letter(char)


def _read(text: str, score: float, confidences: list[float], box: tuple[tuple[int, int], ...],
          min_confidence: float) -> bool:
    """Was this line read, on the recogniser's own evidence? See the module docstring."""
    if not text.strip() or score < min_confidence or not all(map(_letter_read, text)):
        return False
    if confidences and sum(c < _WEAK for c in confidences) / len(confidences) >= _WEAK_SHARE:
        return False
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    length = (max(xs) - min(xs)) / max(1, max(ys) - min(ys))
    return length < _LONG_BOX or len(text.strip()) / length >= _MIN_FILL


class RapidOcrReader:
    """One loaded OCR pipeline (detector, angle classifier, recognizer)."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        from rapidocr import RapidOCR

        # The log level: it logs every model path at INFO, and "no text" as a warning. Word boxes: the recogniser
        # then keeps each character's confidence, which tells a line read from one half-read.
        self._engine = RapidOCR(params={"Global.log_level": "error", "Global.return_word_box": True})
        self._engine.update_params(use_det=True, use_cls=True, use_rec=True)
        self._min = min_confidence
        self._lock = threading.Lock()  # onnxruntime sessions are shared by all requests

    def read(self, image: Image.Image) -> list[TextLine]:
        """The lines read, and a line without text for each box of text found and not read (``_read``). The
        detector runs once: the pipeline's stages are run here so that the boxes whose text the recogniser could
        not read at all (its final output drops them) are kept."""
        from rapidocr.utils.process_img import map_boxes_to_original

        with self._lock:
            original = self._engine.load_img(image.convert("RGB"))
            resized, record = self._engine.preprocess_img(original)
            found: Any
            recognised: Any
            found, _, recognised, _ = self._engine.run_ocr_steps(resized, record)
        if found.boxes is None or not len(found.boxes):
            return []
        boxes = [_box(b) for b in map_boxes_to_original(found.boxes, record, *original.shape[:2])]
        texts = recognised.txts or ("",) * len(boxes)
        scores = recognised.scores or (0.0,) * len(boxes)
        words = recognised.word_results or (None,) * len(boxes)
        lines = []
        for box, text, score, word in zip(boxes, texts, scores, words, strict=True):
            confidences = list(getattr(word, "confs", None) or ())
            read = _read(text, float(score), confidences, box, self._min)
            lines.append(TextLine(text if read else "", box, round(float(score), 4)))  # type: ignore[arg-type]
        return sorted(lines, key=lambda line: (line.box[0][1] // 10, line.box[0][0]))
