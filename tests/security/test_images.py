"""Uploaded images cost what the device can afford and fail as 400s (issue 13: a 70 KB, 24-megapixel PNG
cost 24 s and +370 MB).

- The default pixel cap is a device limit (4096 x 4096, 16.8 MP: every 12 and 16 MP phone photo), checked
  from the header: a 20 MP header is refused before any pixel is decoded.
- A PNG's text chunks are decompressed while the header is read: an 80 kB PNG of ``zTXt`` chunks expanded
  to 68 MB and then raised a ValueError (a 500).
- Damaged headers of known formats (bytes of valid files changed at random) raised OSError, ValueError or
  TypeError from ``Image.open``: 500s.
"""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import fields

import httpx
import pytest
from PIL import Image

from tandem.config import Settings
from tandem.errors import InvalidRequest
from tandem.models.registry import ModelRegistry
from tandem.vision.image import FORMATS, load_image
from tests.conftest import LiveServer

DEFAULT_CAP = next(f.default for f in fields(Settings) if f.name == "max_image_pixels")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def header_only_png(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` and holds almost no pixel data."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + _chunk(b"IEND", b""))


def text_bomb() -> bytes:
    """A small valid PNG with 80 ``zTXt`` chunks of a megabyte each once decompressed (~80 kB)."""
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buf, "PNG")
    png, squeezed = buf.getvalue(), zlib.compress(b"a" * 1_000_000, 9)
    after_ihdr = 8 + 25
    chunks = b"".join(_chunk(b"zTXt", b"k%d\x00\x00" % i + squeezed) for i in range(80))
    return png[:after_ihdr] + chunks + png[after_ihdr:]


def damaged(count: int, seed: int = 5) -> Iterator[bytes]:
    """Valid small images of every accepted format with 1-30 bytes changed at random (fixed seed)."""
    rng = random.Random(seed)
    for fmt in FORMATS:
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), "red").save(buf, fmt)
        for _ in range(count):
            data = bytearray(buf.getvalue())
            for _ in range(rng.randint(1, 30)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            yield bytes(data)


def test_the_default_cap_is_a_device_limit_checked_from_the_header() -> None:
    cap = DEFAULT_CAP
    assert isinstance(cap, int)
    assert 4032 * 3024 <= 4608 * 3456 <= cap < 5472 * 3648  # 12 and 16 MP phone photos pass; 20 MP do not
    with pytest.raises(InvalidRequest, match="more than the limit"):
        load_image(header_only_png(5472, 3648), max_pixels=cap)
    with pytest.raises(InvalidRequest, match="corrupt"):  # past the cap, then its missing pixels are noticed
        load_image(header_only_png(4032, 3024), max_pixels=cap)


def test_png_text_chunks_are_not_a_memory_bomb() -> None:
    bomb = text_bomb()
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(InvalidRequest, match="text chunks") as caught:
            load_image(bomb, max_pixels=10**6)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.param == "file"
    assert peak < 8 * 2**20, peak  # was 68 MB of decompressed text before the error


def test_damaged_images_are_invalid_requests() -> None:
    outcomes = {"refused": 0, "loaded": 0}
    for data in damaged(400):
        try:
            load_image(data, max_pixels=10**6)
            outcomes["loaded"] += 1
        except InvalidRequest:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100 and sum(outcomes.values()) == 400 * len(FORMATS)


@pytest.fixture
def live(tiny_settings: Settings) -> Iterator[LiveServer]:
    pytest.importorskip("rapidocr", reason="the vision extra is not installed")
    from tandem.api.app import create_app

    with LiveServer(create_app(ModelRegistry(tiny_settings))) as server:
        yield server


def _refused(data: bytes) -> bool:
    try:
        load_image(data, max_pixels=DEFAULT_CAP)
    except InvalidRequest:
        return True
    return False


def test_the_api_answers_400(live: LiveServer) -> None:
    bad = [header_only_png(5472, 3648), text_bomb(), *[d for d in damaged(20, seed=9) if _refused(d)]]
    assert len(bad) > 30
    with httpx.Client(base_url=live.url, timeout=60) as http:
        for data in bad:
            answer = http.post("/v1/images/analyze", files={"file": ("x.png", data)})
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["param"] == "file"
