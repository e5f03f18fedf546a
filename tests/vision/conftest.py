"""Test images are drawn with PIL at test time; the OCR model loads once per session."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tandem.config import load_settings
from tandem.vision.registry import VisionRegistry

# fonts-wqy-zenhei (scripts/system-deps.sh): Latin, umlauts and CJK glyphs in one font
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
POSTER_LINES = (("DUNE: PART TWO", 72, "black"), ("Saturday 14 March 2026, 20:00", 40, "darkred"),
                ("Kino International, Berlin", 40, "black"))


def render(lines: tuple[tuple[str, int, str], ...], size: tuple[int, int] = (800, 700),
           background: str = "#f4e9d0") -> bytes:
    """A PNG with each (text, font size, colour) on its own line, like a simple poster."""
    assert FONT.is_file(), f"{FONT} is missing: run scripts/system-deps.sh"
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    y = 60
    for text, points, colour in lines:
        draw.text((60, y), text, font=ImageFont.truetype(str(FONT), points), fill=colour)
        y += int(points * 2.2)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="session")
def vision(tmp_path_factory: pytest.TempPathFactory) -> VisionRegistry:
    return VisionRegistry(load_settings(home=tmp_path_factory.mktemp("vision-home")))


@pytest.fixture(scope="session")
def poster_png() -> bytes:
    return render(POSTER_LINES)
