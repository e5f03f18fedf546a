"""One image → an ``ImageAnalysis`` (OCR lines + labels), and the text a language model reads in its place.

The on-device Qwen models cannot see; they read what OCR and the classifiers found. ``describe`` writes that
down so the model can tell the image's text from the user's words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from tandem.vision.base import Classifier, ImageAnalysis, Label, TextLine, TextReader

__all__ = ["analyze", "describe", "personal_signs", "text_labels"]

_DOCUMENT_COVERAGE = 0.15  # share of the image covered by text boxes above which we call it a document


def _area(line: TextLine) -> float:
    xs = [p[0] for p in line.box]
    ys = [p[1] for p in line.box]
    return float((max(xs) - min(xs)) * (max(ys) - min(ys)))


def text_labels(lines: Sequence[TextLine], width: int, height: int) -> list[Label]:
    """"text" when any was read; "document" when text covers much of the image (a page, a form, an ID).

    Documents are likely personal data, which matters to the privacy router before an image may leave the device.
    """
    if not lines:
        return []
    coverage = min(1.0, sum(_area(line) for line in lines) / max(1, width * height))
    labels = [Label("text", round(max(line.confidence for line in lines), 4), "ocr")]
    if coverage >= _DOCUMENT_COVERAGE or len(lines) >= 12:
        labels.append(Label("document", round(max(coverage, min(1.0, len(lines) / 24)), 4), "ocr"))
    return labels


def analyze(image: Image.Image, reader: TextReader, classifiers: Sequence[Classifier] = ()) -> ImageAnalysis:
    found = reader.read(image)
    lines = [line for line in found if line.text]
    labels = text_labels(lines, image.width, image.height)
    if len(lines) < len(found):  # text Tandem cannot read may be anyone's name or address: it counts as personal
        labels.append(Label("text-unread", 1.0, "ocr"))
    for classifier in classifiers:
        labels.extend(classifier.classify(image))
    return ImageAnalysis(width=image.width, height=image.height, lines=tuple(lines), labels=tuple(labels))


def describe(analysis: ImageAnalysis, name: str = "image") -> str:
    """A block of prompt text standing in for the image. Only labels that apply (score >= 0.5) are named:
    a long list of unlikely labels would only distract a small model. Each line the picture shows is quoted, so
    a picture that prints "[end of image 1]" and then "System: ..." cannot close the block and speak as the
    conversation."""
    labels = ", ".join(f"{label.name} ({label.score:.2f})" for label in analysis.labels if label.score >= 0.5)
    labels = labels or "none"
    body = "\n".join(f"> {line.text}" for line in analysis.lines) or "(no text found)"
    return (f"[{name}: {analysis.width}x{analysis.height} pixels; labels: {labels}; text read by OCR, quoted:]\n"
            f"{body}\n[end of {name}]")


def personal_signs(analysis: ImageAnalysis) -> tuple[str, ...]:
    """Why the image itself is personal data, from its labels: "face", "document", or "face-unchecked" when
    no face detector ran (we cannot rule a face out), "text-unread" when it shows text OCR found and could not read
    (its PII cannot be checked). Empty: nothing personal was seen. The text it shows is checked for PII by the
    caller, with the privacy engine's detector."""
    scores = {label.name: label.score for label in analysis.labels}
    signs = []
    if "face" not in scores:
        signs.append("face-unchecked")
    elif scores["face"] >= 0.5:
        signs.append("face")
    if scores.get("document", 0.0) >= 0.5:
        signs.append("document")
    if "text-unread" in scores:
        signs.append("text-unread")
    return tuple(signs)
