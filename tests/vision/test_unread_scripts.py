"""Text the recogniser half-reads is text not read (R23-4), and the text detector runs once per image."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.vision.analyze import personal_signs
from tandem.vision.image import load_image
from tandem.vision.registry import VisionRegistry
from tests.vision.conftest import render


@pytest.mark.parametrize("line", [
    "Москва, улица Тверская 7",  # the recogniser read ", " and "7" of it, with confidence
    "Γιώργος Παπαδόπουλος",  # read as a few Greek letters ("ιγ", "ααπυλ")
    "Αθήνα, οδός Ερμού 12",
])
def test_a_line_in_a_script_ocr_half_reads_is_text_not_read(line: str, vision: VisionRegistry) -> None:
    analysis = vision.analyze(load_image(render(((line, 48, "black"),), size=(1100, 200)), max_pixels=10**7))
    assert "text-unread" in personal_signs(analysis), analysis.lines
    assert not any(c.isalpha() for c in analysis.text), analysis.text  # no half of a name goes on as text


@pytest.mark.parametrize("line", ["Jürgen Müller, Hauptstraße 12", "François Lefèvre, rue de Rivoli",
                                  "Saturday 14 March 2026, 20:00"])
def test_latin_lines_are_read(line: str, vision: VisionRegistry) -> None:
    analysis = vision.analyze(load_image(render(((line, 48, "black"),), size=(1100, 200)), max_pixels=10**7))
    assert "text-unread" not in personal_signs(analysis), analysis.lines
    assert all(word in analysis.text for word in line.split()), analysis.text


class _Counted:
    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.inner(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_text_detector_runs_once_per_image(vision: VisionRegistry, poster_png: bytes) -> None:
    image = load_image(poster_png, max_pixels=10**7)
    reader: Any = vision.reader()
    reader.read(image)  # loads the detector
    engine = reader._engine
    counted = engine.text_det = _Counted(engine.text_det)
    try:
        assert reader.read(image)
    finally:
        engine.text_det = counted.inner
    assert counted.calls == 1
