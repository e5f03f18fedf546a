"""Decoding uploaded images and data URLs, with their limits (no models)."""

from __future__ import annotations

import base64
import io
import os
import struct
import zlib

import pytest
from PIL import Image

from tandem.errors import InvalidRequest
from tandem.vision.image import decode_data_url, load_image


def encoded(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF", "BMP"])
def test_common_formats_load_as_rgb(fmt: str) -> None:
    image = load_image(encoded(fmt), max_pixels=10_000)
    assert image.mode == "RGB" and image.size == (40, 30)


def test_grey_and_alpha_images_become_rgb() -> None:
    assert load_image(encoded("PNG", mode="LA"), max_pixels=10_000).mode == "RGB"


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "empty"),
    (os.urandom(2000), "not an image we can read"),
    (b"%PDF-1.4 not an image", "not an image we can read"),
    (encoded("PNG")[:60], "corrupt"),
])
def test_bad_images_are_invalid_requests(data: bytes, needle: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        load_image(data, max_pixels=10_000)
    assert needle in str(info.value) and info.value.param == "file"


def test_pixel_limit_is_checked_before_decoding() -> None:
    with pytest.raises(InvalidRequest, match="more than the limit of 1000"):
        load_image(encoded("PNG", size=(100, 100)), max_pixels=1000)


def test_a_header_claiming_huge_dimensions_is_refused() -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))
    for limit in (10**6, 10**9):  # ours, then PIL's own when ours is set higher
        with pytest.raises(InvalidRequest, match=r"more .*than the limit"):
            load_image(bomb, max_pixels=limit)


def test_data_urls() -> None:
    png = encoded("PNG")
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    assert decode_data_url(url, param="p") == png
    for bad, needle in (("https://example.com/a.png", "remote image URLs are not fetched"),
                        ("data:image/png;base64,@@@", "base64 data is invalid"), ("hello", "not a data URL")):
        with pytest.raises(InvalidRequest, match=needle) as info:
            decode_data_url(bad, param="messages[0].content[1].image_url")
        assert info.value.param == "messages[0].content[1].image_url"
