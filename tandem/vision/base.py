"""What vision backends return, and their one-method contracts.

A ``TextReader`` finds and reads lines of text (OCR); a ``Classifier`` puts labels on a whole image.
Both take a decoded RGB ``PIL.Image`` and know nothing of HTTP or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

__all__ = ["Classifier", "ImageAnalysis", "Label", "TextLine", "TextReader"]

Point = tuple[int, int]


@dataclass(frozen=True)
class TextLine:
    """One line of text found in an image."""

    text: str
    box: tuple[Point, Point, Point, Point]  # corners in pixels: top-left, top-right, bottom-right, bottom-left
    confidence: float  # the recognizer's score, 0..1


@dataclass(frozen=True)
class Label:
    """A label for the whole image."""

    name: str  # e.g. "text", "document", "nsfw"
    score: float  # 0..1; how strongly the label applies
    source: str  # which backend or rule produced it


@dataclass(frozen=True)
class ImageAnalysis:
    """Everything read from one image."""

    width: int  # pixels
    height: int
    lines: tuple[TextLine, ...] = ()  # in reading order: top to bottom, then left to right
    labels: tuple[Label, ...] = field(default=())

    @property
    def text(self) -> str:
        """All lines, one per line of output."""
        return "\n".join(line.text for line in self.lines)


class TextReader(Protocol):
    def read(self, image: Image.Image) -> list[TextLine]:
        """The lines of text in ``image``; an empty list when there is none. A line with no text is text the reader
        found and could not read (another script)."""
        ...


class Classifier(Protocol):
    def classify(self, image: Image.Image) -> list[Label]:
        """Labels that apply to ``image`` (possibly none)."""
        ...
