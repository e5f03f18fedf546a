"""Faces with OpenCV's Haar cascade (``haarcascade_frontalface_default.xml``, shipped inside the
``opencv-python-headless`` wheel; ~20 ms per image). A face makes an image personal data: the privacy
check keeps it on the device. It answers for every image (score 0.0 when none was found), so a missing
``face`` label means the check did not run, which the router treats as personal too."""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from tandem.errors import ModelUnavailable
from tandem.vision.base import Label

__all__ = ["HaarFaceDetector"]

_MIN_SHARE = 0.06  # the smallest face we look for, as a share of the image's shorter side (and >= 24 px)


class HaarFaceDetector:
    """Labels every image ``face`` with 1.0 when a frontal face is found, else 0.0."""

    def __init__(self) -> None:
        try:
            import cv2
        except ImportError as exc:
            raise ModelUnavailable("OpenCV is not installed", hint="pip install 'tandem[vision]'") from exc
        cascades = cv2.data.haarcascades  # type: ignore[attr-defined]
        self._cascade = cv2.CascadeClassifier(cascades + "haarcascade_frontalface_default.xml")
        if self._cascade.empty():
            raise ModelUnavailable("OpenCV's face cascade is missing from its package")
        self._lock = threading.Lock()  # a CascadeClassifier is not safe to share between threads

    def classify(self, image: Image.Image) -> list[Label]:
        gray = np.asarray(image.convert("L"))
        side = max(24, round(min(gray.shape) * _MIN_SHARE))
        with self._lock:
            faces = self._cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(side, side))
        return [Label("face", 1.0 if len(faces) else 0.0, "haar")]
