"""Vision on the device: OCR (text + boxes) and image labels, so text-only models can use images.

    image.py     decode uploads and data URLs, with limits
    base.py      TextLine, Label, ImageAnalysis and the TextReader / Classifier contracts
    ocr.py       TextReader over RapidOCR
    analyze.py   image → analysis → prompt text
    registry.py  lazy, warm models
"""

from tandem.vision.base import Classifier, ImageAnalysis, Label, TextLine, TextReader

__all__ = ["Classifier", "ImageAnalysis", "Label", "TextLine", "TextReader"]
